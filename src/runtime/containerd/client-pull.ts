/**
 * containerd's client pull (client.Pull: Resolve, then the fetch handlers) for one reference over
 * a set of registry hosts: the part the CRI plugin and ctr share, and that other runtimes built on
 * containerd's resolver (the vSphere Pod image fetcher) reuse with their own hosts, trust and
 * wording. Errors come back bare, with the stage that raised them; callers add their wrapping
 * ("failed to resolve reference …" for the resolve stage).
 */
import { RuntimeError, StackError, text } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import { chooseInstance, isManifestList, manifestBlobs, normalizedMediaType } from '../../pull/manifest.js';
import type { Network } from '../../pull/pull-context.js';
import { Transport } from '../../pull/transport.js';
import type { ImageRef } from '../../reference/reference.js';
import { refString } from '../../reference/reference.js';
import type { AttemptRecord } from '../../run/outcome.js';
import type { Credential } from '../../system-context.js';
import { Authorizer } from './authorizer.js';
import type { LegacyTls } from './config-toml.js';
import { hostTls, type HostsPlan } from './registry-hosts.js';
import { fetchContent, notFound, resolve, type Descriptor, type ResolverContext, type ResolverHost } from './resolver.js';
import { containerdWording, type WordingOptions } from './wording.js';

/** What of a release the client's behaviour depends on (a ContainerdProfile has it all). */
export interface ClientRelease extends WordingOptions {
  version: string;
  errorPriority: boolean;
  goTlsVerifyPrefix: boolean;
}

export interface ClientPullInput {
  fs: NodeFS;
  net: Network;
  ref: ImageRef;
  plan: HostsPlan;
  release: ClientRelease;
  /** PEM texts trusted without configuration (the system pool). */
  systemRoots: string[];
  legacyTls?: (host: string) => LegacyTls | undefined;
  credentials: (host: string) => Credential | undefined;
  platform: { os: string; arch: string; variant?: string };
  attempts: AttemptRecord[];
  log: (line: string) => void;
}

export type ClientPullResult =
  | { ok: true; from: string | null; digest: string; size: number }
  | { ok: false; stage: 'resolve' | 'fetch'; error: StackError };

/** A scenario's "os/arch[/variant]" as the platform matcher takes it. */
export function platformOf(p: string): ClientPullInput['platform'] {
  const [os, arch, variant] = p.split('/');
  return variant ? { os, arch, variant } : { os, arch };
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

export async function clientPull(input: ClientPullInput): Promise<ClientPullResult> {
  const { ref, plan, release } = input;
  const object = ref.digest ?? ref.tag!;
  let hosts: ResolverHost[];
  try {
    hosts = plan.hosts.map((h) => ({
      config: h,
      transport: new Transport({
        dialer: input.net.dialer,
        tls: hostTls(input.fs, plan, h, input.systemRoots, input.legacyTls?.(h.host)),
        goTlsVerifyPrefix: release.goTlsVerifyPrefix,
      }),
    }));
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { ok: false, stage: 'resolve', error: e };
  }
  const sentCredential = new Map<string, string | null>();
  const wording = containerdWording(release);
  const ctx: ResolverContext = {
    registry: ref.domain,
    repository: ref.path,
    hosts,
    authorizer: new Authorizer({ credentials: input.credentials, wording, onCredential: (h, c) => sentCredential.set(h, c ? c.source : null) }),
    wording,
    errorPriority: release.errorPriority,
    userAgent: `containerd/v${release.version}`,
    log: [],
    onTry: (t) => describeTry(input.attempts, input.net, ref.path, object, t.host.host, t.host.scheme, t.authorized ? sentCredential.get(t.host.host) ?? null : null, t.error),
  };
  try {
    let desc: Descriptor;
    try {
      desc = await resolve(ctx, object, refString(ref));
    } catch (e) {
      if (!(e instanceof StackError)) throw e;
      return { ok: false, stage: 'resolve', error: e };
    }
    const r = await fetchImage(ctx, desc, input.platform);
    return { ok: true, from: registryOf(input.net, r.host.config.host, r.host.config.scheme), digest: r.digest, size: r.size };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { ok: false, stage: 'fetch', error: e };
  } finally {
    ctx.log.forEach(input.log);
    for (const h of hosts) h.transport.closeIdleConnections();
  }
}

/** Fetch handlers: the root manifest, the platform's manifest of an index, then config and layers. */
async function fetchImage(ctx: ResolverContext, desc: Descriptor, platform: ClientPullInput['platform']): Promise<{ digest: string; size: number; host: ResolverHost }> {
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
