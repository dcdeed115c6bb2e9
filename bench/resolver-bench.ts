/**
 * Resolver micro-benchmarks on the go-bench fixtures, next to containers/image 5.23.1's own
 * figures (test/fixtures/go-bench/go-results.txt, medians of `go test -bench -count 3`).
 * Not a test: timings are printed, never asserted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistriesConf, type RegistriesConfig } from '../src/config/registries-conf.js';
import { MemoryFS } from '../src/node-fs.js';
import { parseNormalizedNamed, refName, tagNameOnly, type ImageRef } from '../src/reference/reference.js';
import { implicitRegistry, pullSourcesFromReference } from '../src/resolve/pull-sources.js';
import { findRegistry } from '../src/resolve/registry-index.js';
import { resolveShortName } from '../src/resolve/short-names.js';
import { defaultSystemContext, type SystemContext } from '../src/system-context.js';

export interface Row {
  /** Go benchmark name (without `Benchmark` and `-2`) or a pullsim-only measurement. */
  name: string;
  nsPerOp: number;
  /** Median ns/op of the same benchmark in Go, when there is one. */
  goNsPerOp?: number;
  /** nsPerOp / goNsPerOp: below 1 means pullsim is faster. */
  ratio?: number;
  note?: string;
}

const TEST_DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function fixturesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test/fixtures/go-bench');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('test/fixtures/go-bench not found above the benchmark module');
}

/** Median ns/op per benchmark in a `go test -bench` output. */
export function parseGoResults(textOut: string): Map<string, number> {
  const samples = new Map<string, number[]>();
  for (const line of textOut.split('\n')) {
    const m = /^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op/.exec(line);
    if (!m) continue;
    const list = samples.get(m[1]) ?? [];
    list.push(Number(m[2]));
    samples.set(m[1], list);
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** ns per call: warmup, then batches until minMs has passed; the median of 3 such runs. */
function measure(fn: () => unknown, minMs = 150): number {
  // Garbage left by an earlier benchmark must not be collected on this one's clock.
  (globalThis as { gc?: () => void }).gc?.();
  let sink: unknown;
  const warmEnd = process.hrtime.bigint() + 30_000_000n;
  while (process.hrtime.bigint() < warmEnd) sink = fn();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    let ops = 0;
    let batch = 1;
    const start = process.hrtime.bigint();
    const end = start + BigInt(minMs) * 1_000_000n;
    let now = start;
    while (now < end) {
      for (let i = 0; i < batch; i++) sink = fn();
      ops += batch;
      batch = Math.min(batch * 2, 1 << 16);
      now = process.hrtime.bigint();
    }
    runs.push(Number(now - start) / ops);
  }
  void sink;
  return median(runs);
}

/** genRegistriesConf of the Go generator (gen_test.go), for sizes beyond the fixtures. */
export function genRegistriesConf(n: number): string {
  let b = `unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "permissive"

[aliases]
"myalias" = "quay.io/aliased/image"
"tools/helper" = "registry.example.com/tools/helper"
`;
  for (let i = 0; i < n; i++) {
    b += '\n[[registry]]\n';
    if (i % 3 === 0) b += `prefix = "reg${i}.example.com"\nlocation = "reg${i}.example.com"\n`;
    else if (i % 3 === 1) b += `prefix = "reg${i - 1}.example.com/team${i}"\nlocation = "backend${i}.example.org/mirror/team${i}"\n`;
    else b += `prefix = "*.wild${i}.example.net"\n`;
    for (let j = 0; j < Math.floor(i / 3) % 3; j++) {
      b += `\n[[registry.mirror]]\nlocation = "mirror${j}.m${i}.example.com/cache"\n`;
      if (j === 1) b += 'insecure = true\n';
    }
  }
  return b;
}

function lookupBatch(n: number): [string, string][] {
  const k = 3 * Math.floor(n / 6);
  return [
    ['hit-exact', `reg${k}.example.com/app/web:1.0`],
    ['hit-namespace', `reg${k}.example.com/team${k + 1}/api:2.1`],
    ['hit-namespace-digest', `reg${k}.example.com/team${k + 1}/api@${TEST_DIGEST}`],
    ['hit-wildcard', `eu.cdn.wild${k + 2}.example.net/lib/tool:3`],
    ['miss-dockerhub', 'busybox'],
    ['miss-near', `reg${k}.example.comx/app:1`],
    ['miss-wildcard-in-path', `evil.example.org/x.wild${k + 2}.example.net/app:1`],
    ['miss-quay', 'quay.io/other/thing:tag'],
  ];
}

const REF_INPUTS: [string, string][] = [
  ['short', 'busybox'],
  ['short-tag', 'busybox:1.36'],
  ['library-tag', 'library/ubuntu:22.04'],
  ['user-repo-tag', 'myuser/app:v1'],
  ['fq-tag', 'quay.io/ns/app:tag'],
  ['fq-port-tag', 'localhost:5000/app:tag'],
  ['fq-digest', `quay.io/ns/app@${TEST_DIGEST}`],
  ['fq-tag-digest', `docker.io/library/alpine:3.18@${TEST_DIGEST}`],
  ['fq-port-deep-tag', 'registry.example.com:8443/a/b/c/d:1.2.3-rc1'],
];

interface Loaded {
  fs: MemoryFS;
  sys: SystemContext;
}

/** The bench_test.go SystemContext: explicit file, empty explicit drop-in dir, missing alias cache; podman without a TTY. */
function setup(content: string): Loaded {
  const fs = new MemoryFS({ '/anchor/registries.conf': content });
  fs.mkdir('/anchor/registries.conf.d-empty');
  return { fs, sys: { ...defaultSystemContext('podman'), registriesConfPath: '/anchor/registries.conf', registriesConfDirPath: '/anchor/registries.conf.d-empty' } };
}

const LOAD_OPTIONS = { shortNameAliasConfPath: '/anchor/user-cache/short-name-aliases.conf' };

function load(l: Loaded): RegistriesConfig {
  return loadRegistriesConf(l.fs, l.sys, LOAD_OPTIONS);
}

function sourcesFor(config: RegistriesConfig, ref: ImageRef) {
  return pullSourcesFromReference(findRegistry(config.index, refName(ref)) ?? implicitRegistry(ref), ref);
}

export async function runResolverBench(): Promise<Row[]> {
  const dir = fixturesDir();
  const go = parseGoResults(readFileSync(join(dir, 'go-results.txt'), 'utf8'));
  const rows: Row[] = [];
  const add = (name: string, nsPerOp: number, note?: string) => {
    const goNs = go.get(name);
    rows.push({ name, nsPerOp, goNsPerOp: goNs, ratio: goNs ? nsPerOp / goNs : undefined, note });
  };

  const loaded = new Map<number, Loaded>();
  const configs = new Map<number, RegistriesConfig>();
  for (const n of [10, 100, 1000]) {
    const l = setup(readFileSync(join(dir, `registries-${n}.conf`), 'utf8'));
    loaded.set(n, l);
    configs.set(n, load(l));
    add(`RegistriesParseOnly/N=${n}`, measure(() => load(l)));
  }
  const perEntry = (rows.find((r) => r.name === 'RegistriesParseOnly/N=1000')!.nsPerOp - rows.find((r) => r.name === 'RegistriesParseOnly/N=100')!.nsPerOp) / 900;
  rows.push({ name: 'registries.conf parse per [[registry]] entry', nsPerOp: perEntry, goNsPerOp: 21_500, ratio: perEntry / 21_500, note: 'Go: (N=1000 − N=100)/900 from RESULTS.md' });

  for (const n of [10, 100, 1000]) {
    const config = configs.get(n)!;
    const batch = lookupBatch(n).map(([kind, input]) => [kind, tagNameOnly(parseNormalizedNamed(input))] as const);
    for (const [kind, ref] of batch) {
      if (kind === 'hit-namespace-digest' || kind === 'miss-near' || kind === 'miss-wildcard-in-path' || kind === 'miss-quay') continue;
      const name = refName(ref);
      add(`FindRegistryWarm/N=${n}/${kind}`, measure(() => findRegistry(config.index, name)));
    }
    add(`RegistriesWarmBatch/N=${n}`, measure(() => batch.map(([, ref]) => sourcesFor(config, ref))));
  }

  const c100 = configs.get(100)!;
  for (const [kind, input] of [
    ['exact-0mirrors', 'reg0.example.com/app/web:1.0'],
    ['exact-1mirror', 'reg48.example.com/app/web:1.0'],
    ['exact-2mirrors', 'reg6.example.com/app/web:1.0'],
    ['namespace-1mirror-tag', 'reg48.example.com/team49/api:2.1'],
    ['namespace-1mirror-digest', `reg48.example.com/team49/api@${TEST_DIGEST}`],
    ['wildcard-1mirror', 'eu.cdn.wild50.example.net/lib/tool:3'],
    ['miss-default-registry', 'busybox'],
  ] as const) {
    const ref = tagNameOnly(parseNormalizedNamed(input));
    const reg = findRegistry(c100.index, refName(ref)) ?? implicitRegistry(ref);
    add(`PullSourcesFromReference/${kind}`, measure(() => pullSourcesFromReference(reg, ref)));
  }

  add('ParseNormalizedNamed/cimage/mix9', measure(() => REF_INPUTS.map(([, s]) => parseNormalizedNamed(s))));
  for (const [kind, input] of REF_INPUTS) add(`ParseNormalizedNamed/cimage/${kind}`, measure(() => parseNormalizedNamed(input)));

  const sys100 = loaded.get(100)!.sys;
  for (const [kind, input] of [
    ['short-3usr-permissive', 'myapp:1.0'],
    ['alias-hit', 'myalias:2.0'],
    ['fully-qualified', 'quay.io/ns/app:tag'],
  ] as const) {
    add(`ShortnamesResolve/${kind}`, measure(() => resolveShortName(c100, sys100, input)), 'no I/O per call (Go re-reads the alias cache file each time)');
  }

  const gc = (globalThis as { gc?: () => void }).gc;
  configs.clear();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = load(loaded.get(1000)!);
  gc?.();
  const heap = process.memoryUsage().heapUsed - before;
  rows.push({ name: 'heap retained per 1000 [[registry]] entries (bytes)', nsPerOp: heap, note: gc ? 'after gc' : 'run node --expose-gc for a precise figure' });
  void kept.registries.length;

  const big = setup(genRegistriesConf(10_000));
  const c10k = load(big);
  rows.push({ name: 'RegistriesParseOnly/N=10000', nsPerOp: measure(() => load(big), 1), note: 'generated like gen_test.go' });
  for (const [kind, input] of lookupBatch(10_000).slice(0, 5)) {
    const name = refName(tagNameOnly(parseNormalizedNamed(input)));
    rows.push({ name: `FindRegistryWarm/N=10000/${kind}`, nsPerOp: measure(() => findRegistry(c10k.index, name)) });
  }
  return rows;
}

export function formatRows(rows: readonly Row[]): string {
  const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  const lines = [['benchmark', 'pullsim ns/op', 'Go ns/op (median)', 'ratio', 'note']];
  for (const r of rows) lines.push([r.name, fmt(r.nsPerOp), fmt(r.goNsPerOp), r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.note ?? '']);
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatRows(await runResolverBench()));
}
