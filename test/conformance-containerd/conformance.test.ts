/**
 * The observations of real containerd 1.6.20 (recorded by scripts/record-containerd.sh: `ctr images
 * pull --hosts-dir` and the CRI PullImage call against docker-registry 2.8.2 on loopback). Every
 * scenario runs through pullsim as `pullsim run` runs it and every `expect` must be met; the raw
 * recordings (test/fixtures/containerd-recorded) hold what each scenario was written from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { collectScenarioFiles, loadScenarioFile } from '../../src/scenario/index.js';

const root = dirname(fileURLToPath(import.meta.url));
const fixtures = join(root, '..', 'fixtures', 'containerd-recorded');
const groups = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

interface Recording {
  case: string;
  image: string;
  /** null: a case about config.toml's registry section, which ctr does not read. */
  ctr: { exitCode: number; error: string | null; servedBy: string | null } | null;
  cri: { grpcCode: string; message: string | null; servedBy: string | null };
}
const recordings: Recording[] = groups.flatMap((g) =>
  readdirSync(join(fixtures, g)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(fixtures, g, f), 'utf8')) as Recording),
);
const recordingOf = new Map(recordings.map((r) => [r.case, r]));

describe.each(groups)('containerd conformance group %s', (group) => {
  const files = collectScenarioFiles([join(root, group)]);
  it.concurrent.each(files.map((f) => [f.slice(root.length + 1).replace(/\.yaml$/, ''), f]))('%s', async (name, file) => {
    const report = await runScenario(loadScenarioFile(file));
    const unmet = report.pulls.filter((p) => p.expect?.met === false).map((p) => ({ image: p.image, failures: p.expect?.failures, error: p.error, attempts: p.attempts.map((a) => `${a.source}: ${a.error ?? 'ok'}`) }));
    expect(unmet).toEqual([]);
    expect(report.pulls.length).toBe(1);
    // Where the event keeps the gRPC status, its code is the one the CRI plugin returned.
    const code = /^rpc error: code = (\w+) desc = /.exec(report.pulls[0]!.error ?? '')?.[1];
    if (code !== undefined) expect(code).toBe(recordingOf.get(name)!.cri.grpcCode);
  });
});

describe('every scenario was written from a recording and agrees with it', () => {
  it.each(recordings.map((r) => [r.case, r] as const))('%s', (name, rec) => {
    const scenario = loadScenarioFile(join(root, `${name}.yaml`));
    const want = scenario.pulls[0]!.expect!;
    if (rec.cri.grpcCode === 'OK') {
      expect(want.result).toBe('pulled');
      expect(want.from).toBe(rec.cri.servedBy);
    } else if (/^failed to parse image reference /.test(rec.cri.message ?? '')) {
      // The kubelet rejects such a reference itself; the event shares the parser's text only.
      expect(want.result).toBe('failed');
      expect(rec.cri.message).toBe(`failed to parse image reference "${rec.image}": ${want.error}`);
    } else {
      expect(want.result).toBe('failed');
      expect(want.error).toBe(rec.cri.message);
    }
  });
});

/**
 * ctr resolves in its own process with the same hosts loader and resolver, so its last line is
 * `ctr: ` + the CRI message without `failed to pull and unpack image "…": `, and both either pull
 * or fail alike. Where they differ, the CRI plugin's outcome is what a node shows (and what the
 * scenario expects); these are the recorded differences.
 */
const CTR_DIFFERS: Record<string, string> = {
  'reference/short-name': 'ctr does not normalize `tiny:1` (object required); the CRI plugin pulls docker.io/library/tiny:1',
  'reference/uppercase-repository': 'ctr does not validate the reference and sends the request; the CRI plugin rejects it before any request',
};

describe('ctr and the CRI plugin word each outcome alike, except the recorded differences', () => {
  const criInner = (m: string | null): string => (m ?? '').replace(/^failed to pull and unpack image "[^"]*": /, '');
  const both = recordings.filter((r) => r.ctr !== null);
  it.each(both.map((r) => [r.case, { ...r, ctr: r.ctr! }] as const))('%s', (name, rec) => {
    const alike = rec.cri.grpcCode === 'OK' ? rec.ctr.exitCode === 0 && rec.ctr.servedBy === rec.cri.servedBy : rec.ctr.error === `ctr: ${criInner(rec.cri.message)}`;
    expect({ name, alike }).toEqual({ name, alike: !Object.hasOwn(CTR_DIFFERS, name) });
  });

  it('ctr fails every recorded case with exit code 1', () => {
    expect([...new Set(both.filter((r) => r.ctr!.exitCode !== 0).map((r) => r.ctr!.exitCode))]).toEqual([1]);
  });
});
