/**
 * `--junit FILE`, one testcase per image, written as the images stream by: cases go to a temporary
 * file, and FILE appears (by rename) only once the comparison finished, so bad input met halfway
 * leaves nothing half-written.
 */
import { appendFileSync, closeSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import type { ImageEntry } from './images-list.js';
import { JUNIT_FOOTER, junitCase, junitHeader, type CompareReport, type ImageChange } from './report.js';

export class JunitFile {
  private readonly body: string;
  private readonly staged: string;
  private cases = 0;
  private buffered: string[] = [];

  constructor(private readonly path: string) {
    this.body = `${path}.${process.pid}.cases.tmp`;
    this.staged = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(this.body, '');
    } catch (e) {
      throw cannotWrite(path, e);
    }
  }

  add(suite: string, e: ImageEntry, change: ImageChange | null): void {
    this.cases++;
    this.buffered.push(junitCase(suite, e.image, change, e.from ? `${e.image} (${e.from})` : e.image));
    if (this.buffered.length >= 512) this.flush();
  }

  private flush(): void {
    appendFileSync(this.body, this.buffered.join(''));
    this.buffered = [];
  }

  finish(r: CompareReport): void {
    this.flush();
    const out = openSync(this.staged, 'w');
    const inp = openSync(this.body, 'r');
    try {
      writeSync(out, junitHeader(r, this.cases));
      const buf = Buffer.alloc(1 << 16);
      for (let n; (n = readSync(inp, buf, 0, buf.length, null)) > 0; ) writeSync(out, buf, 0, n);
      writeSync(out, JUNIT_FOOTER);
    } finally {
      closeSync(inp);
      closeSync(out);
    }
    rmSync(this.body, { force: true });
    renameSync(this.staged, this.path);
  }

  abandon(): void {
    rmSync(this.body, { force: true });
    rmSync(this.staged, { force: true });
  }
}

function cannotWrite(path: string, e: unknown): InputError {
  return new InputError(`--junit ${path}: cannot write there (${(e as NodeJS.ErrnoException).code ?? 'unwritable'})`);
}

/** Writes a whole text to FILE by rename, so a reader never sees half of it. */
export function writeWhole(path: string, text: string): void {
  const staged = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(staged, text);
  } catch (e) {
    throw cannotWrite(path, e);
  }
  renameSync(staged, path);
}
