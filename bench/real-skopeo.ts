/**
 * The real skopeo against a scenario's fake registries, for the pulls bench and the
 * cross-check fixtures. The registries listen exactly as `pullsim serve` binds them (scenario
 * ports, loopback addresses from sim/serve.ts loopbackFor); skopeo runs in a private mount
 * namespace (`unshare -m`) where /etc/hosts, /etc/containers, /root, /run and /srv are the
 * scenario node's, so the host's files are never edited and nothing leaks out of the namespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scenarioNodeFiles } from '../src/run/node-files.js';
import { substitutePlaceholders } from '../src/scenario/substitute.js';
import type { PullSpec, Scenario } from '../src/scenario/types.js';
import { startLab, type Lab } from '../sim/lab.js';
import { loopbackFor } from '../sim/serve.js';

/** Folders the namespace replaces with the node's; a node file elsewhere is not laid out. */
const NODE_ROOTS = ['/etc/containers', '/root', '/run', '/srv'];

export function realSkopeoUnavailable(): string | undefined {
  if (spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).status !== 0) return 'skopeo is not installed (apt-get install -y skopeo)';
  if (spawnSync('unshare', ['-m', 'true'], { stdio: 'ignore' }).status !== 0) return '`unshare -m` is not permitted here (needs root)';
  return undefined;
}

export function skopeoVersion(): string {
  return spawnSync('skopeo', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export interface RealNode {
  lab: Lab;
  scenario: Scenario;
  /** /etc/hosts lines, as `pullsim serve` prints them. */
  hosts: string[];
  /** Node files that are outside NODE_ROOTS and so not laid out. */
  skipped: string[];
  root: string;
  close(): Promise<void>;
}

function hostsLines(scenario: Scenario, lab: Lab): string[] {
  const byAddress = new Map<string, Set<string>>();
  const add = (name: string, ip: string) => {
    if (isIP(name) || name === 'localhost') return;
    const address = loopbackFor(ip);
    if (!byAddress.has(address)) byAddress.set(address, new Set());
    byAddress.get(address)!.add(name.toLowerCase());
  };
  for (const ep of lab.endpoints()) for (const n of ep.names) add(n, ep.ip);
  for (const [name, ip] of Object.entries(scenario.hosts)) add(name, ip);
  return [...byAddress].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, names]) => `${a} ${[...names].sort().join(' ')}`);
}

/** Starts the scenario's registries as `pullsim serve` does and lays out its node under a temp root. */
export async function startRealNode(scenario: Scenario): Promise<RealNode> {
  const lab = await startLab(scenario, { bind: ({ ip, port }) => ({ address: loopbackFor(ip), port }) });
  const s = substitutePlaceholders(scenario, { digests: lab.digests, keyData: lab.keyData });
  const root = mkdtempSync(join(tmpdir(), 'pullsim-real-node-'));
  const skipped: string[] = [];
  for (const dir of NODE_ROOTS) mkdirSync(join(root, dir), { recursive: true });
  for (const [path, content] of Object.entries(scenarioNodeFiles(s, lab.nodeFiles()))) {
    if (!NODE_ROOTS.some((r) => path.startsWith(`${r}/`))) {
      skipped.push(path);
      continue;
    }
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content, 'latin1');
  }
  const hosts = hostsLines(scenario, lab);
  writeFileSync(join(root, 'hosts'), `127.0.0.1 localhost\n::1 localhost\n${hosts.join('\n')}\n`);
  return {
    lab,
    scenario: s,
    hosts,
    skipped,
    root,
    close: async () => {
      await lab.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `skopeo copy` flags for a pull's options, as the scenario contract maps them. */
export function skopeoArgs(pull: PullSpec, image: string, dest: string): string[] {
  const o = pull.options;
  const args = ['copy'];
  if (o.tlsVerify !== undefined) args.push(`--src-tls-verify=${o.tlsVerify}`);
  if (o.certDir) args.push('--src-cert-dir', o.certDir);
  if (o.authfile) args.push('--authfile', o.authfile);
  if (o.creds) args.push('--src-creds', o.creds);
  if (o.arch) args.push('--override-arch', o.arch);
  if (o.registriesConf) args.push('--registries-conf', o.registriesConf);
  if (o.signaturePolicy) args.push('--policy', o.signaturePolicy);
  args.push(`docker://${image}`, `dir:${dest}`);
  return args;
}

export interface RealPull {
  /** The command as a user would type it on the node (no temp paths). */
  command: string;
  exitCode: number;
  stderr: string;
  /** skopeo's fatal message (logrus `level=fatal msg="…"`), unescaped; undefined on success. */
  error?: string;
  ms: number;
}

/** logrus text format: msg="…" with Go %q escaping; the fatal line is skopeo's final error. */
export function fatalMessage(stderr: string): string | undefined {
  const m = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  if (!m) return undefined;
  return JSON.parse(`"${m[1]!.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')}"`) as string;
}

/** One `skopeo copy` inside the node's mount namespace. Passwords never reach argv: creds come from the scenario's options only. */
export function realSkopeoCopy(node: RealNode, pull: PullSpec, image: string): Promise<RealPull> {
  const dest = mkdtempSync(join(tmpdir(), 'pullsim-real-out-'));
  const args = skopeoArgs(pull, image, join(dest, 'out'));
  const mounts = [`mount --bind ${node.root}/hosts /etc/hosts`, ...NODE_ROOTS.map((r) => `mount --bind ${node.root}${r} ${r}`)];
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `set -e; ${mounts.join('; ')}; exec skopeo ${quoted}`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/root', LANG: 'C.UTF-8' };
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      rmSync(dest, { recursive: true, force: true });
      const command = `skopeo ${skopeoArgs(pull, image, '/root/out').join(' ')}`;
      resolve({ command, exitCode: code ?? -1, stderr, error: code === 0 ? undefined : fatalMessage(stderr), ms });
    });
  });
}
