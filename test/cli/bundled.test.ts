import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { cli } from './cli-harness.js';

interface RunDoc {
  scenarios: { file: string; runtime: string; pulls: { result: string; expect?: { met: boolean } }[] }[];
  summary: { expectationsFailed: number };
}

const labs = join(packageRoot(), 'scenarios', 'labs');

describe('bundled scenarios', () => {
  it('`run` with no argument runs scenarios/ and meets every expectation', async () => {
    const r = await cli(['run', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDoc;
    const files = doc.scenarios.map((s) => s.file);
    expect(files.some((f) => f.includes('scenarios/labs/'))).toBe(true);
    expect(files.some((f) => f.includes('scenarios/openshift/'))).toBe(true);
    expect(doc.summary.expectationsFailed).toBe(0);
  });

  it('every lab judges every pull, and each story fails before its fix passes', async () => {
    const r = await cli(['run', '--json', labs]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDoc;
    expect(doc.scenarios).toHaveLength(readdirSync(labs).filter((f) => f.endsWith('.yaml')).length);
    const pulls = doc.scenarios.flatMap((s) => s.pulls);
    expect(pulls.every((p) => p.expect?.met === true)).toBe(true);
    expect(pulls.some((p) => p.result === 'failed')).toBe(true);
    expect(pulls.some((p) => p.result === 'pulled')).toBe(true);
  });
});
