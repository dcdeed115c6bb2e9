/**
 * `pullsim explain --runtime containerd`: what containerd decides before the first request —
 * the CRI registry section of config.toml (config_path or the legacy mirrors), the hosts folder
 * it reads for the registry (and why a hosts.toml was ignored, in containerd's own logged words),
 * each host in the order tried with its capabilities, TLS settings and CA files, and the
 * credentials (redacted). Pure: it reads only the node filesystem.
 */
import { buildKeyring, nodeKeyringSource, type KeyringSource } from '../auth/kubelet-keyring.js';
import { StackError } from '../errors/index.js';
import { applyDefaultImageTag, keyringCredentials } from '../kubelet/kubelet-pull.js';
import type { NodeFS } from '../node-fs.js';
import { refString } from '../reference/reference.js';
import { loadCriRegistryConfig } from '../runtime/containerd/config-toml.js';
import { parseDockerRef } from '../runtime/containerd/cri.js';
import type { ContainerdProfile } from '../runtime/containerd/profiles.js';
import { configPathRoots, hostTls, registryHosts, type HostsPlan } from '../runtime/containerd/registry-hosts.js';
import { loadKept } from '../pull/node-config-cache.js';
import { headerLine, redactLoggedValue } from '../runtime/containerd/redact.js';
import { systemCas } from '../pull/tls-trust.js';

export interface ContainerdHostExplanation {
  url: string;
  capabilities: string[];
  /** Which pulls use it: a tag needs resolve+pull, a digest pull only. */
  usedFor: string;
  skipVerify: boolean;
  caFiles: string[];
  clientCerts: string[];
  headers: string[];
  origin: string;
  /** The query every request to a host other than the registry carries (`ns=<registry>`). */
  query?: string;
  /** The error building this host's client raises (fails every pull of the registry). */
  tlsError?: string;
}

export interface ContainerdExplanation {
  image: string;
  runtime: 'containerd';
  release: string;
  reference?: string;
  error?: string;
  config: { file: boolean; section: string; configPath: string; configPathFrom: string; log: string[]; invalid?: string; loadError?: string };
  mode?: 'config_path' | 'legacy';
  hostsDir?: { tried: string[]; dir?: string; source?: string; log: string[]; decodeError?: string; approximate?: boolean };
  hosts: ContainerdHostExplanation[];
  kubeletCredentials: string[];
  configCredentials: string[];
  /** Why the pull cannot succeed whatever the registries answer (explain then exits 1); empty when it may. */
  cannotPull: string[];
}

function usedFor(caps: string[]): string {
  const pull = caps.includes('pull');
  if (pull && caps.includes('resolve')) return 'tags and digests';
  if (pull) return 'digests only (a tag needs resolve)';
  return 'not used for pulls (no pull capability)';
}

/** The kubelet's credentials for the image, by source; without pod secrets from the node's keyring, built once while its files are unchanged. */
function kubeletCredentials(fs: NodeFS, podSecrets: KeyringSource[], image: string): string[] {
  if (podSecrets.length) return keyringCredentials(fs, podSecrets, image).creds.flatMap((c) => (c ? [c.source] : []));
  try {
    return loadKept(fs, 'kubelet keyring', (f) => buildKeyring([], nodeKeyringSource(f))).lookup(image).map((c) => c.source);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return [];
  }
}

/**
 * Per registry, not per image: the hosts tried and the error building each one's client depend only
 * on the registry and the node's files (config.toml read inside, so a changed config_path is seen).
 */
export function hostsOf(fs: NodeFS, profile: ContainerdProfile, registry: string): { plan: HostsPlan; tlsErrors: (string | undefined)[] } {
  return loadKept(fs, `containerd hosts ${profile.version} ${registry}`, (f) => {
    const config = loadCriRegistryConfig(f, profile);
    const plan = registryHosts(f, registry, { roots: configPathRoots(config.configPath), legacy: config }, profile);
    const tlsErrors = plan.hosts.map((h) => {
      try {
        hostTls(f, plan, h, systemCas(f), plan.mode === 'legacy' ? config.configs.get(h.host)?.tls : undefined);
        return undefined;
      } catch (e) {
        if (!(e instanceof StackError)) throw e;
        return e.message;
      }
    });
    return { plan, tlsErrors };
  });
}

/** `podSecrets`: the pod's pull secrets (compare passes those of an image's pod), tried by the kubelet before the node's keyring. */
export function explainContainerd(fs: NodeFS, profile: ContainerdProfile, image: string, podSecrets: KeyringSource[] = []): ContainerdExplanation {
  // Kept per node while its files are unchanged: compare explains 100,000 images against one config.
  const config = loadKept(fs, `containerd config ${profile.version}`, (f) => loadCriRegistryConfig(f, profile));
  const out: ContainerdExplanation = {
    image,
    runtime: 'containerd',
    release: profile.label,
    config: {
      file: config.file,
      section: config.section,
      configPath: config.configPath,
      configPathFrom: config.configPathFrom,
      log: config.log,
      ...(config.invalid && { invalid: config.invalid }),
      ...(config.loadError && { loadError: config.loadError }),
    },
    hosts: [],
    cannotPull: [config.loadError, config.invalid].filter((r): r is string => r !== undefined),
    kubeletCredentials: [],
    configCredentials: [...config.configs].filter(([, c]) => c.auth).map(([host, c]) => `${host}: ${c.auth!.username ? `user ${c.auth!.username}` : c.auth!.identityToken ? 'an identity token' : 'an auth value'} (registry.configs auth, deprecated)`),
  };
  let ref;
  try {
    ref = parseDockerRef(image);
    out.kubeletCredentials = kubeletCredentials(fs, podSecrets, applyDefaultImageTag(image));
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    out.error = e.message;
    out.cannotPull.push(e.message);
    return out;
  }
  out.reference = refString(ref);
  const { plan, tlsErrors } = hostsOf(fs, profile, ref.domain);
  out.mode = plan.mode;
  if (plan.lookup) {
    out.hostsDir = {
      tried: plan.lookup.tried,
      ...(plan.lookup.dir && { dir: plan.lookup.dir }),
      ...(plan.dir && { source: plan.dir.source }),
      log: plan.log.map(redactLoggedValue),
      ...(plan.dir?.decodeError && { decodeError: redactLoggedValue(plan.dir.decodeError.message), approximate: plan.dir.decodeError.approximate }),
    };
  }
  for (const h of plan.hosts) {
    const x: ContainerdHostExplanation = {
      url: `${h.scheme}://${h.host}${h.path}`,
      capabilities: h.capabilities,
      usedFor: usedFor(h.capabilities),
      skipVerify: h.skipVerify,
      caFiles: h.caFiles,
      clientCerts: h.clientPairs.map(([c, k]) => (k ? `${c} + ${k}` : c)),
      headers: (h.header ?? []).map(([k, vs]) => headerLine(k, vs)),
      origin: h.origin,
    };
    if (h.host !== ref.domain && !(ref.domain === 'docker.io' && h.host === 'registry-1.docker.io')) x.query = `ns=${encodeURIComponent(ref.domain)}`;
    const tlsError = tlsErrors[out.hosts.length];
    if (tlsError !== undefined) {
      x.tlsError = tlsError;
      // ConfigureHosts builds every host's client before the first request: one failure fails the pull.
      out.cannotPull.push(tlsError);
    }
    out.hosts.push(x);
  }
  const needed = ref.digest ? ['pull'] : ['pull', 'resolve'];
  if (!plan.hosts.some((h) => needed.every((c) => h.capabilities.includes(c as never)))) {
    out.cannotPull.push(`no host has the ${needed.join(' and ')} capabilit${needed.length > 1 ? 'ies' : 'y'} a ${ref.digest ? 'digest' : 'tag'} needs`);
  }
  return out;
}

export function explainContainerdText(x: ContainerdExplanation): string {
  const out: string[] = [`${x.image}  (runtime containerd: ${x.release})`];
  const c = x.config;
  out.push(`  config.toml: ${c.file ? `read ${c.section ? `[${c.section}]` : ''}` : 'absent (defaults)'}; config_path ${c.configPath === '' ? 'unset' : `"${c.configPath}"`} (${c.configPathFrom})`);
  for (const l of c.log) out.push(`    containerd log: ${l}`);
  if (c.loadError) out.push(`    containerd does not start: ${c.loadError}`);
  if (c.invalid) out.push(`    the CRI plugin does not load: ${c.invalid}`);
  if (x.error) {
    out.push(`  the pull fails before any network access: ${x.error}`);
    return out.join('\n') + '\n';
  }
  if (c.loadError || c.invalid) out.push('  the pull cannot succeed: the kubelet meets no image service');
  out.push(`  reference: ${x.reference} (no short-name resolution: docker.io/library/ is added, nothing else)`);
  if (x.mode === 'legacy') out.push('  hosts: from the deprecated registry.mirrors / registry.configs (config_path is unset)');
  const d = x.hostsDir;
  if (d) {
    out.push(`  hosts folder: ${d.dir ?? 'none'} (looked at ${d.tried.join(', ')})`);
    if (d.source) out.push(`    read from: ${d.source === 'hosts.toml' ? 'hosts.toml' : 'docker-style certificate files (*.crt, *.cert/*.key)'}`);
    for (const l of d.log) out.push(`    containerd log: ${l}${d.approximate ? ' (go-toml\'s exact wording of this error is not emulated)' : ''}`);
  }
  x.hosts.forEach((h, i) => {
    out.push(`  host ${i + 1}: ${h.url} — ${h.origin}${h.query ? ` (requests carry ?${h.query})` : ''}`);
    out.push(`    capabilities: ${h.capabilities.join(', ') || 'none'} → ${h.usedFor}`);
    out.push(`    TLS: ${h.url.startsWith('http:') ? 'plain http' : h.skipVerify ? 'verification off (skip_verify)' : 'verified'}${h.caFiles.length ? `; CA files: ${h.caFiles.join(', ')}` : '; the system trust store only'}${h.clientCerts.length ? `; client certs: ${h.clientCerts.join(', ')}` : ''}`);
    if (h.headers.length) out.push(`    headers: ${h.headers.join('; ')}`);
    if (h.tlsError) out.push(`    FAILS every pull of this registry: ${h.tlsError}`);
  });
  out.push(`  kubelet credentials (node keyring, sent to every host as the CRI auth): ${x.kubeletCredentials.length ? x.kubeletCredentials.join('; ') : 'none match'}`);
  if (x.configCredentials.length) out.push(`  config.toml credentials (used when the kubelet sends none): ${x.configCredentials.join('; ')}`);
  if (x.cannotPull.length) out.push('  the pull cannot succeed:', ...x.cannotPull.map((r) => `    ${r}`));
  return out.join('\n') + '\n';
}
