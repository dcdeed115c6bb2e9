/**
 * The registry hosts a pull of one registry tries, as the CRI plugin builds them
 * (pkg/cri/server/image_pull.go registryHosts): with `config_path`, remotes/docker/config
 * ConfigureHosts over the hosts directory — the default upstream filled in last (docker.io →
 * registry-1.docker.io; localhost and loopback IPs → http with verification off) and each host's
 * TLS material read now, where a CA file that cannot be read fails the pull; without it, the
 * deprecated `mirrors`/`configs` path. The system trust store is a seam (`systemRoots`), so a
 * runtime built on this one can bring its own (a ConfigMap bundle, a public CA).
 */
import { certificateBlocks, x509KeyPairError } from '../../certs/certs-dir.js';
import { RuntimeError, text, wrap } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import { parseIp } from '../../pull/x509-cert.js';
import type { TlsSettings } from '../../pull/transport.js';
import type { CriRegistryConfig, LegacyTls } from './config-toml.js';
import { hostDirFor, loadHostDir, logLine, type HostDirLookup, type HostDirResult } from './hosts-dir.js';
import type { Capability, HostConfig } from './hosts-toml.js';
import type { ContainerdProfile } from './profiles.js';

export interface RegistryHost {
  scheme: string;
  host: string;
  path: string;
  capabilities: Capability[];
  header?: [string, string[]][];
  skipVerify: boolean;
  caFiles: string[];
  /** [cert, key]; key '' when the cert file holds the key. */
  clientPairs: [string, string][];
  origin: string;
  /** https first, then http when the server answers in plain HTTP (2.x, for an http host with TLS settings). */
  httpFallback?: boolean;
}

export interface HostsPlan {
  /** The registry host as in the reference (docker.io, harbor.example.com:5443). */
  registry: string;
  mode: 'config_path' | 'legacy';
  hosts: RegistryHost[];
  lookup?: HostDirLookup;
  dir?: HostDirResult;
  log: string[];
}

export interface HostsOptions {
  /** config_path roots in order; empty: the legacy mirrors/configs path. */
  roots: string[];
  legacy?: CriRegistryConfig;
  /** ctr --plain-http; the CRI plugin sets none. */
  defaultScheme?: string;
}

/** docker.IsLocalhost: "localhost" or a loopback IP, port ignored. */
export function isLocalhost(host: string): boolean {
  let h = host;
  const m = /^\[(.*)\](?::\d*)?$/.exec(h) ?? /^([^:]*):\d*$/.exec(h);
  if (m) h = m[1];
  if (h === 'localhost') return true;
  const ip = parseIp(h);
  if (!ip) return false;
  return ip.length === 4 ? ip[0] === 127 : ip.every((b, i) => b === (i === 15 ? 1 : 0));
}

const ALL: Capability[] = ['pull', 'resolve', 'push'];

function toRegistryHost(c: HostConfig): RegistryHost {
  const h: RegistryHost = {
    scheme: c.scheme,
    host: c.host,
    path: c.path,
    capabilities: c.capabilities,
    skipVerify: c.skipVerify ?? false,
    caFiles: c.caCerts ?? [],
    clientPairs: c.clientPairs ?? [],
    origin: c.origin,
  };
  if (c.header) h.header = c.header;
  return h;
}

/** ConfigureHosts' per-registry function, without building clients (hostTls does that). */
function configureHosts(fs: NodeFS, registry: string, opts: HostsOptions, profile: ContainerdProfile): HostsPlan {
  const lookup = hostDirFor(fs, opts.roots, registry);
  const dir = lookup.dir !== undefined ? loadHostDir(fs, lookup.dir, profile) : undefined;
  const configs = dir ? dir.hosts.map((h) => ({ ...h })) : [{ scheme: '', host: '', path: '', capabilities: [], origin: 'the registry itself (no hosts folder)' } as HostConfig];
  const last = configs[configs.length - 1];
  if (last && last.host === '') {
    if (registry === 'docker.io') {
      last.scheme = 'https';
      last.host = 'registry-1.docker.io';
    } else {
      last.host = registry;
      if (isLocalhost(registry) && (opts.defaultScheme ?? 'http') === 'http') {
        const port = portOf(registry);
        // 2.x: https where the port says so, http on 80, otherwise http with TLS settings (so https first, then http).
        last.scheme = profile.httpFallback && (port === '' || port === '443') ? 'https' : 'http';
        if (!profile.httpFallback || port !== '80') last.skipVerify = true;
        last.origin += '; a localhost/loopback registry: verification off' + (profile.httpFallback ? '' : ', plain http');
      } else last.scheme = opts.defaultScheme || 'https';
    }
    last.path = '/v2';
    last.capabilities = [...ALL];
  }
  const log = [...(dir?.log ?? [])];
  const hosts = configs.map((c) => {
    const h = toRegistryHost(c);
    const explicitTls = c.skipVerify !== undefined || c.caCerts !== undefined || c.clientPairs !== undefined;
    const port = portOf(h.host);
    if (profile.httpFallback && h.scheme === 'http' && explicitTls && port !== '' && port !== '80') {
      log.push(logLine('info', text('containerd.https-first'), [['host', h.host]]));
      return { ...h, scheme: 'https', httpFallback: true, origin: `${h.origin}; https first, http when the server answers in plain HTTP` };
    }
    return h;
  });
  return { registry, mode: 'config_path', hosts, lookup, dir, log };
}

/** net.SplitHostPort's port, '' when there is none. */
function portOf(host: string): string {
  const m = /^(?:\[[^\]]*\]|[^:]*):(\d*)$/.exec(host);
  return m ? m[1] : '';
}

function defaultScheme(host: string): string {
  return isLocalhost(host) ? 'http' : 'https';
}

/** registryEndpoints + the legacy RegistryHosts loop: mirrors[host] (or "*"), then the registry unless listed. */
function legacyHosts(registry: string, c: CriRegistryConfig | undefined): HostsPlan {
  const endpoints = [...(c?.mirrors.get(registry) ?? c?.mirrors.get('*') ?? [])].map((e) => (e.includes('://') ? e : `${defaultScheme(e.replace(/\/.*$/, ''))}://${e}`));
  const defaultHost = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const parsed = endpoints.map((e) => {
    const m = /^([^:]+):\/\/([^/]*)(.*)$/.exec(e)!;
    return { scheme: m[1], host: m[2], path: m[3], origin: `registry.mirrors.${JSON.stringify(registry)} endpoint ${JSON.stringify(e)}` };
  });
  if (!parsed.some((p) => p.host === registry)) parsed.push({ scheme: defaultScheme(defaultHost), host: defaultHost, path: '', origin: 'the registry itself (appended after the mirrors)' });
  const hosts = parsed.map((p): RegistryHost => {
    const tls = c?.configs.get(p.host)?.tls;
    return {
      scheme: p.scheme,
      host: p.host,
      path: p.path || '/v2',
      capabilities: ['pull', 'resolve'],
      skipVerify: tls ? tls.insecureSkipVerify : isLocalhost(registry) && p.scheme === 'http',
      caFiles: tls?.caFile ? [tls.caFile] : [],
      clientPairs: tls?.certFile ? [[tls.certFile, tls.keyFile]] : [],
      origin: p.origin + (tls ? `; registry.configs.${JSON.stringify(p.host)}.tls` : ''),
    };
  });
  return { registry, mode: 'legacy', hosts, log: [] };
}

/** The hosts one registry's pull tries, in order, and what was read to decide them. */
export function registryHosts(fs: NodeFS, registry: string, opts: HostsOptions, profile: ContainerdProfile): HostsPlan {
  return opts.roots.length > 0 ? configureHosts(fs, registry, opts, profile) : legacyHosts(registry, opts.legacy);
}

/** filepath.SplitList of config_path. */
export function configPathRoots(configPath: string): string[] {
  return configPath === '' ? [] : configPath.split(':');
}

/**
 * The TLS settings of one host's client, read as ConfigureHosts does when it builds it: each
 * `ca` file must be readable and hold a certificate, each client pair must load.
 * Legacy `configs.tls` reads its CA the getTLSConfig way. Throws the error that fails the pull.
 */
export function hostTls(fs: NodeFS, plan: HostsPlan, h: RegistryHost, systemRoots: readonly string[], legacy?: LegacyTls): TlsSettings {
  const cas = [...systemRoots];
  const clientCerts: { cert: string; key: string }[] = [];
  if (plan.mode === 'legacy') {
    if (legacy?.caFile) {
      const pem = fs.read(legacy.caFile);
      if (pem === undefined) {
        const inner = new RuntimeError('containerd.open-missing', text('containerd.open-missing', legacy.caFile));
        throw wrap(RuntimeError, 'containerd.tls-config', wrap(RuntimeError, 'containerd.load-ca-file', inner), `${h.scheme}://${h.host}`);
      }
      cas.push(...certificateBlocks(pem));
    }
    return { insecureSkipVerify: h.skipVerify, cas, clientCerts };
  }
  for (const f of h.caFiles) {
    const pem = fs.read(f);
    if (pem === undefined) throw wrap(RuntimeError, 'containerd.ca-read', new RuntimeError('containerd.open-missing', text('containerd.open-missing', f)), f);
    const blocks = certificateBlocks(pem);
    if (blocks.length === 0) throw new RuntimeError('containerd.ca-load', text('containerd.ca-load', f));
    cas.push(...blocks);
  }
  for (const [certPath, keyPath] of h.clientPairs) {
    const cert = fs.read(certPath);
    if (cert === undefined) throw wrap(RuntimeError, 'containerd.cert-read', new RuntimeError('containerd.open-missing', text('containerd.open-missing', certPath)), certPath);
    const key = keyPath ? fs.read(keyPath) : cert;
    if (key === undefined) throw wrap(RuntimeError, 'containerd.cert-read', new RuntimeError('containerd.open-missing', text('containerd.open-missing', keyPath)), keyPath);
    const bad = x509KeyPairError(cert, key);
    if (bad) throw wrap(RuntimeError, 'containerd.key-pair', bad);
    clientCerts.push({ cert, key });
  }
  return { insecureSkipVerify: h.skipVerify, cas, clientCerts };
}
