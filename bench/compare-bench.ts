/**
 * Decision compare at scale: N image references streamed against a node with 1,000 [[registry]]
 * entries (the go-bench fixture), old vs new (one registry blocked, one mirror added: about 1 image in
 * 200 changes, so the report stays small and the peak RSS shows the streaming), each run in a
 * child process for its own peak RSS. The Go figure is containers/image's work for the same N on both
 * sides: FindRegistry (warm, N=1000 entries, namespace hit) plus PullSourcesFromReference (namespace,
 * one mirror) per reference, from the Go anchor's ns/op in the same run when it ran.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGoResults } from './resolver-bench.js';
import { repoRoot } from './repo-root.js';
import { bytes, formatTable, num, type Target } from './table.js';

export interface CompareRow {
  n: number;
  ms: number;
  changed: number;
  maxRssKb: number;
  goMs?: number;
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

function goNsPerReference(goText: string): number | undefined {
  const go = parseGoResults(goText);
  const find = go.get('FindRegistryWarm/N=1000/hit-namespace');
  const sources = go.get('PullSourcesFromReference/namespace-1mirror-tag');
  return find === undefined || sources === undefined ? undefined : find + sources;
}

export function runCompareBench(ns: number[], goText: string): CompareRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-bench-compare-'));
  const child = fileURLToPath(new URL('./compare-child.js', import.meta.url));
  const goPer = goNsPerReference(goText);
  try {
    trees(dir);
    const rows: CompareRow[] = [];
    for (const n of ns) {
      const images = join(dir, `images-${n}.txt`);
      imagesFile(images, n);
      const r = spawnSync(process.execPath, [child, 'compare', join(dir, 'old'), join(dir, 'new'), '--images', images, '--fail-on', 'never', '--json', '--junit', join(dir, 'junit.xml')], { encoding: 'utf8' });
      const res = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as { code?: number; ms: number; maxRssKb: number; changed: number };
      if (res.code !== 0) throw new Error(`compare bench: exit ${res.code}: ${r.stderr}`);
      rows.push({ n, ms: res.ms, changed: res.changed, maxRssKb: res.maxRssKb, ...(goPer !== undefined && { goMs: (goPer * n * 2) / 1e6 }) });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCompareRows(rows: readonly CompareRow[]): string {
  return formatTable(
    ['images', 'changed', 'pullsim compare ms', 'µs per image (both sides)', 'c/i loop ms (same N, both sides)', 'ratio (>1: pullsim slower)', 'peak RSS'],
    rows.map((r) => [num(r.n), num(r.changed), num(Math.round(r.ms)), (r.ms * 1000 / r.n).toFixed(1), r.goMs === undefined ? '' : num(Math.round(r.goMs)), r.goMs === undefined ? '' : `${(r.ms / r.goMs).toFixed(1)}×`, bytes(r.maxRssKb * 1024)]),
    [0],
  );
}

export function compareTargets(rows: readonly CompareRow[]): Target[] {
  const big = rows[rows.length - 1];
  const small = rows[0];
  const speedup = big.goMs === undefined ? undefined : big.goMs / big.ms;
  return [
    { name: `decision compare N=${num(big.n)} vs c/i FindRegistry+PullSourcesFromReference loop: speed-up`, measured: speedup === undefined ? 'no Go figure' : `${speedup.toFixed(3)}×`, aim: '≥ 10×', met: speedup === undefined ? undefined : speedup >= 10 },
    { name: `peak RSS N=${num(big.n)} vs N=${num(small.n)} (memory flat in the number of images)`, measured: `${bytes(big.maxRssKb * 1024)} vs ${bytes(small.maxRssKb * 1024)} (${(big.maxRssKb / small.maxRssKb).toFixed(2)}×)`, aim: '≤ 1.5×', met: big.maxRssKb / small.maxRssKb <= 1.5 },
  ];
}
