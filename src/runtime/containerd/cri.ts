/**
 * The CRI plugin's PullImage (pkg/cri/server/image_pull.go; 2.x internal/cri/server/images):
 * ParseDockerRef (short names become docker.io/library/…, no search registries), the registry
 * hosts from config_path or the legacy mirrors, containerd's resolver and fetcher over the one
 * pull transport, and the wrapping and gRPC code the kubelet receives.
 */
import { RuntimeError, StackError, text, wrap } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import type { Network } from '../../pull/pull-context.js';
import { systemCas } from '../../pull/tls-trust.js';
import { parseNormalizedNamed, refString, type ImageRef } from '../../reference/reference.js';
import type { AttemptRecord } from '../../run/outcome.js';
import type { Credential } from '../../system-context.js';
import { clientPull } from './client-pull.js';
import { loadCriRegistryConfig, type CriRegistryConfig, type LegacyAuth } from './config-toml.js';
import { logLine } from './hosts-dir.js';
import type { ContainerdProfile } from './profiles.js';
import { configPathRoots, registryHosts } from './registry-hosts.js';

export type GrpcCode = 'Unknown' | 'NotFound' | 'FailedPrecondition' | 'Unimplemented' | 'Unavailable';

export type CriPullResult =
  | { ok: true; from: string | null; digest: string; size: number }
  | { ok: false; code: GrpcCode; message: string; error?: StackError };

export interface CriPullInput {
  fs: NodeFS;
  net: Network;
  profile: ContainerdProfile;
  /** The image as the kubelet passes it (its default tag applied). */
  image: string;
  /** PullImageRequest.auth: the kubelet's credential for this call. */
  auth?: Credential;
  platform: { os: string; arch: string; variant?: string };
  /** PEM texts of the system trust store; default: the node's CA bundle. */
  systemRoots?: string[];
  attempts: AttemptRecord[];
  notes: string[];
  /** Loaded once per node and release (the CRI plugin reads config.toml at start). */
  config?: CriRegistryConfig;
}

/** distribution.ParseDockerRef: normalized, ":latest" when neither tag nor digest, a digest drops the tag. */
export function parseDockerRef(image: string): ImageRef {
  const r = parseNormalizedNamed(image);
  if (r.digest !== undefined) return { domain: r.domain, path: r.path, digest: r.digest };
  return { domain: r.domain, path: r.path, tag: r.tag ?? 'latest' };
}

/** errdefs.ToGRPC: the gRPC code of a pull error. */
export function grpcCodeOf(err: StackError): GrpcCode {
  if (err.is('containerd.errdefs-not-found')) return 'NotFound';
  if (err.is('containerd.commit-digest')) return 'FailedPrecondition';
  return 'Unknown';
}

/** ParseAuth: the CRI credential, with a server address only for that host; identity tokens as the secret. */
function parseAuth(a: LegacyAuth): Credential | undefined {
  if (a.username !== '') return { username: a.username, password: a.password, source: `user ${a.username} from ${'/etc/containerd/config.toml'} registry auth` };
  if (a.identityToken !== '') return { username: '', password: a.identityToken, source: 'identity token from /etc/containerd/config.toml registry auth' };
  if (a.auth !== '') {
    const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1).replace(/\0+$/, ''), source: `user ${decoded.slice(0, i)} from /etc/containerd/config.toml registry auth` };
  }
  return undefined;
}

function failed(err: StackError): CriPullResult {
  return { ok: false, code: grpcCodeOf(err), message: err.message, error: err };
}

export async function criPullImage(input: CriPullInput): Promise<CriPullResult> {
  const { profile, notes, fs } = input;
  const config = input.config ?? loadCriRegistryConfig(fs, profile);
  if (config.loadError) {
    notes.push(`containerd: ${config.loadError}; containerd does not start`);
    return { ok: false, code: 'Unavailable', message: text('containerd.socket-missing') };
  }
  if (config.invalid) {
    const line = logLine('warning', text('containerd.load-plugin', profile.criRegistryPlugin), [['error', text('containerd.invalid-plugin-config', config.invalid)]]);
    notes.push(`containerd log: ${line}`, 'containerd: the CRI plugin is not registered, so the kubelet meets no image service');
    return { ok: false, code: 'Unimplemented', message: text('containerd.cri-unimplemented') };
  }
  let ref: ImageRef;
  try {
    ref = parseDockerRef(input.image);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return failed(wrap(RuntimeError, 'containerd.cri-parse-ref', e, input.image));
  }
  const refStr = refString(ref);
  const plan = registryHosts(fs, ref.domain, { roots: configPathRoots(config.configPath), legacy: config }, profile);
  notes.push(...plan.log.map((l) => `containerd log: ${l}`));
  const wrapPull = (e: StackError) => wrap(RuntimeError, 'containerd.cri-pull', e, refStr);
  const r = await clientPull({
    fs,
    net: input.net,
    ref,
    plan,
    release: profile,
    // Go's SystemCertPool: the node's CA bundle (the CAs a scenario marks trusted).
    systemRoots: input.systemRoots ?? systemCas(fs),
    legacyTls: (host) => (plan.mode === 'legacy' ? config.configs.get(host)?.tls : undefined),
    credentials: (host) => {
      if (input.auth) return input.auth;
      const a = config.configs.get(host)?.auth;
      return a ? parseAuth(a) : undefined;
    },
    platform: input.platform,
    attempts: input.attempts,
    log: (l) => notes.push(`containerd log: ${l}`),
  });
  if (r.ok) return r;
  return failed(wrapPull(r.stage === 'resolve' ? wrap(RuntimeError, 'containerd.resolve-reference', r.error, refStr) : r.error));
}

