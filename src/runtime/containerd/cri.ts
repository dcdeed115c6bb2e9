/**
 * The CRI plugin's PullImage (pkg/cri/server/image_pull.go; 2.x internal/cri/server/images):
 * ParseDockerRef (short names become docker.io/library/…, no search registries), the registry
 * hosts from config_path or the legacy mirrors, containerd's resolver and fetcher over the one
 * pull transport, and the wrapping and gRPC code the kubelet receives.
 */
import { RuntimeError, StackError, text, wrap } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import { chooseInstance, isManifestList, manifestBlobs, normalizedMediaType } from '../../pull/manifest.js';
import type { Network } from '../../pull/pull-context.js';
import { Transport } from '../../pull/transport.js';
import { parseNormalizedNamed, refString, type ImageRef } from '../../reference/reference.js';
import type { AttemptRecord } from '../../run/outcome.js';
import type { Credential } from '../../system-context.js';
import { Authorizer } from './authorizer.js';
import { loadCriRegistryConfig, type CriRegistryConfig, type LegacyAuth } from './config-toml.js';
import type { ContainerdProfile } from './profiles.js';
import { configPathRoots, hostTls, registryHosts } from './registry-hosts.js';
import { fetchContent, notFound, resolve, type Descriptor, type ResolverContext, type ResolverHost } from './resolver.js';
import { containerdWording } from './wording.js';

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
  /** PEM texts of the node's system trust store (a seam: empty on a plain node). */
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

/** The fake registry a host[:port] reaches (the scheme's default port when none is written). */
function registryOf(net: Network, host: string, scheme = 'https'): string | null {
  const m = /^(.*?)(?::(\d+))?$/.exec(host)!;
  const port = m[2] ? Number(m[2]) : scheme === 'http' ? 80 : 443;
  return net.registryAt(m[1].replace(/^\[|\]$/g, ''), port);
}

function describeTry(attempts: AttemptRecord[], net: Network, repo: string, object: string, host: string, scheme: string, credential: string | null, error?: string): void {
  const source = `${host}/${repo}${object.includes(':') ? '@' : ':'}${object}`;
  const rec: AttemptRecord = { source, registry: registryOf(net, host, scheme), result: error ? 'failed' : 'pulled', credential };
  if (error) rec.error = error;
  attempts.push(rec);
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
    notes.push(`containerd: failed to load plugin ${profile.criRegistryPlugin}: ${config.invalid}; the CRI plugin is not registered`);
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
  const object = ref.digest ?? ref.tag!;
  const plan = registryHosts(fs, ref.domain, { roots: configPathRoots(config.configPath), legacy: config }, profile);
  notes.push(...plan.log.map((l) => `containerd log: ${l}`));
  const wrapPull = (e: StackError) => wrap(RuntimeError, 'containerd.cri-pull', e, refStr);
  const wrapResolve = (e: StackError) => wrapPull(wrap(RuntimeError, 'containerd.resolve-reference', e, refStr));
  let hosts: ResolverHost[];
  try {
    hosts = plan.hosts.map((h) => ({
      config: h,
      transport: new Transport({
        dialer: input.net.dialer,
        tls: hostTls(fs, plan, h, input.systemRoots ?? [], plan.mode === 'legacy' ? config.configs.get(h.host)?.tls : undefined),
        goTlsVerifyPrefix: profile.goTlsVerifyPrefix,
      }),
    }));
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return failed(wrapResolve(e));
  }
  const credentialFor = (host: string): Credential | undefined => {
    if (input.auth) return input.auth;
    const a = config.configs.get(host)?.auth;
    return a ? parseAuth(a) : undefined;
  };
  const sentCredential = new Map<string, string | null>();
  const wording = containerdWording(profile);
  const ctx: ResolverContext = {
    registry: ref.domain,
    repository: ref.path,
    hosts,
    authorizer: new Authorizer({ credentials: credentialFor, wording, onCredential: (h, c) => sentCredential.set(h, c ? c.source : null) }),
    wording,
    errorPriority: profile.errorPriority,
    userAgent: `containerd/v${profile.version}`,
    log: [],
    onTry: (t) => describeTry(input.attempts, input.net, ref.path, object, t.host.host, t.host.scheme, t.authorized ? sentCredential.get(t.host.host) ?? null : null, t.error),
  };
  try {
    let desc: Descriptor;
    try {
      desc = await resolve(ctx, object, refStr);
    } catch (e) {
      if (!(e instanceof StackError)) throw e;
      return failed(wrapResolve(e));
    }
    const r = await fetchImage(ctx, desc, input.platform);
    return { ok: true, from: registryOf(input.net, r.host.config.host, r.host.config.scheme), digest: r.digest, size: r.size };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return failed(wrapPull(e));
  } finally {
    notes.push(...ctx.log.map((l) => `containerd log: ${l}`));
    for (const h of hosts) h.transport.closeIdleConnections();
  }
}

/** Fetch handlers: the root manifest, the platform's manifest of an index, then config and layers. */
async function fetchImage(ctx: ResolverContext, desc: Descriptor, platform: CriPullInput['platform']): Promise<{ digest: string; size: number; host: ResolverHost }> {
  let { body: bytes, host } = await fetchContent(ctx, desc, isManifestList(desc.mediaType) ? 'index' : 'manifest');
  let manifest = desc;
  if (isManifestList(normalizedMediaType(desc.mediaType))) {
    let child: string;
    try {
      child = chooseInstance(bytes, desc.mediaType, platform);
    } catch {
      throw new RuntimeError('containerd.no-platform-match', text('containerd.no-platform-match'), notFound());
    }
    manifest = { digest: child, mediaType: mediaTypeOf(bytes, child), size: -1 };
    ({ body: bytes, host } = await fetchContent(ctx, manifest, 'manifest'));
  }
  let size = bytes.length;
  const blobs = manifestBlobs(bytes);
  for (const [i, digest] of blobs.entries()) {
    const blob = await fetchContent(ctx, { digest, mediaType: 'application/octet-stream', size: -1 }, i === 0 ? 'config' : 'layer');
    size += blob.body.length;
  }
  return { digest: manifest.digest, size, host };
}

function mediaTypeOf(index: Uint8Array, digest: string): string {
  try {
    const doc = JSON.parse(Buffer.from(index).toString('utf8')) as { manifests?: { digest?: string; mediaType?: string }[] };
    return doc.manifests?.find((m) => m.digest === digest)?.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return 'application/vnd.oci.image.manifest.v1+json';
  }
}
