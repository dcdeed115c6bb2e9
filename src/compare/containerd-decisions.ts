/**
 * Offline decisions for compare on containerd nodes: what `explain --runtime containerd` shows for
 * one image, reduced to what a config change can alter — the hosts tried in order (scheme, path,
 * capabilities, skip_verify, CA files, client certs, headers, where each came from), the hosts
 * folder and whether its hosts.toml was ignored, the credential each host gets (its name, never its
 * value) — and whether containerd is certain to fail the pull before any request.
 */
import { createHash } from 'node:crypto';
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { explainContainerd, hostsOf, type ContainerdExplanation } from '../explain/explain-containerd.js';
import type { NodeFS } from '../node-fs.js';
import { parseDockerRef } from '../runtime/containerd/cri.js';
import type { ContainerdProfile } from '../runtime/containerd/profiles.js';
import type { SideView } from './classify.js';
import { redactLoggedValue, SECRET_HEADER } from '../runtime/containerd/redact.js';
import type { Decision } from './decisions.js';
import { flatten } from './flatten.js';

export interface ContainerdDecision extends Decision {
  /** Redacted header values by fact path → their SHA-256, kept in memory only: a changed secret is seen, never shown. */
  secrets: Map<string, string>;
}

/** The raw header values of each host, in explain's host order (the plan explain kept); read only when a host has headers. */
function rawHeaders(fs: NodeFS, profile: ContainerdProfile, image: string): [string, string[]][][] {
  return hostsOf(fs, profile, parseDockerRef(image).domain).plan.hosts.map((h) => h.header ?? []);
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The credential a host's requests carry: the kubelet's first (the CRI auth, sent to every host), else config.toml's for that host. */
function credentialFor(x: ContainerdExplanation, host: string): string | null {
  if (x.kubeletCredentials.length) return x.kubeletCredentials[0];
  const own = x.configCredentials.find((c) => c.startsWith(`${host}: `));
  return own === undefined ? null : own.slice(host.length + 2);
}

function hostOf(url: string): string {
  return /^[a-z]+:\/\/([^/]*)/.exec(url)?.[1] ?? url;
}

/** `podSecrets`: the pod's pull secrets, which the kubelet tries before the node's keyring. */
export function decideContainerd(fs: NodeFS, profile: ContainerdProfile, image: string, podSecrets: KeyringSource[] = []): ContainerdDecision {
  const x = explainContainerd(fs, profile, image, podSecrets);
  const secrets = new Map<string, string>();
  const raw = x.hosts.some((h) => h.headers.length) ? rawHeaders(fs, profile, image) : [];
  const hosts = x.hosts.map((h, i) => ({
    url: h.url,
    origin: h.origin,
    capabilities: h.capabilities.join(', ') || 'none',
    skipVerify: h.skipVerify,
    caFiles: h.caFiles,
    clientCerts: h.clientCerts,
    headers: (raw[i] ?? []).map(([name, values], j) => {
      if (!SECRET_HEADER.test(name)) return `${name}: ${values.join(', ')}`;
      secrets.set(`hosts[${i}].headers[${j}]`, sha(values.join('\n')));
      return `${name}: <redacted>`;
    }),
    query: h.query,
    tlsError: h.tlsError,
    credential: credentialFor(x, hostOf(h.url)),
  }));
  // What was read (config_path's text, the folders looked at, deprecation warnings) is not compared:
  // the hosts folder used and the hosts it gives are.
  const compared = {
    release: x.release,
    reference: x.reference,
    error: x.error,
    config: { invalid: x.config.invalid, loadError: x.config.loadError },
    mode: x.mode,
    hostsDir: x.hostsDir && { dir: x.hostsDir.dir ?? 'none', source: x.hostsDir.source, ignoredHostsToml: x.hostsDir.decodeError && redactLoggedValue(x.hostsDir.decodeError) },
    hosts,
    kubeletCredentials: x.kubeletCredentials,
  };
  const needed = x.reference?.includes('@') ? ['pull'] : ['pull', 'resolve'];
  const sources = x.hosts.filter((h) => needed.every((c) => h.capabilities.includes(c))).map((h) => h.url + (h.query ? `?${h.query}` : ''));
  return {
    certainFailure: x.cannotPull.length ? x.cannotPull.join('; ') : null,
    sources,
    digest: JSON.stringify([compared, [...secrets]]),
    secrets,
    facts: () => {
      const facts = new Map<string, string>();
      flatten(compared, '', facts);
      return facts;
    },
  };
}

/**
 * The two sides as classify reads them. A redacted header whose value differs is a change: the new
 * side's fact says so, without either value.
 */
export function containerdViews(a: ContainerdDecision, b: ContainerdDecision): [SideView, SideView] {
  const view = (d: ContainerdDecision, facts: () => Map<string, string>): SideView => ({ failure: d.certainFailure, sources: d.sources, digest: d.digest, facts });
  return [
    view(a, a.facts),
    view(b, () => {
      const facts = b.facts();
      for (const [path, hash] of b.secrets) {
        const old = a.secrets.get(path);
        if (old !== undefined && old !== hash && facts.get(path) === a.facts().get(path)) facts.set(path, `${facts.get(path)} (another value than old)`);
      }
      return facts;
    }),
  ];
}
