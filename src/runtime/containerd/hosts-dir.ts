/**
 * containerd's hosts directory (remotes/docker/config hosts.go HostDirFromRoot, loadHostDir,
 * loadCertFiles), apart from the resolver as containerd keeps it: which folder serves a registry
 * host, and the host entries that folder yields — from hosts.toml, or, when it is absent, empty
 * or fails to decode (which containerd only logs), from docker-style certificate files.
 */
import { goQuote, text } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import { HostsTomlError, parseHostsToml, type HostConfig } from './hosts-toml.js';
import type { ContainerdProfile } from './profiles.js';

export interface HostDirLookup {
  /** The folder that serves the host, if any exists. */
  dir?: string;
  /** Every folder looked at, in order. */
  tried: string[];
}

export interface HostDirResult {
  hosts: HostConfig[];
  /** hosts.toml, or the docker-style certificate files containerd fell back to. */
  source: 'hosts.toml' | 'cert-files';
  /** containerd's own log lines (level=error msg="failed to decode hosts.toml" error="…"). */
  log: string[];
  /** The decode error, when hosts.toml was rejected. */
  decodeError?: HostsTomlError;
}

/** hostDirectory: "host:port" → "host_port_". */
export function hostDirectoryName(host: string): string {
  const i = host.lastIndexOf(':');
  return i > 0 ? `${host.slice(0, i)}_${host.slice(i + 1)}_` : host;
}

/** hostPaths: host_port_ (only with a port), then host:port as written, then _default; per root, first that exists. */
export function hostDirFor(fs: NodeFS, roots: readonly string[], host: string): HostDirLookup {
  const tried: string[] = [];
  for (const root of roots) {
    const base = root.replace(/\/+$/, '');
    const names = hostDirectoryName(host) !== host ? [hostDirectoryName(host), host, '_default'] : [host, '_default'];
    for (const name of names) {
      const p = `${base}/${name}`;
      tried.push(p);
      if (fs.exists(p)) return { dir: p, tried };
    }
  }
  return { tried };
}

/** A log line as containerd's logrus prints it (the time left out: pullsim's clock is not the node's). */
export function logLine(level: string, msg: string, fields: [string, string][] = []): string {
  return [`level=${level}`, `msg=${goQuote(msg)}`, ...fields.map(([k, v]) => `${k}=${goQuote(v)}`)].join(' ');
}

/** loadCertFiles: one entry (the registry itself) with *.crt as CAs and *.cert(+.key) as client pairs. */
export function loadCertFiles(fs: NodeFS, dir: string): HostConfig {
  const entry: HostConfig = { scheme: '', host: '', path: '', capabilities: [], origin: `docker-style certificate files in ${dir}` };
  for (const name of fs.list(dir)) {
    const full = `${dir}/${name}`;
    if (fs.isDir(full)) continue;
    if (name.endsWith('.crt')) (entry.caCerts ??= []).push(full);
    if (name.endsWith('.cert')) {
      const key = `${dir}/${name.slice(0, -5)}.key`;
      (entry.clientPairs ??= []).push([full, fs.exists(key) ? key : '']);
    }
  }
  return entry;
}

export function loadHostDir(fs: NodeFS, dir: string, profile: ContainerdProfile): HostDirResult {
  const src = fs.read(`${dir}/hosts.toml`);
  if (src === undefined || src.length === 0) return { hosts: [loadCertFiles(fs, dir)], source: 'cert-files', log: [] };
  try {
    return { hosts: parseHostsToml(src, dir, profile), source: 'hosts.toml', log: [] };
  } catch (e) {
    if (!(e instanceof HostsTomlError)) throw e;
    const log = [logLine('error', text('containerd.hosts-decode-log'), [['error', e.message]])];
    return { hosts: [loadCertFiles(fs, dir)], source: 'cert-files', log, decodeError: e };
  }
}
