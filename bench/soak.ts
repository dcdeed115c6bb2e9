/**
 * `npm run soak`: many pulls against fake registries with random faults, several scenario files
 * at once, the way a long `pullsim serve` or a big `run` lives. Every pull must end as the real
 * stack ends it (pulled, or an error of the kind its fault produces), none may outlive its
 * deadline, and open file descriptors, sockets and heap must be as flat at the last thousand
 * pulls as at the first. Not part of `npm test`: it takes minutes.
 *
 * PULLSIM_SOAK_PULLS (default 10000), PULLSIM_SOAK_SEED (default 1).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { ImageStore } from '../src/kubelet/image-store.js';
import { seededRandom } from '../src/kubelet/seeded-random.js';
import { IDLE_TIMEOUT_MS } from '../src/pull/conn-pool.js';
import type { Network } from '../src/pull/pull-context.js';
import { prepareNode, pullOne, type PreparedNode } from '../src/run/run-scenario.js';
import { loadScenarioText } from '../src/scenario/index.js';
import { substitutePlaceholders } from '../src/scenario/substitute.js';
import type { FaultSpec, Scenario } from '../src/scenario/types.js';
import { startLab, type Lab } from '../sim/lab.js';
import { heapAfterGc } from './gc.js';

const TOTAL = Number(process.env.PULLSIM_SOAK_PULLS ?? 10_000);
const SEED = Number(process.env.PULLSIM_SOAK_SEED ?? 1);
const FILES = 4;
const CONCURRENCY_PER_FILE = 2;
const DEADLINE_MS = 30_000;
const REGISTRIES_PER_FILE = 12;
/**
 * Each registry's access log is a ring (10,000 entries by default, see sim/access-log.ts); the
 * soak keeps 100 so the rings are full within the first thousand pulls and the heap figures show
 * whether anything else grows.
 */
const ACCESS_LOG_LIMIT = 100;

/** What each fault may end a pull with: the last line of the error the runtime reports. */
const FAULTS: { kind: string; faults: FaultSpec; outcome: RegExp }[] = [
  { kind: 'none', faults: {}, outcome: /^pulled$/ },
  { kind: 'slow', faults: { delayMs: 15 }, outcome: /^pulled$/ },
  // CRI-O ≤1.30 returns the source's error bare, so the gRPC text is `… desc = unexpected EOF`.
  // RST after part of a response: Go reads what arrived first, or the reset, depending on timing.
  { kind: 'reset', faults: { reset: true }, outcome: /(?:(?:^|: |= )unexpected EOF|: read: connection reset by peer)$/ },
  { kind: 'truncated body', faults: { truncate: true }, outcome: /(?:^|: |= )unexpected EOF$/ },
  { kind: '500', faults: { status: 500 }, outcome: /: invalid status code from registry 500 \(Internal Server Error\)$/ },
  { kind: '503', faults: { status: 503 }, outcome: /: invalid status code from registry 503 \(Service Unavailable\)$/ },
  { kind: 'wrong digest', faults: { corruptBlob: true }, outcome: /Digest did not match, expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/ },
  { kind: 'down', faults: { down: true }, outcome: /: connect: connection refused$/ },
  { kind: 'token server down', faults: { tokenDown: true }, outcome: /^(?:.*: )?Get "http:\/\/sso-\d+-\d+\.test:5559\/token\?[^"]*": dial tcp [0-9.]+:5559: connect: connection refused$/ },
];
const RUNTIMES = ['skopeo', 'crio', 'podman', 'skopeo'] as const;

interface SoakFile {
  scenario: Scenario;
  lab: Lab;
  node: PreparedNode;
  net: Network;
  /** Fault kind per registry index. */
  kinds: number[];
}

function scenarioText(file: number, kinds: number[]): string {
  const runtime = RUNTIMES[file % RUNTIMES.length];
  const host = (r: number) => `r${file}-${r}.test:5000`;
  const registries = kinds.map((k, r) => {
    const f = FAULTS[k]!;
    const auth = f.faults.tokenDown ? `, auth: { type: bearer, realm: "http://sso-${file}-${r}.test:5559/token", users: { u: p }, anonymous: ["a/*"] }` : '';
    return `  reg${r}: { host: "${host(r)}", tls: false, images: { "a/b:1": {} }, faults: ${JSON.stringify(f.faults)}${auth} }`;
  });
  const conf = kinds.map((_, r) => `      [[registry]]\n      location = "${host(r)}"\n      insecure = true`).join('\n');
  return [
    `name: soak file ${file}`,
    `runtime: ${runtime}`,
    'registries:',
    ...registries,
    'node:',
    '  files:',
    `    /etc/containers/policy.json: '{ "default": [{ "type": "insecureAcceptAnything" }] }'`,
    '    /etc/containers/registries.conf: |',
    conf,
    'pulls:',
    ...kinds.map((_, r) => `  - image: ${host(r)}/a/b:1`),
  ].join('\n');
}

async function openFile(file: number, random: () => number): Promise<SoakFile> {
  // Every fault kind appears in every file; the rest are drawn at random.
  const kinds = Array.from({ length: REGISTRIES_PER_FILE }, (_, r) => (r < FAULTS.length ? r : Math.floor(random() * FAULTS.length)));
  while (kinds.length < FAULTS.length) kinds.push(kinds.length);
  const loaded = loadScenarioText(scenarioText(file, kinds), `soak-${file}.yaml`);
  const lab = await startLab(loaded, { accessLogLimit: ACCESS_LOG_LIMIT });
  const scenario = substitutePlaceholders(loaded, { digests: lab.digests, keyData: lab.keyData });
  const node = prepareNode(scenario, lab.nodeFiles(), lab.caPems, []);
  return { scenario, lab, node, kinds, net: { dialer: lab.dialer, registryAt: (h, p) => lab.registryAt(h, p) } };
}

function openFds(): { fds: number; sockets: number } {
  let sockets = 0;
  const fds = readdirSync('/proc/self/fd');
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the read
    }
  }
  return { fds: fds.length, sockets };
}

interface Sample { pulls: number; seconds: number; fds: number; sockets: number; heapMiB: number; rssMiB: number }

async function main(): Promise<void> {
  const random = seededRandom(SEED);
  const files = await Promise.all(Array.from({ length: FILES }, (_, i) => openFile(i, random)));
  const started = performance.now();
  const samples: Sample[] = [];
  const byKind = new Map<string, { pulls: number; ok: number }>();
  const problems: string[] = [];
  let slowest = 0;
  let done = 0;
  let issued = 0;
  let inFlight = 0;
  // Each thousand, the pulls pause until none is in flight and the idle keep-alive connections
  // have timed out, so the figures count what stays open, not the pool of the moment.
  let paused: Promise<void> | undefined;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const quiesceAndSample = async () => {
    while (inFlight > 0) await sleep(10);
    await sleep(IDLE_TIMEOUT_MS + 250);
    sample();
    paused = undefined;
  };

  const sample = () => {
    const { fds, sockets } = openFds();
    const heap = heapAfterGc();
    samples.push({ pulls: done, seconds: (performance.now() - started) / 1000, fds, sockets, heapMiB: heap / 2 ** 20, rssMiB: process.memoryUsage().rss / 2 ** 20 });
  };

  async function worker(f: SoakFile): Promise<void> {
    for (;;) {
      while (paused) await paused;
      if (issued >= TOTAL) break;
      issued++;
      inFlight++;
      const r = Math.floor(random() * f.kinds.length);
      const fault = FAULTS[f.kinds[r]!]!;
      const pull = f.scenario.pulls[r]!;
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), DEADLINE_MS)));
      const node = { ...f.node, images: new ImageStore() };
      const outcome = await Promise.race([pullOne(f.scenario, node, f.net, pull, pull.image!), deadline]);
      clearTimeout(timer);
      inFlight--;
      slowest = Math.max(slowest, performance.now() - t0);
      const stat = byKind.get(fault.kind) ?? { pulls: 0, ok: 0 };
      byKind.set(fault.kind, stat);
      stat.pulls++;
      if (outcome === 'hung') {
        problems.push(`${f.scenario.file} ${pull.image} (${fault.kind}): still running after ${DEADLINE_MS} ms`);
      } else {
        const ended = outcome.result === 'pulled' ? 'pulled' : (outcome.error ?? '').split('\n').at(-1)!;
        if (fault.outcome.test(ended)) stat.ok++;
        else if (problems.length < 20) problems.push(`${f.scenario.file} ${pull.image} (${fault.kind}, ${f.scenario.runtime}): ${ended}`);
      }
      done++;
      if (done % 1000 === 0 && !paused) paused = quiesceAndSample();
    }
  }

  sample();
  await Promise.all(files.flatMap((f) => Array.from({ length: CONCURRENCY_PER_FILE }, () => worker(f))));
  while (paused) await paused;
  await Promise.all(files.map((f) => f.lab.close()));

  const pad = (v: string | number, n: number) => String(v).padStart(n);
  console.log(`pullsim soak: ${TOTAL} pulls, ${FILES} scenario files (${RUNTIMES.join(', ')}), ${FILES * CONCURRENCY_PER_FILE} at a time, seed ${SEED}\n`);
  console.log('  pulls  seconds  open fds  sockets  heap MiB  rss MiB');
  for (const s of samples) console.log(`${pad(s.pulls, 7)}  ${pad(s.seconds.toFixed(1), 7)}  ${pad(s.fds, 8)}  ${pad(s.sockets, 7)}  ${pad(s.heapMiB.toFixed(1), 8)}  ${pad(s.rssMiB.toFixed(0), 7)}`);
  console.log('\n  fault               pulls  ended as the real stack ends it');
  for (const f of FAULTS) {
    const s = byKind.get(f.kind) ?? { pulls: 0, ok: 0 };
    console.log(`  ${f.kind.padEnd(18)}  ${pad(s.pulls, 5)}  ${pad(s.ok, 5)}`);
  }
  console.log(`\n  slowest pull: ${slowest.toFixed(0)} ms (deadline ${DEADLINE_MS} ms)`);

  // Flat: the median of the later half of the samples against the earlier half (the first sample,
  // before any pull, left out). Idle keep-alive connections come and go between samples, so one
  // sample against another measures the pool, not a leak; a leak moves the median.
  const taken = samples.slice(1);
  const half = Math.floor(taken.length / 2);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const early = taken.slice(0, half);
  const late = taken.slice(half);
  const growth = (pick: (s: Sample) => number) => (early.length ? median(late.map(pick)) - median(early.map(pick)) : 0);
  const g = { fds: growth((s) => s.fds), sockets: growth((s) => s.sockets), heapMiB: growth((s) => s.heapMiB) };
  const signed = (v: number, digits = 0) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  const first = taken[0] ?? samples[0]!;
  const last = samples.at(-1)!;
  console.log(`  first thousand → last: open fds ${first.fds} → ${last.fds}, sockets ${first.sockets} → ${last.sockets}, heap ${first.heapMiB.toFixed(1)} → ${last.heapMiB.toFixed(1)} MiB`);
  console.log(`  median of the later half against the earlier: open fds ${signed(g.fds)}, sockets ${signed(g.sockets)}, heap ${signed(g.heapMiB, 1)} MiB`);
  if (g.fds > 32) problems.push(`open fds grew by ${g.fds}`);
  if (g.sockets > 32) problems.push(`sockets grew by ${g.sockets}`);
  const base = early.length ? median(early.map((s) => s.heapMiB)) : first.heapMiB;
  if (g.heapMiB > Math.max(8, base * 0.25)) problems.push(`heap grew by ${g.heapMiB.toFixed(1)} MiB`);
  if (problems.length) {
    console.log(`\nFAIL\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('\nPASS: every pull ended as its fault makes the real stack end it, none hung, fds, sockets and heap flat');
  }
}

await main();
