/**
 * CNCF distribution (Debian's `docker-registry`, distribution 2.8) as a second baseline for the
 * registry bench: the registry real nodes pull from, holding the same image bytes the fake
 * registry serves. It runs as our own child process on a loopback port with a throwaway config
 * and storage folder (never the packaged systemd service or /var/lib/docker-registry), and is
 * filled through the registry API as a client would push, so it stores exactly what it would in
 * production. Its rates are 2.8's: a CPU profile shows about two thirds of each request going to
 * recompiling every route regexp (App.context → v2.NewURLBuilderFromRequest → Router), which
 * distribution/distribution#3683 fixed after 2.8.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunningServer, TlsMaterial } from '../sim/fake-server.js';
import type { Blob, Manifest } from '../sim/images.js';

export const DISTRIBUTION_BINARY = 'docker-registry';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** Why distribution cannot be measured here, or undefined when it can. */
export function distributionUnavailable(): string | undefined {
  const r = spawnSync(DISTRIBUTION_BINARY, ['--version'], { stdio: 'ignore' });
  return r.error || r.status !== 0 ? `${DISTRIBUTION_BINARY} is not installed (apt-get install -y docker-registry)` : undefined;
}

export function distributionVersion(): string {
  return spawnSync(DISTRIBUTION_BINARY, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** One repository:tag to push; `manifests` has the tagged manifest first (as sim/images.ts builds them). */
export interface PushedImage {
  repository: string;
  tag: string;
  manifests: Manifest[];
  blobs: Blob[];
}

export interface DistributionOptions {
  /** Serve HTTPS with this certificate; `ca` is what the pushing client trusts. */
  tls?: TlsMaterial & { ca: string };
  images: PushedImage[];
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * distribution's shipped config minus auth (the bench client has no credentials), with only
 * errors logged and no access log: the fake registry writes none in the bench either.
 */
function configYaml(root: string, port: number, tls: { certificate: string; key: string } | undefined): string {
  return stringify({
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(root, 'storage') },
      cache: { blobdescriptor: 'inmemory' },
      delete: { enabled: true },
    },
    http: { addr: `127.0.0.1:${port}`, headers: { 'X-Content-Type-Options': ['nosniff'] }, ...(tls ? { tls } : {}) },
  });
}

function request(url: URL, method: string, ca: string | undefined, headers: Record<string, string | number> = {}, body?: Buffer): Promise<Reply> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers, agent: false, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectStatus(what: string, r: Reply, status: number): Reply {
  if (r.status !== status) throw new Error(`docker-registry: ${what}: status ${r.status}, want ${status}: ${r.body.toString('utf8').slice(0, 300)}`);
  return r;
}

/** Monolithic blob upload (POST then PUT …&digest=), then manifests, children by digest and the top one by tag. */
async function push(base: URL, ca: string | undefined, image: PushedImage): Promise<void> {
  const at = (path: string) => new URL(path, base);
  for (const blob of image.blobs) {
    const started = expectStatus(`start upload of ${blob.digest}`, await request(at(`/v2/${image.repository}/blobs/uploads/`), 'POST', ca, { 'content-length': 0 }), 202);
    const location = started.headers.location;
    if (!location) throw new Error(`docker-registry: upload of ${blob.digest} answered without a Location`);
    const put = new URL(location, base);
    put.searchParams.set('digest', blob.digest);
    expectStatus(`upload ${blob.digest}`, await request(put, 'PUT', ca, { 'content-type': 'application/octet-stream', 'content-length': blob.bytes.length }, blob.bytes), 201);
  }
  const [top, ...children] = image.manifests;
  if (!top) throw new Error(`docker-registry: ${image.repository}:${image.tag} has no manifest`);
  for (const m of [...children.reverse().map((m) => ({ m, ref: m.digest })), { m: top, ref: image.tag }]) {
    const r = await request(at(`/v2/${image.repository}/manifests/${m.ref}`), 'PUT', ca, { 'content-type': m.m.mediaType, 'content-length': m.m.bytes.length }, m.m.bytes);
    expectStatus(`push manifest ${image.repository}:${m.ref}`, r, 201);
  }
  // A manifest distribution rewrote would make the comparison one of different bytes.
  const got = expectStatus(`read back ${image.repository}:${image.tag}`, await request(at(`/v2/${image.repository}/manifests/${image.tag}`), 'GET', ca, { accept: top.mediaType }), 200);
  if (got.headers['docker-content-digest'] !== top.digest) throw new Error(`docker-registry: ${image.repository}:${image.tag} reads back as ${got.headers['docker-content-digest']}, pushed ${top.digest}`);
}

async function waitReady(base: URL, ca: string | undefined, child: ChildProcess, spawnError: () => Error | undefined, stderr: () => string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failed = spawnError();
    if (failed) throw new Error(`docker-registry did not start: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) before answering: ${stderr().trim()}`);
    const r = await request(new URL('/v2/', base), 'GET', ca).catch(() => undefined);
    if (r?.status === 200) return;
    if (performance.now() > deadline) throw new Error(`docker-registry did not answer /v2/ within ${READY_TIMEOUT_MS} ms: ${stderr().trim()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts distribution on 127.0.0.1, waits for /v2/, pushes `images`, and returns it running.
 * Any failure stops the process and removes its folder before rethrowing; so does close().
 */
export async function startDistribution(opts: DistributionOptions): Promise<RunningServer> {
  const root = mkdtempSync(join(tmpdir(), 'pullsim-distribution-'));
  let child: ChildProcess | undefined;
  // A bench that dies mid-run must not leave a registry listening, or its storage, behind it.
  const killOnExit = () => {
    child?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  const cleanup = async () => {
    process.off('exit', killOnExit);
    if (child) await stop(child);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const port = await freeLoopbackPort();
    let tls: { certificate: string; key: string } | undefined;
    if (opts.tls) {
      tls = { certificate: join(root, 'server.crt'), key: join(root, 'server.key') };
      writeFileSync(tls.certificate, opts.tls.certPem);
      writeFileSync(tls.key, opts.tls.keyPem, { mode: 0o600 });
    }
    const config = join(root, 'config.yml');
    writeFileSync(config, configYaml(root, port, tls));
    // A clean environment: distribution lets REGISTRY_* variables override the config file.
    child = spawn(DISTRIBUTION_BINARY, ['serve', config], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'ignore', 'pipe'] });
    process.on('exit', killOnExit);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    let spawnError: Error | undefined;
    child.on('error', (e) => (spawnError = e));
    const base = new URL(`${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/`);
    const ca = opts.tls?.ca;
    await waitReady(base, ca, child, () => spawnError, () => stderr);
    for (const image of opts.images) await push(base, ca, image);
    return { address: '127.0.0.1', port, close: cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
