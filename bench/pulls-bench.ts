/**
 * 1000 mixed pulls (mirrors, HTTP fallback, basic and bearer auth, gpg and sigstore signatures,
 * failures) through the real runner, for every runtime: pulls per second, heap peak, and heap
 * against pull count. skopeo, podman and crio run the containers/image scenario below; containerd
 * and vsphere-pod the containerd family's (pulls-containerd.ts: hosts.toml instead of
 * registries.conf, no signatures). When skopeo is installed, the real skopeo pulls a sample of
 * the same images from the same registries, for a rate ratio and an agreement count.
 * Not a test: figures are printed, never asserted.
 */
import { channel } from 'node:diagnostics_channel';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { runScenario } from '../src/run/run-scenario.js';
import type { JudgedPull } from '../src/run/outcome.js';
import { loadScenarioText } from '../src/scenario/index.js';
import type { Scenario } from '../src/scenario/types.js';
import type { RuntimeName } from '../src/system-context.js';
import { startLab } from '../sim/lab.js';
import { IDLE_TIMEOUT_MS } from '../src/pull/conn-pool.js';
import { MEMORY_LINK_CHANNEL } from '../src/pull/memory-link.js';
import { settledDataHeap, settledHeap } from './gc.js';
import { containerdPullsScenarioText } from './pulls-containerd.js';
import { realSkopeoCopy, realSkopeoUnavailable, skopeoVersion, startRealNode } from './real-skopeo.js';
import { bytes, formatTable, num, type Target } from './table.js';
import { ALICE, CA, sharedRegistries } from './pulls-registries.js';

interface PullKind {
  kind: string;
  image: (i: number) => string;
  result: 'pulled' | 'failed';
  from?: string;
}

/** The mix, cycled: 8 of 14 kinds succeed. Addresses in 127.0.9.0/24 keep clear of the conformance scenarios'. */
const KINDS: PullKind[] = [
  { kind: 'https plain', image: (i) => `harbor.bench.test/lib/app${i % 10}:v1`, result: 'pulled', from: 'harbor' },
  { kind: 'mirror (first down)', image: () => 'harbor.bench.test/mirrored/app:v1', result: 'pulled', from: 'mirror1' },
  { kind: 'HTTP fallback (insecure)', image: () => 'plain.bench.test:5000/lib/tool:v1', result: 'pulled', from: 'plain' },
  { kind: 'basic auth', image: () => 'private.bench.test:5443/team-a/app:v1', result: 'pulled', from: 'private' },
  { kind: 'bearer auth', image: () => 'tokenreg.bench.test:5443/team-a/app:v1', result: 'pulled', from: 'tokenreg' },
  { kind: 'bearer anonymous public', image: () => 'tokenreg.bench.test:5443/public/app:v1', result: 'pulled', from: 'tokenreg' },
  { kind: 'gpg signedBy', image: () => 'harbor.bench.test/gpg/app:v1', result: 'pulled', from: 'harbor' },
  { kind: 'sigstoreSigned', image: () => 'harbor.bench.test/sigstore/app:v1', result: 'pulled', from: 'harbor' },
  { kind: 'gpg unsigned (rejected)', image: () => 'harbor.bench.test/gpg/unsigned:v1', result: 'failed' },
  { kind: 'sigstore unsigned (rejected)', image: () => 'harbor.bench.test/sigstore/unsigned:v1', result: 'failed' },
  { kind: 'manifest unknown', image: (i) => `harbor.bench.test/lib/app${i % 10}:nope`, result: 'failed' },
  { kind: 'HTTP not insecure', image: () => 'plain2.bench.test:5000/lib/tool:v1', result: 'failed' },
  { kind: 'basic auth denied repo', image: () => 'private.bench.test:5443/team-b/app:v1', result: 'failed' },
  { kind: 'host down', image: () => 'down.bench.test/lib/app:v1', result: 'failed' },
];


/** The runtimes that read registries.conf and policy.json, as containers/image does. */
export type ContainersImageRuntime = 'skopeo' | 'podman' | 'crio';

/** Every runtime, in the order the bench runs them. */
export const PULLS_RUNTIMES: readonly RuntimeName[] = ['skopeo', 'podman', 'crio', 'containerd', 'vsphere-pod'];

/** The generated scenario: `n` pulls cycling through KINDS. */
export function pullsScenarioText(n: number, runtime: ContainersImageRuntime): string {
  const libImages: Record<string, unknown> = {};
  for (let i = 0; i < 10; i++) libImages[`lib/app${i}:v1`] = { layers: 1 + (i % 3) };
  const auths = JSON.stringify({ auths: { 'private.bench.test:5443': { auth: ALICE }, 'tokenreg.bench.test:5443': { auth: ALICE } } });
  const policy = {
    default: [{ type: 'insecureAcceptAnything' }],
    transports: {
      docker: {
        'harbor.bench.test/gpg': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/etc/containers/keys/gpg.pub' }],
        'harbor.bench.test/sigstore': [{ type: 'sigstoreSigned', keyPath: '/etc/containers/keys/sigstore.pub', signedIdentity: { type: 'matchRepoDigestOrExact' } }],
      },
    },
  };
  const doc = {
    name: `pulls bench: ${n} mixed pulls (${runtime})`,
    runtime,
    cas: { lab: {} },
    keys: { gpgkey: { type: 'gpg', email: 'release@bench.test' }, sskey: { type: 'sigstore' } },
    images: { app: {}, tool: { layers: 2 } },
    hosts: { 'down.bench.test': '127.0.9.40' },
    registries: {
      harbor: {
        host: 'harbor.bench.test',
        ip: '127.0.9.12',
        tls: CA,
        lookaside: 'file:///srv/lookaside/harbor',
        images: {
          ...libImages,
          'mirrored/app:v1': 'app',
          'gpg/app:v1': { image: 'app', sign: ['gpgkey'] },
          'gpg/unsigned:v1': 'app',
          'sigstore/app:v1': { image: 'app', sign: ['sskey'] },
          'sigstore/unsigned:v1': 'app',
        },
      },
      mirror1: { host: 'mirror1.bench.test:5000', ip: '127.0.9.21', tls: CA, images: { 'cache/mirrored/app:v1': 'app' } },
      mirror3: { host: 'mirror3.bench.test:5000', ip: '127.0.9.23', tls: CA, images: { 'cache/mirrored/app:v1': 'app' }, faults: { down: true } },
      ...sharedRegistries({ 'team-a/app:v1': 'app', 'public/app:v1': 'app' }),
    },
    node: {
      files: {
        '/etc/containers/certs.d/harbor.bench.test/ca.crt': CA,
        '/etc/containers/certs.d/mirror1.bench.test:5000/ca.crt': CA,
        '/etc/containers/certs.d/mirror3.bench.test:5000/ca.crt': CA,
        '/etc/containers/certs.d/private.bench.test:5443/ca.crt': CA,
        '/etc/containers/certs.d/tokenreg.bench.test:5443/ca.crt': CA,
        '/etc/containers/certs.d/auth.bench.test:5559/ca.crt': CA,
        '/etc/containers/keys/gpg.pub': { publicKey: 'gpgkey' },
        '/etc/containers/keys/sigstore.pub': { publicKey: 'sskey' },
        '/etc/containers/policy.json': JSON.stringify(policy, null, 2),
        '/etc/containers/registries.d/harbor.yaml': 'docker:\n  harbor.bench.test/gpg:\n    lookaside: file:///srv/lookaside/harbor\n  harbor.bench.test/sigstore:\n    use-sigstore-attachments: true\n',
        '/etc/containers/registries.conf': [
          'unqualified-search-registries = ["harbor.bench.test"]',
          '',
          '[[registry]]',
          'location = "harbor.bench.test/mirrored"',
          '[[registry.mirror]]',
          'location = "mirror3.bench.test:5000/cache/mirrored"',
          '[[registry.mirror]]',
          'location = "mirror1.bench.test:5000/cache/mirrored"',
          '',
          '[[registry]]',
          'location = "plain.bench.test:5000"',
          'insecure = true',
          '',
        ].join('\n'),
        '/run/containers/0/auth.json': auths,
        '/var/lib/kubelet/config.json': auths,
      },
    },
    pulls: Array.from({ length: n }, (_, i) => {
      const k = KINDS[i % KINDS.length]!;
      return { image: k.image(i), expect: k.from ? { result: k.result, from: k.from } : { result: k.result } };
    }),
  };
  return stringify(doc, { lineWidth: 0 });
}

/** The runtime's generated scenario: the containers/image one, or the containerd family's. */
export function pullsScenario(n: number, runtime: RuntimeName): Scenario {
  const text = runtime === 'containerd' || runtime === 'vsphere-pod' ? containerdPullsScenarioText(n, runtime) : pullsScenarioText(n, runtime);
  return loadScenarioText(text, `bench:pulls-${n}-${runtime}.yaml`);
}

export interface PullsRow {
  runtime: RuntimeName;
  pulls: number;
  /** Whole runScenario (lab start, node layout, pulls), in the run timed before the heap figures' forced collections. */
  totalMs: number;
  /** startLab + close alone for the same scenario (keys, certificates, images). */
  setupMs: number;
  pullsPerS: number;
  heapPeak: number;
  /** Heap after the run and a full collection, minus before, V8's compiled code left out (the report itself is still held). */
  heapRetained: number;
  /** Of heapRetained, what letting the report go frees. */
  heapReport: number;
  /** TCP connections and TLS handshakes the pulls' clients opened. */
  connections: number;
  handshakes: number;
  unmet: number;
  firstUnmet?: string;
}

/** What a run leaves for the heap figures; the report is held here so that dropping it frees it. */
interface Held {
  pulls?: JudgedPull[];
}

let tlsConnects = 0;
const realTlsConnect = tls.connect;

/** Counts connections (TCP ones on node's client socket channel, in-process ones on the memory link's) and TLS handshakes started while `fn` runs. */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; connections: number; handshakes: number }> {
  let connections = 0;
  const onSocket = () => connections++;
  const sockets = channel('net.client.socket');
  const links = channel(MEMORY_LINK_CHANNEL);
  sockets.subscribe(onSocket);
  links.subscribe(onSocket);
  // node publishes no channel for TLS client handshakes: count the calls that start them.
  (tls as { connect: typeof tls.connect }).connect = ((...a: Parameters<typeof tls.connect>) => (tlsConnects++, realTlsConnect(...a))) as typeof tls.connect;
  const before = tlsConnects;
  try {
    const value = await fn();
    return { value, connections, handshakes: tlsConnects - before };
  } finally {
    sockets.unsubscribe(onSocket);
    links.unsubscribe(onSocket);
    (tls as { connect: typeof tls.connect }).connect = realTlsConnect;
  }
}

async function timedRun(s: Scenario, held: Held): Promise<{ ms: number; peak: number; connections: number; handshakes: number }> {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const t = performance.now();
  try {
    const r = await counted(async () => void (held.pulls = (await runScenario(s)).pulls));
    return { ms: performance.now() - t, peak: Math.max(peak, process.memoryUsage().heapUsed), connections: r.connections, handshakes: r.handshakes };
  } finally {
    clearInterval(timer);
  }
}

async function setupMs(s: Scenario): Promise<number> {
  const t = performance.now();
  const lab = await startLab(s);
  await lab.close();
  return performance.now() - t;
}

/** Enough pulls to take every kind of either scenario several times. */
const WARM_UP_PULLS = 112;

/*
 * The report is touched only in these helpers, never in runPullsBench: a not yet optimised frame
 * keeps whatever its registers last held, and the collections behind the heap figures run with
 * that frame on the stack. A local there holding the report kept each row's report alive after it
 * was dropped, until the next row overwrote the register, so every row counted the previous row's
 * report as its own (the first crio row "freed" the 1000-pull skopeo report).
 */
/**
 * A scenario run unmeasured: once per runtime before its first row (its code compiled, its caches
 * filled), then each row's own scenario before the measured run. V8's state follows the length of
 * the last run: optimised code (left out of the heap figures, see settledDataHeap) and the
 * feedback and inline caches behind it (not left out) grow up to about 500 pulls and are given
 * back when a shorter run follows. After a shorter run, a row counted that growth as its own:
 * 100 → 400 pulls read 1–3 KiB per pull for podman, containerd and vsphere-pod, all of it V8's
 * (a heap snapshot's diff: code, deoptimisation data, relocation info, feedback vectors).
 */
async function warmUp(s: Scenario): Promise<void> {
  await timedRun(s, {});
}

/**
 * Until the last run's sockets and servers are gone: the lab's close destroys them, and they
 * leave a few loop turns later, kept-alive client connections with them. A fixed
 * IDLE_TIMEOUT_MS + 200 ms twice a row was most of a --quick run; IDLE_TIMEOUT_MS, after which
 * the pool drops an idle connection anyway, still bounds the wait.
 */
async function socketsGone(): Promise<void> {
  const until = performance.now() + IDLE_TIMEOUT_MS + 200;
  while (performance.now() < until && process.getActiveResourcesInfo().some((r) => /^(TCP|TLS)/.test(r))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Unmet expectations of the held report, which is then let go. */
function releaseReport(held: Held): { unmet: number; firstUnmet?: string } {
  const unmet = held.pulls!.filter((p) => p.expect && !p.expect.met);
  held.pulls = undefined;
  const first = unmet[0];
  return { unmet: unmet.length, firstUnmet: first ? `${first.image}: ${first.expect!.failures?.join('; ')}` : undefined };
}

export async function runPullsBench(counts: readonly number[] = [250, 500, 1000], runtimes: readonly RuntimeName[] = PULLS_RUNTIMES): Promise<PullsRow[]> {
  const rows: PullsRow[] = [];
  for (const runtime of runtimes) {
    await warmUp(pullsScenario(WARM_UP_PULLS, runtime));
    for (const n of counts) {
      const s = pullsScenario(n, runtime);
      await warmUp(s);
      // Timed before any forced collection: a run right after the heap figures' full collections
      // went 30–40% slower (V8 has shrunk its heap and starts it over), a cost of the bench's own
      // instrument that no real run pays. The heap figures come from a later run, after the same
      // unmeasured run before it as always (a row's report figure read other runs' leftovers without).
      const timed = await timedRun(s, {});
      await warmUp(s);
      const setup = await setupMs(s);
      await socketsGone();
      const peakBase = await settledHeap();
      const before = await settledDataHeap();
      const held: Held = {};
      const r = await timedRun(s, held);
      await socketsGone();
      const withReport = await settledDataHeap();
      const { unmet, firstUnmet } = releaseReport(held);
      const heapReport = withReport - (await settledDataHeap());
      rows.push({
        runtime,
        pulls: n,
        totalMs: timed.ms,
        setupMs: setup,
        pullsPerS: n / ((timed.ms - setup) / 1000),
        heapPeak: r.peak - peakBase,
        heapRetained: withReport - before,
        heapReport,
        connections: r.connections,
        handshakes: r.handshakes,
        unmet,
        firstUnmet,
      });
    }
  }
  return rows;
}

export interface RealSkopeoResult {
  version: string;
  samples: number;
  totalMs: number;
  pullsPerS: number;
  /** Samples where the real skopeo and pullsim (runtime skopeo) agree on the result and the final error. */
  agree: number;
  disagreements: string[];
}

/** The real skopeo on `perKind` pulls of each kind, from the same registries bound as `pullsim serve` binds them. */
export async function runRealSkopeoSample(perKind = 2): Promise<RealSkopeoResult | string> {
  const why = realSkopeoUnavailable();
  if (why) return why;
  const n = KINDS.length * perKind;
  const scenario = pullsScenario(n, 'skopeo');
  const ours = await runScenario(scenario);
  const node = await startRealNode(scenario);
  try {
    let totalMs = 0;
    let agree = 0;
    const disagreements: string[] = [];
    for (const [i, pull] of node.scenario.pulls.entries()) {
      const r = await realSkopeoCopy(node, pull, pull.image!);
      totalMs += r.ms;
      const mine = ours.pulls[i]!;
      const same = (r.exitCode === 0) === (mine.result === 'pulled') && (r.error ?? null) === mine.error;
      if (same) agree++;
      else disagreements.push(`${pull.image}: skopeo exit ${r.exitCode} ${JSON.stringify(r.error ?? null)}; pullsim ${mine.result} ${JSON.stringify(mine.error)}`);
    }
    return { version: skopeoVersion(), samples: n, totalMs, pullsPerS: n / (totalMs / 1000), agree, disagreements };
  } finally {
    await node.close();
  }
}

export function formatPullsRows(rows: readonly PullsRow[]): string {
  return formatTable(
    ['runtime', 'pulls', 'total ms', 'setup ms', 'pulls/s (excl. setup)', 'ms/pull', 'conns/pull', 'handshakes/pull', 'heap peak Δ', 'heap retained Δ', 'of it the report', 'rest per pull', 'expectations unmet'],
    rows.map((r) => [
      r.runtime,
      String(r.pulls),
      num(r.totalMs),
      num(r.setupMs),
      num(r.pullsPerS),
      ((r.totalMs - r.setupMs) / r.pulls).toFixed(2),
      (r.connections / r.pulls).toFixed(2),
      (r.handshakes / r.pulls).toFixed(3),
      bytes(r.heapPeak),
      bytes(r.heapRetained),
      bytes(r.heapReport),
      bytes((r.heapRetained - r.heapReport) / r.pulls),
      r.unmet ? `${r.unmet} (${r.firstUnmet})` : '0',
    ]),
    [0, 12],
  );
}

export function pullsTargets(rows: readonly PullsRow[], real: RealSkopeoResult | string): Target[] {
  const targets: Target[] = [];
  const skopeoRows = rows.filter((r) => r.runtime === 'skopeo');
  const largest = skopeoRows.reduce((a, b) => (b.pulls > a.pulls ? b : a), skopeoRows[0]!);
  if (typeof real === 'string') targets.push({ name: 'pullsim (runtime skopeo) vs the real skopeo rate', measured: `not measured: ${real}`, aim: '≥ 50×', met: undefined });
  else if (largest) {
    const ratio = largest.pullsPerS / real.pullsPerS;
    targets.push({ name: `pullsim (runtime skopeo, ${largest.pulls} pulls) vs real ${real.version} (${real.samples} pulls)`, measured: `${num(largest.pullsPerS)} vs ${num(real.pullsPerS, 2)} pulls/s = ${ratio.toFixed(1)}×`, aim: '≥ 50×', met: ratio >= 50 });
  }
  // One target per runtime that ran, so a runtime whose heap grows cannot hide behind another's.
  for (const runtime of new Set(rows.map((r) => r.runtime))) {
    const rs = rows.filter((r) => r.runtime === runtime).sort((a, b) => a.pulls - b.pulls);
    const name = `heap per pull beyond the report (${runtime}, ${rs[0]!.pulls} → ${rs[rs.length - 1]!.pulls})`;
    if (rs.length < 2) {
      targets.push({ name, measured: 'not measured: one pull count', aim: 'flat (< 0.5 KiB/pull)', met: undefined });
      continue;
    }
    const first = rs[0]!;
    const last = rs[rs.length - 1]!;
    const span = last.pulls - first.pulls;
    const reportPerPull = (last.heapReport - first.heapReport) / span;
    const restPerPull = (last.heapRetained - last.heapReport - (first.heapRetained - first.heapReport)) / span;
    const peakGrowth = last.heapPeak / Math.max(first.heapPeak, 1);
    targets.push({
      name,
      measured: `${bytes(restPerPull)}/pull (the report itself ${bytes(reportPerPull)}/pull; peak ×${peakGrowth.toFixed(2)} for ×${(last.pulls / first.pulls).toFixed(0)} pulls)`,
      aim: 'flat (< 0.5 KiB/pull)',
      met: Math.abs(restPerPull) < 512,
    });
  }
  return targets;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const counts = process.argv.slice(2).map(Number);
  const rows = await runPullsBench(counts.length ? counts : undefined);
  console.log(formatPullsRows(rows));
}
