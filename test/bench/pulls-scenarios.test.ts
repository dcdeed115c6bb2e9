/**
 * The pulls bench's generated scenarios (bench/pulls-bench.ts, bench/pulls-containerd.ts) load
 * and every expectation in them holds for every runtime the bench runs, on two cycles of their
 * kinds: the second pull of an image is where a kubelet runtime finds it on the node. The bench
 * prints "expectations unmet" without failing; this is what fails when a runtime's behaviour and
 * the bench's expectations part.
 */
import { describe, expect, it } from 'vitest';
import { PULLS_RUNTIMES, pullsScenario } from '../../bench/pulls-bench.js';
import { CONTAINERD_KINDS } from '../../bench/pulls-containerd.js';
import { runScenario } from '../../src/run/run-scenario.js';

describe('the pulls bench scenarios hold for every runtime', () => {
  it.each(PULLS_RUNTIMES)('%s', async (runtime) => {
    const n = 28; // two cycles of either scenario's kinds (14 and 12)
    const report = await runScenario(pullsScenario(n, runtime));
    expect(report.pulls).toHaveLength(n);
    const unmet = report.pulls.filter((p) => !p.expect?.met).map((p) => `${p.image}: ${p.expect?.failures?.join('; ') ?? 'no expectation'}`);
    expect(unmet).toEqual([]);
    // Both outcomes are exercised, not only one.
    expect(new Set(report.pulls.map((p) => p.result))).toEqual(new Set(['pulled', 'failed']));
  });
});

describe('the containerd scenario is configured the containerd way', () => {
  it('mirrors come from hosts.toml, in file order, the down one first', async () => {
    const report = await runScenario(pullsScenario(CONTAINERD_KINDS.length, 'containerd'));
    const mirrored = report.pulls.find((p) => p.image === 'hub.bench.test/mirrored/app:v1')!;
    expect(mirrored.from).toBe('mirror1');
    expect(mirrored.attempts.map((a) => a.source)).toEqual(['mirror3.bench.test:5000/mirrored/app:v1', 'mirror1.bench.test:5000/mirrored/app:v1']);
    expect(mirrored.attempts[0]!.error).toContain('connect: connection refused');
  });

  it('a failure carries the CRI wrapping and no credential', async () => {
    const report = await runScenario(pullsScenario(CONTAINERD_KINDS.length, 'containerd'));
    const denied = report.pulls.find((p) => p.image === 'private.bench.test:5443/team-b/app:v1')!;
    expect(denied.error).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "private.bench.test:5443/team-b/app:v1": failed to resolve reference "private.bench.test:5443/team-b/app:v1": pulling from host private.bench.test:5443 failed with status code [manifests v1]: 403 Forbidden',
    );
    expect(JSON.stringify(report)).not.toContain('wonderland');
    expect(JSON.stringify(report)).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
  });
});
