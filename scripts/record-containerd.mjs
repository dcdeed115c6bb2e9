#!/usr/bin/env node
// Driver of scripts/record-containerd.sh (run inside its private mount namespace): for each case it
// lays out /etc/containerd/certs.d, pulls with `ctr images pull --hosts-dir` and with the CRI
// PullImage call, reads which registry answered from the registries' access logs, and writes the raw
// recording (fixtures/<group>/<case>.json) and a conformance scenario (scenarios/<group>/<case>.yaml).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { CASES, DEFAULT_CONFIG } from './record-containerd-cases.mjs';
import { pullImage, waitReady } from './record-containerd-cri.mjs';

const { values: opts } = parseArgs({ options: { lab: { type: 'string' }, fixtures: { type: 'string' }, scenarios: { type: 'string' }, only: { type: 'string' } } });
const { lab } = opts;
const socket = join(lab, 'containerd.sock');
const CERTS_D = '/etc/containerd/certs.d';
const CONFIG_PATH = '/etc/containerd/config.toml';
const caPem = readFileSync(join(lab, 'pki', 'ca.crt'), 'utf8');
const digest = readFileSync(join(lab, 'oci', 'digest'), 'utf8').trim();

/** The lab as pullsim scenario registries (what the shell script started). */
const LAB_REGISTRIES = {
  plain: { host: 'plain.test:5001', ip: '127.0.0.21', tls: false },
  harbor: { host: 'harbor.test:5443', ip: '127.0.0.22', tls: { ca: 'lab', names: ['harbor.test'] } },
  auth: { host: 'auth.test:5002', ip: '127.0.0.23', tls: false, auth: { type: 'basic', users: { alice: 'wonderland' } } },
  token: { host: 'token.test:5003', ip: '127.0.0.24', tls: false, auth: { type: 'bearer', realm: 'http://token.test:5004/token', users: { alice: 'wonderland' }, anonymous: ['public/*'] } },
  mirror: { host: 'mirror.test:5005', ip: '127.0.0.25', tls: false },
  empty: { host: 'empty.test:5006', ip: '127.0.0.26', tls: false, empty: true },
  flaky: { host: 'flaky.test:5007', ip: '127.0.0.30', tls: false, faults: { status: 503 } },
  ratelimited: { host: 'ratelimited.test:5008', ip: '127.0.0.31', tls: false, faults: { status: 429 } },
};
const LAB_HOSTS = { 'wrongname.test': '127.0.0.22', 'down.test': '127.0.0.27', 'upstream.test': '127.0.0.28', 'registry-1.docker.io': '127.0.0.29' };
const SERVED = ['tiny:1', 'public/tiny:1', 'private/tiny:1'];

const sub = (s) => s.replaceAll('${digest}', digest);
const unsub = (s) => s.replaceAll(digest, '${digest:tiny}');

// ── logs ─────────────────────────────────────────────────────────────────────
const logFile = (h) => join(lab, 'logs', `${h}.log`);
const sizes = () => Object.fromEntries([...Object.keys(LAB_REGISTRIES), 'tokensrv', 'containerd'].map((h) => [h, (existsSync(logFile(h)) ? statSync(logFile(h)).size : 0)]));
function since(before) {
  const out = {};
  for (const [h, size] of Object.entries(before)) out[h] = (existsSync(logFile(h)) ? readFileSync(logFile(h)) : Buffer.alloc(0)).subarray(size).toString('utf8').split('\n').filter(Boolean);
  return out;
}
/** Requests from the registries' access logs: "HEAD /v2/tiny/manifests/1 200". */
function requests(logs) {
  const out = {};
  for (const h of Object.keys(LAB_REGISTRIES)) {
    const lines = logs[h].map((l) => /"(GET|HEAD|POST|PUT) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(l)).filter(Boolean).map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    if (lines.length) out[h] = lines;
  }
  if (logs.tokensrv.length) out.tokensrv = logs.tokensrv;
  return out;
}
const servedBy = (reqs) => Object.keys(LAB_REGISTRIES).find((h) => (reqs[h] ?? []).some((r) => / \/v2\/.+\/manifests\/\S+ 200$/.test(r))) ?? null;
const daemonLines = (lines) => lines.filter((l) => /trying next host|failed to decode hosts.toml|PullImage .*failed|level=(error|warning)/.test(l) && !/cni|CNI/.test(l)).map((l) => l.replace(/^time="[^"]*" /, ''));

// ── the daemon ───────────────────────────────────────────────────────────────
let daemon = null;
let daemonConfig = null;
let startLog = [];
/** (Re)starts the private containerd when a case needs another config.toml; false when its CRI service never came up. */
async function useConfig(config) {
  if (daemon && daemonConfig === config) return true;
  await stopDaemon();
  const before = sizes();
  writeFileSync(CONFIG_PATH, config);
  const log = openSync(logFile('containerd'), 'a');
  daemon = spawn('containerd', ['--config', CONFIG_PATH, '--root', join(lab, 'root'), '--state', join(lab, 'state'), '--address', socket, '--log-level', 'debug'], { stdio: ['ignore', log, log] });
  daemonConfig = config;
  let ready = true;
  try {
    await waitReady(socket, config === DEFAULT_CONFIG ? 60000 : 15000);
  } catch {
    ready = false;
  }
  // What the daemon said about the CRI plugin's config while starting (deprecations, a refused config).
  startLog = since(before).containerd.filter((l) => /deprecated|failed to load plugin io\.containerd\.grpc\.v1\.cri"/.test(l)).map((l) => l.replace(/^time="[^"]*" /, ''));
  return ready;
}
async function stopDaemon() {
  if (!daemon) return;
  const exited = new Promise((r) => daemon.once('exit', r));
  daemon.kill('SIGTERM');
  await exited;
  daemon = null;
}

// ── one case ─────────────────────────────────────────────────────────────────
function layout(files) {
  rmSync(CERTS_D, { recursive: true, force: true });
  mkdirSync(CERTS_D, { recursive: true });
  for (const [rel, content] of Object.entries(files ?? {})) {
    const path = join(CERTS_D, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : caPem);
  }
}

function ctr(args) {
  return spawnSync('ctr', ['--address', socket, ...args], { encoding: 'utf8', timeout: 120000 });
}
function forgetImages() {
  for (const ns of ['default', 'k8s.io']) {
    const names = ctr(['-n', ns, 'images', 'ls', '-q']).stdout.split('\n').filter(Boolean);
    if (names.length) ctr(['-n', ns, 'images', 'rm', '--sync', ...names]);
  }
}

async function record(c) {
  const image = sub(c.image);
  const config = c.config ?? DEFAULT_CONFIG;
  const criReady = await useConfig(config);
  layout(c.files);
  if (criReady) forgetImages();
  const argv = ['images', 'pull', '--snapshotter', 'native', '--hosts-dir', CERTS_D, ...(c.auth ? ['--user', `${c.auth.username}:${c.auth.password}`] : []), image];
  let before = sizes();
  // ctr never reads config.toml: cases about its registry section are CRI-only.
  const r = c.config ? null : ctr(argv);
  const ctrLogs = since(before);
  if (criReady) forgetImages();
  before = sizes();
  const cri = await pullImage(socket, image, c.auth);
  const criLogs = since(before);
  return {
    case: `${c.group}/${c.name}`,
    what: c.what,
    image,
    hostsDir: Object.fromEntries(Object.entries(c.files ?? {}).map(([k, v]) => [`${CERTS_D}/${k}`, typeof v === 'string' ? v : '<lab CA PEM>'])),
    credentials: c.auth ? `user ${c.auth.username} (${c.auth.password === 'wonderland' ? 'right' : 'wrong'} password)` : null,
    configToml: config,
    criServiceReady: criReady,
    daemonStartLog: startLog,
    ctr: r && ctrOutcome(c, argv, r, ctrLogs),
    cri: {
      grpcCode: cri.code,
      message: cri.message || null,
      imageRef: cri.imageRef,
      requests: requests(criLogs),
      servedBy: cri.code === 'OK' ? servedBy(requests(criLogs)) : null,
      daemonLog: daemonLines(criLogs.containerd),
    },
  };
}

function ctrOutcome(c, argv, r, logs) {
  const stderr = r.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^time="[^"]*" /, ''));
  return {
    argv: ['ctr', ...argv].map((a) => (c.auth && a.startsWith(`${c.auth.username}:`) ? `${c.auth.username}:<redacted>` : a)),
    exitCode: r.status,
    error: r.status === 0 ? null : (stderr.filter((l) => l.startsWith('ctr: ')).pop() ?? null),
    stderr,
    requests: requests(logs),
    servedBy: r.status === 0 ? servedBy(requests(logs)) : null,
  };
}

// ── the scenario ─────────────────────────────────────────────────────────────
/** The kubelet rejects an unparsable reference before any CRI call; its event shares the parser's text only. */
const kubeletFirst = (message) => /^failed to parse image reference "[^"]*": /.test(message);

function scenario(c, rec) {
  const files = { [CONFIG_PATH]: rec.configToml };
  for (const [rel, content] of Object.entries(c.files ?? {})) files[`${CERTS_D}/${rel}`] = typeof content === 'string' ? content : { ca: 'lab' };
  const mentioned = `${c.image}\n${c.config ?? ''}\n${Object.values(c.files ?? {}).filter((v) => typeof v === 'string').join('\n')}\n${Object.keys(c.files ?? {}).join('\n')}`;
  const registries = {};
  for (const [handle, spec] of Object.entries(LAB_REGISTRIES)) {
    const name = spec.host.split(':')[0];
    const used = mentioned.includes(name) || mentioned.includes(`${spec.ip}:`) || (handle === 'harbor' && mentioned.includes('wrongname.test'));
    if (!used) continue;
    const { empty, ...rest } = spec;
    registries[handle] = { ...rest, images: empty || rest.faults ? {} : Object.fromEntries(SERVED.map((t) => [t, 'tiny'])) };
  }
  const pull = { image: unsub(rec.image) };
  if (c.auth) pull.secrets = ['regcred'];
  const ok = rec.cri.grpcCode === 'OK';
  const error = kubeletFirst(rec.cri.message ?? '') ? rec.cri.message.replace(/^failed to parse image reference "[^"]*": /, '') : rec.cri.message;
  pull.expect = ok ? { result: 'pulled', ...(rec.cri.servedBy && { from: rec.cri.servedBy }) } : { result: 'failed', error: unsub(error ?? '') };
  const doc = {
    name: `${c.group}/${c.name}: ${c.what}`,
    description: `${c.what}.\n`,
    runtime: 'containerd',
    versions: { containerd: '1.6.20' },
    cas: { lab: {} },
    images: { tiny: {} },
    hosts: LAB_HOSTS,
    ...(Object.keys(registries).length && { registries }),
    node: { files },
    ...(c.auth && {
      cluster: [{
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'regcred', namespace: 'default' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [c.image.split('/')[0]]: { username: c.auth.username, password: c.auth.password } } })).toString('base64') },
      }],
    }),
    pulls: [pull],
  };
  const ctrText = !rec.ctr ? 'not run (ctr does not read config.toml)' : rec.ctr.exitCode === 0 ? `pulled (exit 0)${rec.ctr.servedBy ? `, from ${rec.ctr.servedBy}` : ''}` : `exit ${rec.ctr.exitCode}: ${unsub(rec.ctr.error ?? '(no ctr: line)')}`;
  const header = [
    `# Conformance scenario: containerd case ${c.group}/${c.name}, recorded by scripts/record-containerd.sh.`,
    `# Observed: containerd 1.6.20 (Debian 12, 1.6.20~ds1-1+deb12u3) with docker-registry 2.8.2 on loopback.`,
    `# CRI PullImage: grpc code ${rec.cri.grpcCode}${ok ? `, served by ${rec.cri.servedBy ?? '?'}` : ''}`,
    ...(kubeletFirst(rec.cri.message ?? '') ? [`# CRI message: ${rec.cri.message}`, '# (a kubelet rejects this reference before calling the CRI, so expect.error is the part both texts share)'] : []),
    ...rec.daemonStartLog.map((l) => `# containerd at start: ${l}`),
    ...(rec.cri.grpcCode === 'Unimplemented' ? ['# (the CRI plugin did not load, so the socket serves no CRI image service; a kubelet could not use this node)'] : []),
    `# ctr images pull --hosts-dir /etc/containerd/certs.d${c.auth ? ' --user alice:…' : ''}: ${ctrText}`,
    `# Raw recording: test/fixtures/containerd-recorded/${c.group}/${c.name}.json`,
  ].join('\n');
  return `${header}\n${stringify(doc, { lineWidth: 0 })}`;
}

// ── main ─────────────────────────────────────────────────────────────────────
// The daemon is this process's child: stop it however the run ends, so nothing outlives the lab.
process.on('exit', () => daemon?.kill('SIGKILL'));
const only = opts.only ? new Set(opts.only.split(',')) : null;
const version = execFileSync('containerd', ['--version'], { encoding: 'utf8' }).trim();
let n = 0;
try {
  for (const c of CASES) {
    if (only && !only.has(`${c.group}/${c.name}`)) continue;
    const rec = await record(c);
    const fixture = join(opts.fixtures, c.group, `${c.name}.json`);
    mkdirSync(dirname(fixture), { recursive: true });
    writeFileSync(fixture, `${JSON.stringify({ containerd: version, ...JSON.parse(unsub(JSON.stringify(rec))) }, null, 2)}\n`);
    const yamlFile = join(opts.scenarios, c.group, `${c.name}.yaml`);
    mkdirSync(dirname(yamlFile), { recursive: true });
    writeFileSync(yamlFile, scenario(c, rec));
    n++;
    console.log(`${rec.case}: ctr ${!rec.ctr ? '-' : rec.ctr.exitCode === 0 ? 'ok' : rec.ctr.error} | cri ${rec.cri.grpcCode} ${rec.cri.message ?? ''}`);
  }
} finally {
  await stopDaemon();
}
console.log(`record-containerd: ${n} cases recorded`);
