/**
 * `pullsim explain`: every decision a pull makes before the first byte goes out, each with its
 * reason — candidates, the matched [[registry]], the sources in order (and why a mirror is skipped),
 * blocked/insecure per endpoint, the certs.d directory, the credentials (redacted) and the policy
 * requirements. Pure: it reads only the node filesystem.
 */
import { lookupCredentials, systemContextForSource } from '../auth/credentials.js';
import { buildKeyring, nodeKeyringSource, type KeyringSource } from '../auth/kubelet-keyring.js';
import { certsFor } from '../certs/certs-dir.js';
import type { Endpoint, Registry, RegistriesConfig } from '../config/registries-conf.js';
import { StackError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { loadPolicy } from '../policy/policy-json.js';
import { requirementsFor } from '../policy/policy-scope.js';
import type { PolicyRequirement } from '../policy/policy-types.js';
import { refName, refString, type ImageRef } from '../reference/reference.js';
import { endpointAccess } from '../resolve/endpoint-access.js';
import { implicitRegistry, pullSourcesFromReference } from '../resolve/pull-sources.js';
import { findRegistry } from '../resolve/registry-index.js';
import { resolveShortName } from '../resolve/short-names.js';
import type { Credential, SystemContext } from '../system-context.js';
import { loadRegistriesConf } from '../config/registries-conf.js';
import { loadKept } from '../pull/node-config-cache.js';

export interface SourceExplanation {
  reference: string;
  kind: 'mirror' | 'primary';
  /** Why it is not tried (digest-only/tag-only), when skipped. */
  skipped?: string;
  blocked?: string;
  insecure: boolean;
  insecureReason: string;
  transport: string;
  certDir: string;
  caFiles: string[];
  clientCerts: string[];
  credential: string | null;
  credentialReason: string;
}

export interface CandidateExplanation {
  reference: string;
  registry: { prefix: string; location: string; file: string } | null;
  sources: SourceExplanation[];
  policy: { scope: string; kind: string; requirements: string[] } | { error: string };
}

export interface Explanation {
  image: string;
  runtime: string;
  configFiles: string[];
  /** `stage: configuration` when registries.conf or a drop-in was rejected (the error names the file). */
  resolution: { rationale: string; mode?: string; origin?: string; description?: string } | { error: string; stage?: 'configuration' };
  kubeletCredentials?: string[];
  candidates: CandidateExplanation[];
  /** Why the pull cannot succeed whatever the registries serve; empty when some candidate may be pulled. */
  cannotPull: string[];
}

function describeRequirement(r: PolicyRequirement): string {
  switch (r.type) {
    case 'signedBy':
      return `signedBy ${r.keyType} (${r.keyPath ?? r.keyPaths?.join(', ') ?? 'inline keyData'}), identity ${r.signedIdentity.type}`;
    case 'sigstoreSigned':
      return `sigstoreSigned (${r.keyPath ?? (r.keyData !== undefined ? 'inline keyData' : r.fulcio ? 'fulcio' : 'keys')}), identity ${r.signedIdentity.type}`;
    default:
      return r.type;
  }
}

function skipReason(registry: Registry, m: Endpoint, digested: boolean): string | undefined {
  if (registry.mirrorByDigestOnly && !digested) return 'mirror-by-digest-only = true and the reference has no digest';
  if (m.pullFromMirror === 'digest-only' && !digested) return 'pull-from-mirror = "digest-only" and the reference has no digest';
  if (m.pullFromMirror === 'tag-only' && digested) return 'pull-from-mirror = "tag-only" and the reference has a digest';
  return undefined;
}

/**
 * The loaders read the SystemContext's paths, never the credential a candidate is explained with.
 * Short ids for the long JSON: kept loads are looked up several times per image.
 */
const configKeys = new WeakMap<SystemContext, string>();
const configIds = new Map<string, string>();
function configKey(sys: SystemContext): string {
  let k = configKeys.get(sys);
  if (k === undefined) {
    const json = JSON.stringify({ ...sys, dockerAuthConfig: undefined });
    k = configIds.get(json);
    if (k === undefined) configIds.set(json, (k = `#${configIds.size}`));
    configKeys.set(sys, k);
  }
  return k;
}

/** The node's registries.conf, kept per node while its files are unchanged: compare explains 100,000 images against one config. */
export function keptRegistriesConf(fs: NodeFS, sys: SystemContext): RegistriesConfig {
  return loadKept(fs, `registries.conf ${configKey(sys)}`, (f) => loadRegistriesConf(f, sys));
}

function msg(e: unknown): string {
  if (e instanceof StackError) return e.message;
  throw e;
}

/** Per host, not per image: the certs.d answer depends only on the host and the node's files. */
function certsExplained(fs: NodeFS, sys: SystemContext, host: string): Pick<SourceExplanation, 'certDir' | 'caFiles' | 'clientCerts'> {
  return loadKept(fs, `certs.d ${configKey(sys)} ${host}`, (f) => {
    const certs = certsFor(f, sys, host);
    return {
      certDir: certs.dir ?? `none of ${certs.tried.join(', ')} exists`,
      caFiles: certs.cas.map((c) => c.path),
      clientCerts: certs.clientCerts.map((c) => `${c.certPath} + ${c.keyPath}`),
    };
  });
}

function explainSource(fs: NodeFS, sys: SystemContext, conf: RegistriesConfig, logical: ImageRef, ref: ImageRef, endpoint: Endpoint, kind: 'mirror' | 'primary'): SourceExplanation {
  const access = endpointAccess(conf, ref);
  const insecure = sys.dockerInsecureSkipTLSVerify ?? endpoint.insecure;
  const insecureReason = sys.dockerInsecureSkipTLSVerify !== undefined
    ? `--tls-verify=${!sys.dockerInsecureSkipTLSVerify} on the command line`
    : endpoint.insecure ? `insecure = true on this ${kind === 'mirror' ? 'mirror' : '[[registry]]'}` : 'no insecure setting applies';
  const certs = certsExplained(fs, sys, ref.domain);
  const sourceSys = systemContextForSource(sys, logical.domain, ref.domain);
  const creds = lookupCredentials(fs, sourceSys, ref.domain, ref.path);
  let credentialReason: string;
  if (sys.dockerAuthConfig && !sourceSys.dockerAuthConfig) credentialReason = `${sys.dockerAuthConfig.source} is not sent to a source on another domain (${ref.domain} ≠ ${logical.domain}); auth files are searched instead`;
  else if (creds.error) credentialReason = creds.error.message;
  else if (creds.credential) credentialReason = creds.credential.source;
  else credentialReason = `no credentials: ${creds.trace.filter((t) => t.startsWith('No credentials')).join('; ') || 'none found'}`;
  return {
    reference: refString(ref),
    kind,
    ...(access.blocked ? { blocked: `blocked = true on [[registry]] prefix "${access.prefix}"` } : {}),
    insecure,
    insecureReason,
    transport: insecure
      ? 'https://, then http:// if that fails (TLS certificates not verified)'
      : 'https:// only, certificate verified against the system trust store plus the CA files below (the emulated node\'s system store holds only the CAs a scenario marks trusted)',
    ...certs,
    credential: creds.credential?.source ?? null,
    credentialReason,
  };
}

function explainCandidate(fs: NodeFS, sys: SystemContext, conf: RegistriesConfig, ref: ImageRef): CandidateExplanation {
  const matched = findRegistry(conf.index, refName(ref));
  const registry = matched ?? implicitRegistry(ref);
  const sources: SourceExplanation[] = [];
  const digested = ref.digest !== undefined;
  let used: ReturnType<typeof pullSourcesFromReference> = [];
  try {
    used = pullSourcesFromReference(registry, ref);
  } catch (e) {
    return { reference: refString(ref), registry: null, sources: [], policy: { error: msg(e) } };
  }
  for (const m of registry.mirrors) {
    const reason = skipReason(registry, m, digested);
    const src = used.find((s) => s.isMirror && s.endpoint === m);
    if (src) sources.push(explainSource(fs, sys, conf, ref, src.ref, m, 'mirror'));
    else sources.push({ reference: m.location, kind: 'mirror', skipped: reason ?? 'not used', insecure: m.insecure, insecureReason: '', transport: '', certDir: '', caFiles: [], clientCerts: [], credential: null, credentialReason: '' });
  }
  const primary = used[used.length - 1];
  sources.push(explainSource(fs, sys, conf, ref, primary.ref, primary.endpoint, 'primary'));
  let policy: CandidateExplanation['policy'];
  try {
    const scope = requirementsFor(loadKept(fs, `policy.json ${configKey(sys)}`, (f) => loadPolicy(f, sys)), ref);
    policy = { scope: scope.scope, kind: scope.kind, requirements: scope.requirements.map(describeRequirement) };
  } catch (e) {
    policy = { error: msg(e) };
  }
  return {
    reference: refString(ref),
    registry: matched ? { prefix: matched.prefix, location: matched.location, file: matched.origin } : null,
    sources,
    policy,
  };
}

function kubeletCredentials(fs: NodeFS, image: string, podSecrets: KeyringSource[]): Credential[] {
  try {
    // Without pod secrets the keyring is the node's alone, built once while its files are unchanged.
    const keyring = podSecrets.length === 0 ? loadKept(fs, 'kubelet keyring', (f) => buildKeyring([], nodeKeyringSource(f))) : buildKeyring(podSecrets, nodeKeyringSource(fs));
    return keyring.lookup(image);
  } catch {
    return [];
  }
}

/** What stops one candidate before the network: policy.json unreadable or rejecting, every source blocked. */
function candidateBlockers(c: CandidateExplanation): string[] {
  const out: string[] = [];
  if ('error' in c.policy) out.push(`${c.reference}: policy.json: ${c.policy.error}`);
  else if (c.policy.requirements.includes('reject')) out.push(`${c.reference}: policy.json rejects it (scope ${c.policy.scope === '' ? '""' : c.policy.scope})`);
  const tried = c.sources.filter((s) => !s.skipped);
  if (tried.length > 0 && tried.every((s) => s.blocked)) out.push(`${c.reference}: every source is blocked`);
  return out;
}

/** `podSecrets`: the pod's pull secrets (its own, or its ServiceAccount's), which the kubelet tries before the node's. */
export function explain(fs: NodeFS, sys: SystemContext, image: string, podSecrets: KeyringSource[] = []): Explanation {
  const out = explainDecisions(fs, sys, image, podSecrets);
  if ('error' in out.resolution) out.cannotPull = [out.resolution.error];
  else {
    const blockers = out.candidates.map(candidateBlockers);
    // A short name pulls when any one candidate does.
    if (blockers.every((b) => b.length > 0)) out.cannotPull = blockers.flat();
  }
  return out;
}

function explainDecisions(fs: NodeFS, sys: SystemContext, image: string, podSecrets: KeyringSource[]): Explanation {
  const out: Explanation = { image, runtime: sys.runtime, configFiles: [], resolution: { rationale: '' }, candidates: [], cannotPull: [] };
  let conf: RegistriesConfig;
  try {
    conf = keptRegistriesConf(fs, sys);
  } catch (e) {
    out.resolution = { error: msg(e), stage: 'configuration' };
    return out;
  }
  out.configFiles = [...conf.filesRead];
  let candidates: ImageRef[];
  try {
    const r = resolveShortName(conf, sys, image);
    out.resolution = { rationale: r.rationale, mode: r.mode, origin: r.origin, description: r.description };
    candidates = r.candidates;
  } catch (e) {
    out.resolution = { error: msg(e) };
    return out;
  }
  let creds: (Credential | undefined)[] = [undefined];
  if (sys.runtime === 'crio') {
    const found = kubeletCredentials(fs, image, podSecrets);
    out.kubeletCredentials = found.map((c) => c.source);
    if (found.length) creds = [found[0]];
  }
  for (const ref of candidates) {
    const s = creds[0] && creds[0].username !== '' ? { ...sys, dockerAuthConfig: creds[0] } : sys;
    out.candidates.push(explainCandidate(fs, s, conf, ref));
  }
  return out;
}
