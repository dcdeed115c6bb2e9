/** Every bundled import / internal-registry story judges every entry and meets every expectation. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

const dir = join(import.meta.dirname, '../../scenarios/openshift-import');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('bundled import stories', () => {
  it.each(files)('%s', async (f) => {
    const report = await runScenario(loadScenarioFile(join(dir, f)));
    expect(report.error).toBeUndefined();
    expect(report.pulls.map((p) => p.expect?.failures ?? p.expect?.met)).toEqual(report.pulls.map(() => true));
  });
});
