/**
 * pullsim's final error equals what the real skopeo 1.9.3 printed against the same fake
 * registries (fixtures recorded by scripts/skopeo-crosscheck.mjs; skopeo is not needed here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { loopbackFor } from '../../sim/serve.js';

interface Fixture {
  name: string;
  scenario: string;
  pull: number;
  command: string;
  exitCode: number;
  stderr: string;
  error: string | null;
}

const repo = join(import.meta.dirname, '../..');
const dir = join(repo, 'test/fixtures/skopeo-crosscheck');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);

/** The real skopeo dialled the loopback stand-ins of the scenario's addresses; pullsim reports the scenario's own. */
function normalize(s: Scenario, textIn: string): string {
  let out = textIn;
  const ips = new Set([...Object.values(s.registries).flatMap((r) => (r.ip ? [r.ip] : [])), ...Object.values(s.hosts)]);
  for (const ip of ips) if (loopbackFor(ip) !== ip) out = out.split(loopbackFor(ip)).join(ip);
  return out;
}

describe('real skopeo cross-check fixtures', () => {
  it('covers the cases issue 4 names', () => {
    expect(fixtures.map((f) => f.name)).toEqual(
      expect.arrayContaining(['http-registry-not-insecure', 'https-ca-in-certs-d', 'basic-auth-ok', 'basic-auth-none', 'bearer-anonymous-private-repo', 'manifest-unknown-tag']),
    );
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: the recorded stderr carries the recorded fatal error', (_name, f) => {
    expect(f.exitCode === 0).toBe(f.error === null);
    if (f.error !== null) expect(f.stderr).toContain('level=fatal');
  });
});

describe('pullsim agrees with the real skopeo', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const scenario = loadScenarioFile(join(repo, f.scenario));
    expect(scenario.runtime).toBe('skopeo');
    const report = await runScenario(scenario);
    const pull = report.pulls[f.pull]!;
    expect(f.command).toMatch(new RegExp(`^skopeo copy .*docker://${pull.image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} dir:/root/out$`));
    expect(pull.result).toBe(f.exitCode === 0 ? 'pulled' : 'failed');
    expect(pull.error).toBe(f.error === null ? null : normalize(scenario, f.error));
  });
});
