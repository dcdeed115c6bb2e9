/**
 * Everything one emulated pull reads: the node's files, the runtime's SystemContext, the fake
 * network, and the configuration loaded from the node once (lazily, so a broken file fails at the
 * point where the real tool would read it, with its error).
 */
import { loadRegistriesConf, type RegistriesConfig } from '../config/registries-conf.js';
import { loadRegistriesD, type RegistriesD } from '../config/registries-d.js';
import type { StackError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { loadPolicy } from '../policy/policy-json.js';
import type { Policy } from '../policy/policy-types.js';
import type { SystemContext } from '../system-context.js';
import type { Dialer } from './dialer.js';
import { loadKept } from './node-config-cache.js';

export interface Network {
  dialer: Dialer;
  /** The fake registry handle a dialled host:port reaches, or null. */
  registryAt(host: string, port: number): string | null;
}

export interface PullContext {
  fs: NodeFS;
  sys: SystemContext;
  net: Network;
  /** Go ≥ 1.20 builds (CRI-O) wrap x509 errors as `tls: failed to verify certificate: …`. */
  goTlsVerifyPrefix: boolean;
  registries(): RegistriesConfig;
  policy(): Policy;
  registriesD(): RegistriesD;
}

type Memo<T> = { value: T } | { error: StackError } | undefined;

function memo<T>(load: () => T): () => T {
  let m: Memo<T>;
  return () => {
    if (!m) {
      try {
        m = { value: load() };
      } catch (e) {
        m = { error: e as StackError };
      }
    }
    if ('error' in m) throw m.error;
    return m.value;
  };
}

export function pullContext(fs: NodeFS, sys: SystemContext, net: Network, goTlsVerifyPrefix = false): PullContext {
  // Loads depend on the files and the SystemContext only; a later pull of the scenario reuses them.
  const sysKey = JSON.stringify(sys);
  return {
    fs,
    sys,
    net,
    goTlsVerifyPrefix,
    registries: memo(() => loadKept(fs, `registries.conf ${sysKey}`, (f) => loadRegistriesConf(f, sys))),
    policy: memo(() => loadKept(fs, `policy.json ${sysKey}`, (f) => loadPolicy(f, sys))),
    registriesD: memo(() => loadKept(fs, `registries.d ${sysKey}`, (f) => loadRegistriesD(f, sys))),
  };
}

/** The host[:port] a reference's domain is dialled at, and the port: docker.io is served by registry-1.docker.io. */
export function dialTarget(domain: string, scheme: 'https' | 'http'): { host: string; port: number } {
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const m = /^(.*):(\d+)$/.exec(host);
  if (m && !host.endsWith(']')) return { host: m[1], port: Number(m[2]) };
  return { host: host.replace(/^\[|\]$/g, ''), port: scheme === 'https' ? 443 : 80 };
}
