/** A lab workspace in a temp folder, started through the CLI, with helpers to edit it like a student. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { cli } from '../cli/cli-harness.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

export function tempRoot(): string {
  const r = mkdtempSync(join(tmpdir(), 'pullsim-lab-'));
  roots.push(r);
  return r;
}

export interface Workspace {
  dir: string;
  write(files: Record<string, string>): void;
  read(rel: string): string;
  remove(rel: string): void;
}

export async function startLab(id: string): Promise<Workspace> {
  const dir = join(tempRoot(), 'ws');
  const r = await cli(['lab', 'start', id, '--dir', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return {
    dir,
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), content);
      }
    },
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    remove: (rel) => rmSync(join(dir, rel), { recursive: true, force: true }),
  };
}

/**
 * A small XML well-formedness check (no dependency): one root, tags nest and close, attributes are
 * quoted, and text holds no raw '<' or bare '&'.
 */
export function wellFormedXml(xml: string): { ok: boolean; reason?: string; elements: Array<{ name: string; attrs: Record<string, string>; text: string }> } {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const elements: Array<{ name: string; attrs: Record<string, string>; text: string }> = [];
  const open: Array<{ name: string; attrs: Record<string, string>; text: string }> = [];
  let roots = 0;
  let i = 0;
  while (i < body.length) {
    if (body[i] !== '<') {
      const next = body.indexOf('<', i);
      const text = body.slice(i, next === -1 ? undefined : next);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) return { ok: false, reason: `bare & in ${JSON.stringify(text.slice(0, 40))}`, elements };
      if (stack.length === 0 && text.trim() !== '') return { ok: false, reason: 'text outside the root', elements };
      if (open.length) open[open.length - 1].text += text;
      if (next === -1) break;
      i = next;
      continue;
    }
    const end = body.indexOf('>', i);
    if (end === -1) return { ok: false, reason: 'unclosed tag', elements };
    const tag = body.slice(i + 1, end);
    i = end + 1;
    if (tag.startsWith('/')) {
      if (stack.pop() !== tag.slice(1).trim()) return { ok: false, reason: `mismatched </${tag.slice(1)}>`, elements };
      open.pop();
      continue;
    }
    const self = tag.endsWith('/');
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!m) return { ok: false, reason: `bad tag <${tag.slice(0, 60)}>`, elements };
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    if (stack.length === 0) roots++;
    const el = { name: m[1], attrs, text: '' };
    elements.push(el);
    if (!self) {
      stack.push(m[1]);
      open.push(el);
    }
  }
  if (stack.length) return { ok: false, reason: `unclosed <${stack.join('><')}>`, elements };
  if (roots !== 1) return { ok: false, reason: `${roots} root elements`, elements };
  return { ok: true, elements };
}
