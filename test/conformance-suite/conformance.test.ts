/**
 * The observations of the real tools (test/conformance, a copy of ../shared/conformance): every
 * scenario runs through pullsim exactly as `pullsim run` runs it, and every `expect` must be met.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectScenarioFiles, loadScenarioFile } from '../../src/scenario/index.js';
import { runScenario } from '../../src/run/run-scenario.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance');
const groups = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe.each(groups)('conformance group %s', (group) => {
  const files = collectScenarioFiles([join(root, group)]);
  it.concurrent.each(files.map((f) => [f.slice(root.length + 1), f]))('%s', async (_name, file) => {
    const report = await runScenario(loadScenarioFile(file));
    const unmet = report.pulls.filter((p) => p.expect?.met === false).map((p) => ({ image: p.image, failures: p.expect?.failures, error: p.error, attempts: p.attempts.map((a) => `${a.source}: ${a.error ?? 'ok'}`) }));
    expect(unmet).toEqual([]);
    expect(report.pulls.length).toBeGreaterThan(0);
  });
});
