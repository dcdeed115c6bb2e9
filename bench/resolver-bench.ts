/**
 * Resolver micro-benchmarks on the go-bench fixtures, next to containers/image 5.23.1's own
 * figures: the Go anchor run in the same `npm run bench` when it can be (bench/go-anchor.ts),
 * else test/fixtures/go-bench/go-results.txt (medians of `go test -bench -count 3`).
 * Not a test: timings are printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupCredentials } from '../src/auth/credentials.js';
import { loadRegistriesConf, type RegistriesConfig } from '../src/config/registries-conf.js';
import { MemoryFS } from '../src/node-fs.js';
import { parsePolicyText } from '../src/policy/policy-json.js';
import { firstUnaccepted, requirementsFor } from '../src/policy/policy-scope.js';
import type { Policy } from '../src/policy/policy-types.js';
import { parseNormalizedNamed, parseNormalizedNamedUncached, refName, tagNameOnly, type ImageRef } from '../src/reference/reference.js';
import { implicitRegistry, pullSourcesFromReference } from '../src/resolve/pull-sources.js';
import { findRegistry } from '../src/resolve/registry-index.js';
import { resolveShortName } from '../src/resolve/short-names.js';
import { defaultSystemContext, type SystemContext } from '../src/system-context.js';
import { gc, heapAfterGc } from './gc.js';
import { repoRoot } from './repo-root.js';
import { bytes, formatTable, num, type Target } from './table.js';

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

export function fixturesDir(): string {
  return join(repoRoot(), 'test/fixtures/go-bench');
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

/**
 * ns per call: warmup, then 5 runs of batches until minMs has passed each; the fastest run,
 * the least-contended estimate on a shared 2-core machine (as the Go anchor's notes advise).
 */
export function measure(fn: () => unknown, minMs = 100, runs = 5): number {
  // Garbage left by an earlier benchmark must not be collected on this one's clock.
  gc();
  let sink: unknown;
  const warmEnd = process.hrtime.bigint() + 30_000_000n;
  while (process.hrtime.bigint() < warmEnd) sink = fn();
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
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
    perRun.push(Number(now - start) / ops);
  }
  void sink;
  return Math.min(...perRun);
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

export function lookupBatch(n: number): [string, string][] {
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

export interface Loaded {
  fs: MemoryFS;
  sys: SystemContext;
}

/** The bench_test.go SystemContext: explicit file, empty explicit drop-in dir, missing alias cache; podman without a TTY. */
export function setup(content: string): Loaded {
  const fs = new MemoryFS({ '/anchor/registries.conf': content });
  fs.mkdir('/anchor/registries.conf.d-empty');
  return { fs, sys: { ...defaultSystemContext('podman'), registriesConfPath: '/anchor/registries.conf', registriesConfDirPath: '/anchor/registries.conf.d-empty' } };
}

const LOAD_OPTIONS = { shortNameAliasConfPath: '/anchor/user-cache/short-name-aliases.conf' };

export function load(l: Loaded): RegistriesConfig {
  return loadRegistriesConf(l.fs, l.sys, LOAD_OPTIONS);
}

function sourcesFor(config: RegistriesConfig, ref: ImageRef) {
  return pullSourcesFromReference(findRegistry(config.index, refName(ref)) ?? implicitRegistry(ref), ref);
}

/** policyCases of bench_test.go: docker references for a policy of size n. */
function policyCases(n: number): [string, string][] {
  const k = 4 * Math.floor(n / 8);
  return [
    ['identity-hit', `reg${k + 2}.example.com/team${k + 2}/app:1.0`],
    ['namespace-hit-depth4', `reg${k + 1}.example.com/team${k + 1}/sub/deep/app:2`],
    ['host-hit', `reg${k}.example.com/x/y:1`],
    ['wildcard-hit', `a.b.wild${k + 3}.example.net/img:1`],
    ['miss-default-reject', 'docker.io/library/busybox:latest'],
  ];
}

/** IsRunningImageAllowed for the requirements that need no signature: scope lookup, then the verdict. */
function allowed(policy: Policy, ref: ImageRef): boolean {
  return firstUnaccepted(requirementsFor(policy, ref).requirements, ref) === undefined;
}

const AUTH_FILE = '/var/lib/kubelet/config.json';

/** A node as CRI-O sees it for the full-resolve rows: the anchor's registries.conf and policy.json, and a global pull secret. */
function fullNode(registriesConf: string, policyJson: string, n: number): { fs: MemoryFS; sys: SystemContext; config: RegistriesConfig; policy: Policy } {
  const k = 3 * Math.floor(n / 6);
  const auths: Record<string, { auth: string }> = {};
  for (const host of [`reg${k}.example.com`, `mirror0.m${k + 1}.example.com`, 'quay.io', 'registry.fedoraproject.org']) auths[host] = { auth: Buffer.from('bench:not-a-secret').toString('base64') };
  const fs = new MemoryFS({ '/anchor/registries.conf': registriesConf, '/etc/containers/policy.json': policyJson, [AUTH_FILE]: JSON.stringify({ auths }) });
  fs.mkdir('/anchor/registries.conf.d-empty');
  const sys: SystemContext = { ...defaultSystemContext('crio'), registriesConfPath: '/anchor/registries.conf', registriesConfDirPath: '/anchor/registries.conf.d-empty', authFilePath: AUTH_FILE };
  return { fs, sys, config: loadRegistriesConf(fs, sys, LOAD_OPTIONS), policy: { path: '/etc/containers/policy.json', ...parsePolicyText(policyJson) } };
}

/**
 * Everything the node decides before its first request for one image: short-name candidates,
 * then per candidate the matching [[registry]], its pull sources, the policy scope and verdict
 * on the logical reference, and the credentials each source would send (auth file read each time, as c/i does).
 */
function fullResolve(node: ReturnType<typeof fullNode>, input: string): number {
  let sources = 0;
  for (const candidate of resolveShortName(node.config, node.sys, input).candidates) {
    const registry = findRegistry(node.config.index, refName(candidate)) ?? implicitRegistry(candidate);
    allowed(node.policy, candidate);
    for (const source of pullSourcesFromReference(registry, candidate)) {
      lookupCredentials(node.fs, node.sys, source.ref.domain, source.ref.path);
      sources++;
    }
  }
  return sources;
}

function fullResolveCases(n: number): [string, string][] {
  const k = 3 * Math.floor(n / 6);
  return [
    ['namespace-hit-1mirror', `reg${k}.example.com/team${k + 1}/api:2.1`],
    ['exact-hit', `reg${k}.example.com/app/web:1.0`],
    ['miss-quay', 'quay.io/other/thing:tag'],
    ['short-name-3-candidates', 'myapp:1.0'],
  ];
}

export async function runResolverBench(goResults?: string): Promise<Row[]> {
  const dir = fixturesDir();
  const go = parseGoResults(goResults ?? readFileSync(join(dir, 'go-results.txt'), 'utf8'));
  const rows: Row[] = [];
  const add = (name: string, nsPerOp: number, note?: string) => {
    const goNs = go.get(name);
    rows.push({ name, nsPerOp, goNsPerOp: goNs, ratio: goNs ? nsPerOp / goNs : undefined, note });
  };
  const perEntry = (name: string, small: string, large: string, count: number, note: string) => {
    const ours = (rows.find((r) => r.name === large)!.nsPerOp - rows.find((r) => r.name === small)!.nsPerOp) / count;
    const goLarge = go.get(large);
    const goSmall = go.get(small);
    const goPer = goLarge !== undefined && goSmall !== undefined ? (goLarge - goSmall) / count : undefined;
    rows.push({ name, nsPerOp: ours, goNsPerOp: goPer, ratio: goPer ? ours / goPer : undefined, note });
  };

  const loaded = new Map<number, Loaded>();
  const configs = new Map<number, RegistriesConfig>();
  for (const n of [10, 100, 1000]) {
    const l = setup(readFileSync(join(dir, `registries-${n}.conf`), 'utf8'));
    loaded.set(n, l);
    configs.set(n, load(l));
    add(`RegistriesParseOnly/N=${n}`, measure(() => load(l)));
  }
  perEntry('registries.conf parse per [[registry]] entry', 'RegistriesParseOnly/N=100', 'RegistriesParseOnly/N=1000', 900, '(N=1000 − N=100)/900, both sides');

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

  // The parse itself, as c/i's benchmark measures it; the per-process cache the pull path uses is a separate row.
  add('ParseNormalizedNamed/cimage/mix9', measure(() => REF_INPUTS.map(([, s]) => parseNormalizedNamedUncached(s))));
  for (const [kind, input] of REF_INPUTS) add(`ParseNormalizedNamed/cimage/${kind}`, measure(() => parseNormalizedNamedUncached(input)));
  add('ParseNormalizedNamed/mix9 (cached, as the pull path calls it)', measure(() => REF_INPUTS.map(([, s]) => parseNormalizedNamed(s))));

  const sys100 = loaded.get(100)!.sys;
  for (const [kind, input] of [
    ['short-3usr-permissive', 'myapp:1.0'],
    ['alias-hit', 'myalias:2.0'],
    ['fully-qualified', 'quay.io/ns/app:tag'],
  ] as const) {
    add(`ShortnamesResolve/${kind}`, measure(() => resolveShortName(c100, sys100, input)), 'no I/O per call (Go re-reads the alias cache file each time)');
  }

  const policyTexts = new Map<number, string>();
  for (const n of [10, 100, 1000]) {
    const textIn = readFileSync(join(dir, `policy-${n}.json`), 'utf8');
    policyTexts.set(n, textIn);
    add(`PolicyParse/N=${n}`, measure(() => parsePolicyText(textIn)));
  }
  perEntry('policy.json parse per scope', 'PolicyParse/N=100', 'PolicyParse/N=1000', 900, '(N=1000 − N=100)/900, both sides');
  for (const n of [10, 100, 1000]) {
    const policy: Policy = { path: `policy-${n}.json`, ...parsePolicyText(policyTexts.get(n)!) };
    for (const [kind, input] of policyCases(n)) {
      const ref = parseNormalizedNamed(input);
      if (allowed(policy, ref) !== (kind !== 'miss-default-reject')) throw new Error(`policy case ${kind} at N=${n} decided wrongly`);
      add(`PolicyIsRunningImageAllowed/N=${n}/${kind}`, measure(() => allowed(policy, ref)), 'scope lookup + verdict (no signatures)');
    }
  }

  const node1000 = fullNode(readFileSync(join(dir, 'registries-1000.conf'), 'utf8'), policyTexts.get(1000)!, 1000);
  for (const [kind, input] of fullResolveCases(1000)) {
    const sources = fullResolve(node1000, input);
    add(`FullResolve/N=1000/${kind}`, measure(() => fullResolve(node1000, input)), `candidates → ${sources} sources, policy scope, credentials`);
  }

  configs.clear();
  const before = heapAfterGc();
  const kept = [1, 2, 3, 4].map(() => load(loaded.get(1000)!));
  const heap = (heapAfterGc() - before) / kept.length;
  rows.push({ name: 'heap retained per 1000 [[registry]] entries (bytes)', nsPerOp: heap, note: `a loaded N=1000 config (${bytes(heap)}), file text not counted` });
  void kept.length;

  const big = setup(genRegistriesConf(10_000));
  const c10k = load(big);
  rows.push({ name: 'RegistriesParseOnly/N=10000', nsPerOp: measure(() => load(big), 1), note: 'generated like gen_test.go' });
  for (const [kind, input] of lookupBatch(10_000).slice(0, 5)) {
    const name = refName(tagNameOnly(parseNormalizedNamed(input)));
    rows.push({ name: `FindRegistryWarm/N=10000/${kind}`, nsPerOp: measure(() => findRegistry(c10k.index, name)) });
  }
  const node10k = fullNode(genRegistriesConf(10_000), policyTexts.get(1000)!, 10_000);
  for (const [kind, input] of fullResolveCases(10_000)) {
    const sources = fullResolve(node10k, input);
    rows.push({ name: `FullResolve/N=10000/${kind}`, nsPerOp: measure(() => fullResolve(node10k, input)), note: `candidates → ${sources} sources, policy scope, credentials` });
  }
  return rows;
}

function nsOf(rows: readonly Row[], name: string): number | undefined {
  return rows.find((r) => r.name === name)?.nsPerOp;
}

export const MATCH_KINDS = ['hit-exact', 'hit-namespace', 'hit-wildcard', 'miss-dockerhub'];

/** The resolver's printed targets, from the rows above and the Go baseline they carry. */
export function resolverTargets(rows: readonly Row[]): Target[] {
  const targets: Target[] = [];
  const speedups = MATCH_KINDS.map((k) => {
    const r = rows.find((x) => x.name === `FindRegistryWarm/N=1000/${k}`)!;
    return { k, s: r.goNsPerOp ? r.goNsPerOp / r.nsPerOp : undefined };
  });
  const worst = speedups.reduce((a, b) => ((b.s ?? Infinity) < (a.s ?? Infinity) ? b : a));
  targets.push({ name: 'warm match N=1000: speed-up over c/i FindRegistry (worst kind)', measured: worst.s === undefined ? 'no Go figure' : `${worst.s.toFixed(1)}× (${worst.k})`, aim: '≥ 10×', met: worst.s === undefined ? undefined : worst.s >= 10 });
  const growth = MATCH_KINDS.map((k) => ({ k, g: nsOf(rows, `FindRegistryWarm/N=1000/${k}`)! / nsOf(rows, `FindRegistryWarm/N=10/${k}`)! }));
  const maxGrowth = growth.reduce((a, b) => (b.g > a.g ? b : a));
  targets.push({ name: 'warm match N=1000 vs N=10 (worst kind)', measured: `${maxGrowth.g.toFixed(2)}× (${maxGrowth.k})`, aim: '≤ 2×', met: maxGrowth.g <= 2 });
  const goFind = MATCH_KINDS.map((k) => rows.find((x) => x.name === `FindRegistryWarm/N=1000/${k}`)!.goNsPerOp).filter((x): x is number => x !== undefined);
  const fastestGoFind = goFind.length ? Math.min(...goFind) : undefined;
  const full = rows.filter((r) => r.name.startsWith('FullResolve/N=1000/') && !r.name.endsWith('short-name-3-candidates'));
  const slowestFull = full.reduce((a, b) => (b.nsPerOp > a.nsPerOp ? b : a));
  targets.push({
    name: 'one full resolve N=1000 (slowest fully-qualified case) vs c/i FindRegistry alone (fastest kind)',
    measured: `${num(slowestFull.nsPerOp)} ns vs ${num(fastestGoFind)} ns (${slowestFull.name.split('/').pop()})`,
    aim: 'faster',
    met: fastestGoFind === undefined ? undefined : slowestFull.nsPerOp < fastestGoFind,
  });
  for (const name of ['registries.conf parse per [[registry]] entry', 'policy.json parse per scope']) {
    const r = rows.find((x) => x.name === name)!;
    targets.push({ name, measured: `${num(r.nsPerOp)} ns vs c/i ${num(r.goNsPerOp)} ns (${r.ratio === undefined ? '?' : r.ratio.toFixed(2)}×)`, aim: '≤ 1× c/i', met: r.ratio === undefined ? undefined : r.ratio <= 1 });
  }
  const heap = nsOf(rows, 'heap retained per 1000 [[registry]] entries (bytes)')!;
  targets.push({ name: 'heap per 1000 [[registry]] entries', measured: bytes(heap), aim: 'report', met: undefined });
  const r10k = nsOf(rows, 'FullResolve/N=10000/namespace-hit-1mirror')!;
  const r1k = nsOf(rows, 'FullResolve/N=1000/namespace-hit-1mirror')!;
  targets.push({ name: 'full resolve at N=10000 (namespace hit, 1 mirror)', measured: `${num(r10k)} ns (${(r10k / r1k).toFixed(2)}× N=1000)`, aim: 'report', met: undefined });
  return targets;
}

export function formatRows(rows: readonly Row[]): string {
  return formatTable(
    ['benchmark', 'pullsim ns/op (min of 5)', 'c/i Go ns/op (median)', 'ratio (<1: pullsim faster)', 'note'],
    rows.map((r) => [r.name, num(r.nsPerOp), num(r.goNsPerOp), r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.note ?? '']),
    [0, 4],
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatRows(await runResolverBench()));
}
