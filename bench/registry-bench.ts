/**
 * Fake registry throughput next to a bare node:http(s) server sending the same bytes with the
 * same headers and, when it is installed, next to CNCF distribution holding the same image;
 * measured in the same run with the same clients over loopback; and lab start time.
 * Not a test: figures are printed, never asserted.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TokenStore } from '../sim/auth.js';
import { realClock } from '../sim/clock.js';
import { startFakeServer, type RunningServer, type TlsMaterial } from '../sim/fake-server.js';
import { buildImage, sha256, type BuiltImage } from '../sim/images.js';
import { startLab } from '../sim/lab.js';
import { buildPki } from '../sim/pki.js';
import { registryResponse, type ApiResponse, type RegistryContext } from '../sim/registry-api.js';
import { repositoryOf, store, type RegistryContent } from '../sim/registry-content.js';
import type { RegistrySpec, Scenario } from '../src/scenario/types.js';
import { distributionUnavailable, distributionVersion, startDistribution, type PushedImage } from './distribution-baseline.js';
import { formatTable, formatTargets, type Target } from './table.js';

export interface Row {
  name: string;
  /** Requests per second through the fake registry (or ms for a start-time row). */
  value: number;
  unit: 'req/s' | 'ms';
  /** The bare node server's requests per second on the same case. */
  baseline?: number;
  /** value / baseline: 1 means as fast as a bare server. */
  ratio?: number;
  /** docker-registry's requests per second on the same case, when it ran. */
  distribution?: number;
  /** value / distribution: 5 means five times docker-registry's rate. */
  vsDistribution?: number;
}

export interface RegistryBench {
  rows: Row[];
  /** What the docker-registry columns measured, or why there are none. */
  distribution: { version: string } | { skipped: string };
}

interface AutocannonResult {
  requests: { average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ACCEPT = 'application/vnd.docker.distribution.manifest.v2+json';

interface Case {
  name: string;
  method: 'GET' | 'HEAD';
  path: string;
}

/** The fake registry's content, the same image as distribution pushes it, and the cases on it. */
function benchContent(): { ctx: RegistryContext; pushed: PushedImage; cases: Case[] } {
  const content: RegistryContent = new Map();
  const image: BuiltImage = buildImage('bench', {});
  const repo = repositoryOf(content, 'bench/app');
  store(repo, image.manifests, image.blobs, 'v1');
  const big = Buffer.alloc(1024 * 1024, 7);
  const bigDigest = sha256(big);
  store(repo, [], [{ digest: bigDigest, bytes: big }]);
  const layer = image.blobs[1]!.digest;
  return {
    ctx: { content, tokens: new TokenStore(), corruptBlob: false },
    pushed: { repository: 'bench/app', tag: 'v1', manifests: image.manifests, blobs: [...image.blobs, { digest: bigDigest, bytes: big }] },
    cases: [
      { name: 'GET /v2/', method: 'GET', path: '/v2/' },
      { name: 'GET manifest', method: 'GET', path: '/v2/bench/app/manifests/v1' },
      { name: 'HEAD manifest (node client)', method: 'HEAD', path: '/v2/bench/app/manifests/v1' },
      { name: 'HEAD blob (node client)', method: 'HEAD', path: `/v2/bench/app/blobs/${layer}` },
      { name: 'GET 1 MiB blob', method: 'GET', path: `/v2/bench/app/blobs/${bigDigest}` },
    ],
  };
}

/** The same answers from a bare node server: precomputed, so it measures only the HTTP stack. */
async function startBaseline(ctx: RegistryContext, cases: Case[], tls: TlsMaterial | undefined): Promise<RunningServer> {
  const answers = new Map<string, ApiResponse>(cases.map((c) => [`${c.method} ${c.path}`, registryResponse(ctx, { method: c.method, path: c.path, accept: ACCEPT })!]));
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const a = answers.get(`${req.method} ${req.url}`);
    if (!a) return void res.writeHead(404).end();
    res.writeHead(a.status, { ...a.headers, 'content-length': a.body.length });
    res.end(a.body);
  };
  const server = tls ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * autocannon cannot measure HEAD (its parser waits for a body of Content-Length bytes), so HEAD
 * cases use keep-alive node clients: `connections` loops, one request at a time each.
 */
async function headRequestsPerSecond(server: RunningServer, scheme: string, c: Case, connections: number, durationS: number): Promise<number> {
  const mod = scheme === 'https' ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: connections, rejectUnauthorized: false } as https.AgentOptions);
  const deadline = performance.now() + durationS * 1000;
  let count = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = mod.request({ host: server.address, port: server.port, path: c.path, method: c.method, agent, headers: { accept: ACCEPT } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${c.name}: status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        await one();
        count++;
      }
    }),
  );
  agent.destroy();
  return count / ((performance.now() - started) / 1000);
}

async function requestsPerSecond(server: RunningServer, scheme: string, c: Case, connections: number, durationS: number): Promise<number> {
  if (c.method === 'HEAD') return headRequestsPerSecond(server, scheme, c, connections, durationS);
  const r = await autocannon({
    url: `${scheme}://${server.address}:${server.port}${c.path}`,
    method: c.method,
    headers: { accept: ACCEPT },
    connections,
    duration: durationS,
  });
  if (r.non2xx || r.errors) throw new Error(`${c.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return r.requests.average;
}

function tenRegistries(): Scenario {
  const registries: Record<string, RegistrySpec> = {};
  for (let i = 0; i < 10; i++) {
    registries[`r${i}`] = {
      handle: `r${i}`,
      host: `r${i}.bench.test:5000`,
      tls: i % 2 ? {} : false,
      images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] }, [`lab/own${i}:v1`]: { options: { layers: 2 }, sign: [] } },
      faults: {},
    };
  }
  return { file: 'bench', name: 'bench', runtime: 'crio', versions: {}, cas: { lab: {} }, keys: {}, images: { app: {} }, hosts: {}, registries, node: { files: {} }, cluster: [], pulls: [] };
}

export async function runRegistryBench(durationS = 2): Promise<RegistryBench> {
  const rows: Row[] = [];
  const { ctx, pushed, cases } = benchContent();
  const pki = buildPki({ file: 'bench', cas: { lab: {} } });
  // Every server presents this one certificate, so the TLS handshake costs the same everywhere.
  const cert = pki.serverCert({}, ['127.0.0.1', 'localhost'], 'bench');
  const skipped = distributionUnavailable();
  for (const scheme of ['http', 'https'] as const) {
    const tls = scheme === 'https' ? cert : undefined;
    const servers: RunningServer[] = [];
    try {
      const sim = await startFakeServer(
        { tls, registry: { handle: 'bench', ctx, faults: {} }, tokenRoutes: [], tokens: ctx.tokens, clock: realClock, onAccess: () => undefined },
        { address: '127.0.0.1', port: 0 },
      );
      servers.push(sim);
      const bare = await startBaseline(ctx, cases, tls);
      servers.push(bare);
      const dist = skipped ? undefined : await startDistribution({ tls: tls && { ...tls, ca: pki.caPems.lab! }, images: [pushed] });
      if (dist) servers.push(dist);
      for (const connections of [10, 50]) {
        for (const c of cases) {
          const value = await requestsPerSecond(sim, scheme, c, connections, durationS);
          const baseline = await requestsPerSecond(bare, scheme, c, connections, durationS);
          const distribution = dist && (await requestsPerSecond(dist, scheme, c, connections, durationS));
          rows.push({ name: `${scheme} ${c.name} c=${connections}`, value, unit: 'req/s', baseline, ratio: value / baseline, distribution, vsDistribution: distribution && value / distribution });
        }
      }
    } finally {
      for (const s of servers) await s.close();
    }
  }
  const s = tenRegistries();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const lab = await startLab(s);
    times.push(performance.now() - t);
    await lab.close();
  }
  times.sort((a, b) => a - b);
  rows.push({ name: 'startLab, 10 registries (median of 7)', value: times[3]!, unit: 'ms' });
  return { rows, distribution: skipped ? { skipped } : { version: distributionVersion() } };
}

const MANIFEST_GET = / GET manifest /;

/** The aims for manifest GET: at least 80% of a bare node server, at least 5× docker-registry. */
export function registryTargets(bench: RegistryBench): Target[] {
  const targets: Target[] = [];
  for (const r of bench.rows.filter((r) => MANIFEST_GET.test(r.name))) {
    targets.push({ name: `${r.name} vs bare node`, measured: ratio(r.ratio), aim: '≥ 0.80×', met: r.ratio === undefined ? undefined : r.ratio >= 0.8 });
    if ('version' in bench.distribution) {
      targets.push({ name: `${r.name} vs docker-registry`, measured: ratio(r.vsDistribution), aim: '≥ 5×', met: r.vsDistribution === undefined ? undefined : r.vsDistribution >= 5 });
    }
  }
  return targets;
}

function ratio(n: number | undefined): string {
  return n === undefined ? '' : `${n.toFixed(2)}×`;
}

function rate(n: number | undefined, unit = 'req/s'): string {
  return n === undefined ? '' : `${Math.round(n).toLocaleString('en-US')} ${unit}`;
}

/** The whole registry report: what distribution was (or why it is absent), the table, the targets. */
export function formatRows(bench: RegistryBench): string {
  const d = bench.distribution;
  const withDistribution = 'version' in d;
  const note =
    'version' in d
      ? `docker-registry: ${d.version}, its own process on 127.0.0.1, filesystem storage in a temp folder, inmemory blob descriptor cache`
      : `docker-registry: ${d.skipped}; its columns are skipped`;
  const header = ['benchmark', 'pullsim', 'bare node', 'ratio', ...(withDistribution ? ['docker-registry', 'ratio'] : [])];
  const lines = bench.rows.map((r) => [r.name, rate(r.value, r.unit), rate(r.baseline), ratio(r.ratio), ...(withDistribution ? [rate(r.distribution), ratio(r.vsDistribution)] : [])]);
  return `${note}\n\n${formatTable(header, lines)}\n\n${formatTargets(registryTargets(bench))}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatRows(await runRegistryBench()));
}
