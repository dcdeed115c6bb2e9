/** The project documents itself: README links stay inside the checkout, and the docs' example and limits are the code's. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_LIMITS } from '../../src/scenario/limits.js';
import { cli } from './cli-harness.js';

const repo = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(repo, p), 'utf8');

describe('docs: a fresh clone has everything the README points to', () => {
  it('no link or path into ../shared', () => {
    expect(read('README.md')).not.toContain('../shared');
  });

  it.each(['README.md', 'docs/scenario-format.md', 'docs/conformance.md', 'docs/benchmarks.md'])('%s: every relative link exists', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)].map((m) => m[1]!);
    for (const l of links) expect(existsSync(join(repo, file, '..', l)), `${file} → ${l}`).toBe(true);
  });
});

describe('docs/scenario-format.md', () => {
  it('its runnable example runs, every expectation met', async () => {
    const r = await cli(['run', join(repo, 'docs/examples/minimal.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('states the limits the loader applies', () => {
    const doc = read('docs/scenario-format.md');
    const mib = (n: number) => `${n / 1024 / 1024} MiB`;
    expect(doc).toContain(`| file size | ${mib(SCENARIO_LIMITS.fileBytes)}`);
    expect(doc).toContain(`| nesting of maps and lists | ${SCENARIO_LIMITS.depth} levels |`);
    expect(doc).toContain(`| YAML aliases (\`*name\`) | ${SCENARIO_LIMITS.aliases} per file`);
    expect(doc).toContain(`| ${SCENARIO_LIMITS.stringChars.toLocaleString('en-US')} characters |`);
    expect(doc).toContain(`| node file contents and \`description\` | ${mib(SCENARIO_LIMITS.textChars)} each |`);
  });
});
