/**
 * Decision compare at scale: N image references streamed against a node with 1,000 [[registry]]
 * entries (the go-bench fixture), old vs new (one registry blocked, one mirror added: about 1 image in
 * 1,000 changes, so the report stays small and the peak RSS shows the streaming), each run in a
 * child process for its own peak RSS. The Go figure is containers/image's work for the same N on both
 * sides: loading each side's registries.conf (RegistriesColdBatch less RegistriesWarmBatch at
 * N=1000) and, per reference and side, FindRegistry (warm, namespace hit) plus
 * PullSourcesFromReference (namespace, one mirror).
 *
 * Like with like: K rounds, each one Go pass of those benchmarks and then one pullsim run per N; both
 * sides report the median of their rounds, so a load spike on the shared machine falls on both sides
 * of a round instead of on one side's only figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goBaseline } from './go-anchor.js';
import { parseGoResults } from './resolver-bench.js';
import { repoRoot } from './repo-root.js';
import { bytes, formatTable, num, type Target } from './table.js';

export interface CompareRow {
  n: number;
  /** pullsim's wall time per round. */
  ms: number[];
  changed: number;
  /** The largest peak RSS of the rounds. */
  maxRssKb: number;
  /** containers/image's figure per round (one, from recorded results, when Go did not run here). */
  goMs: number[];
}

/** One `go test -bench` pattern per level: the four benchmarks the Go figure is made of, nothing else. */
const GO_BENCH = 'FindRegistryWarm|PullSourcesFromReference|RegistriesColdBatch|RegistriesWarmBatch/N=1000|namespace-1mirror-tag/hit-namespace';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const DIGEST = `sha256:${'0'.repeat(64)}`;

/** Every fourth reference of each kind: a matched registry, a mirrored namespace, Docker Hub, a digest on an unmatched host. */
function imagesFile(path: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    lines.push(k === 0 ? `reg${i % 1000}.example.com/team${i % 7}/app${i}:v1` : k === 1 ? `reg0.example.com/team1/app${i}:v2` : k === 2 ? `docker.io/library/img${i}:1` : `quay.io/ns${i % 50}/app${i}@${DIGEST}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function trees(dir: string): void {
  const conf = readFileSync(join(repoRoot(), 'test/fixtures/go-bench/registries-1000.conf'), 'utf8');
  for (const side of ['old', 'new']) {
    mkdirSync(join(dir, side, 'etc/containers/registries.conf.d'), { recursive: true });
    writeFileSync(join(dir, side, 'etc/containers/policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
  }
  writeFileSync(join(dir, 'old/etc/containers/registries.conf'), conf);
  writeFileSync(join(dir, 'new/etc/containers/registries.conf'), conf.replace('location = "reg0.example.com"\n', 'location = "reg0.example.com"\nblocked = true\n'));
  writeFileSync(join(dir, 'new/etc/containers/registries.conf.d/50-quay.conf'), '[[registry]]\nlocation = "quay.io/ns0"\n[[registry.mirror]]\nlocation = "mirror.example.com/ns0"\n');
}

/** containers/image's ms for N references on both sides, from one Go pass; undefined when a benchmark is missing. */
export function goMsFor(goText: string, n: number): number | undefined {
  const go = parseGoResults(goText);
  const find = go.get('FindRegistryWarm/N=1000/hit-namespace');
  const sources = go.get('PullSourcesFromReference/namespace-1mirror-tag');
  const cold = go.get('RegistriesColdBatch/N=1000');
  const warm = go.get('RegistriesWarmBatch/N=1000');
  if (find === undefined || sources === undefined || cold === undefined || warm === undefined) return undefined;
  return ((find + sources) * n * 2 + (cold - warm) * 2) / 1e6;
}

function runPullsim(dir: string, n: number): { ms: number; changed: number; maxRssKb: number } {
  const child = fileURLToPath(new URL('./compare-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, 'compare', join(dir, 'old'), join(dir, 'new'), '--images', join(dir, `images-${n}.txt`), '--fail-on', 'never', '--json', '--junit', join(dir, 'junit.xml')], { encoding: 'utf8' });
  const res = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as { code?: number; ms: number; maxRssKb: number; changed: number };
  if (res.code !== 0) throw new Error(`compare bench: exit ${res.code}: ${r.stderr}`);
  return res;
}

export async function runCompareBench(opts: { ns: number[]; rounds: number; go: boolean; log: (line: string) => void }): Promise<{ rows: CompareRow[]; goSource: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-bench-compare-'));
  try {
    trees(dir);
    for (const n of opts.ns) imagesFile(join(dir, `images-${n}.txt`), n);
    const rows = opts.ns.map((n): CompareRow => ({ n, ms: [], changed: 0, maxRssKb: 0, goMs: [] }));
    let goSource = '';
    for (let round = 1; round <= opts.rounds; round++) {
      const go = await goBaseline({ run: opts.go, count: 1, bench: GO_BENCH, log: opts.log });
      goSource = go.source;
      for (const row of rows) {
        const goMs = goMsFor(go.text, row.n);
        if (goMs !== undefined && (go.sameRun || row.goMs.length === 0)) row.goMs.push(goMs);
        const r = runPullsim(dir, row.n);
        row.ms.push(r.ms);
        row.changed = r.changed;
        row.maxRssKb = Math.max(row.maxRssKb, r.maxRssKb);
      }
      opts.log(`round ${round}/${opts.rounds} done`);
    }
    return { rows, goSource };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const spread = (v: readonly number[]) => (v.length ? `${num(Math.round(Math.min(...v)))}–${num(Math.round(Math.max(...v)))}` : '');

export function formatCompareRows(rows: readonly CompareRow[]): string {
  return formatTable(
    ['images', 'changed', 'pullsim compare ms (median)', 'µs per image (both sides)', 'c/i ms (same N, both sides; median)', 'speed-up', 'pullsim spread', 'Go spread', 'peak RSS'],
    rows.map((r) => {
      const ms = median(r.ms);
      const go = r.goMs.length ? median(r.goMs) : undefined;
      return [num(r.n), num(r.changed, 0), num(Math.round(ms)), ((ms * 1000) / r.n).toFixed(1), go === undefined ? '' : num(Math.round(go)), go === undefined ? '' : `${(go / ms).toFixed(1)}×`, spread(r.ms), spread(r.goMs), bytes(r.maxRssKb * 1024)];
    }),
    [0],
  );
}

export function compareTargets(rows: readonly CompareRow[]): Target[] {
  const big = rows[rows.length - 1]!;
  const small = rows[0]!;
  const speedup = big.goMs.length === 0 ? undefined : median(big.goMs) / median(big.ms);
  return [
    { name: `decision compare N=${num(big.n)} vs c/i config loads + FindRegistry + PullSourcesFromReference, both sides, median of rounds: speed-up`, measured: speedup === undefined ? 'no Go figure' : `${speedup.toFixed(2)}×`, aim: '≥ 10×', met: speedup === undefined ? undefined : speedup >= 10 },
    { name: `peak RSS N=${num(big.n)} vs N=${num(small.n)} (memory flat in the number of images)`, measured: `${bytes(big.maxRssKb * 1024)} vs ${bytes(small.maxRssKb * 1024)} (${(big.maxRssKb / small.maxRssKb).toFixed(2)}×)`, aim: '≤ 1.5×', met: big.maxRssKb / small.maxRssKb <= 1.5 },
  ];
}
