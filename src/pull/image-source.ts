/**
 * containers/image's docker.newImageSource: find the [[registry]] for the logical reference, try
 * each pull source in order (mirrors, then the primary), and keep the first whose manifest loads.
 * Per source it does what newImageSourceAttempt and newDockerClientFromRef do: drop command-line or
 * kubelet credentials for a mirror on another domain, look up credentials and certs.d for the
 * physical host, refuse a blocked endpoint, then ping and GET the manifest.
 */
import { dockerTransportConfError, type RegistriesConfig } from '../config/registries-conf.js';
import { RegistriesConfError, TransportError, StackError, text } from '../errors/index.js';
import { refName, refString, type ImageRef } from '../reference/reference.js';
import { blockedError, endpointAccess } from '../resolve/endpoint-access.js';
import { implicitRegistry, pullSourcesFromReference, type PullSource } from '../resolve/pull-sources.js';
import { findRegistry } from '../resolve/registry-index.js';
import { systemContextForSource } from '../auth/credentials.js';
import type { Credential } from '../system-context.js';
import type { AttemptRecord } from '../run/outcome.js';
import { dialTarget, type PullContext } from './pull-context.js';
import { openEndpoint, type OpenedEndpoint } from './endpoint.js';

export interface OpenedSource extends OpenedEndpoint {
  physicalRef: ImageRef;
  /** The registry handle that served the manifest. */
  registry: string | null;
}

function registryOf(ctx: PullContext, ref: ImageRef): string | null {
  const t = dialTarget(ref.domain, 'https');
  return ctx.net.registryAt(t.host, t.port) ?? ctx.net.registryAt(t.host, dialTarget(ref.domain, 'http').port);
}

function asStack(e: unknown): StackError {
  if (e instanceof StackError) return e;
  throw e;
}

async function attemptSource(ctx: PullContext, conf: RegistriesConfig, logical: ImageRef, source: PullSource, record: AttemptRecord): Promise<OpenedSource> {
  const physical = source.ref;
  const sys = systemContextForSource(ctx.sys, logical.domain, physical.domain);
  const opened = await openEndpoint(ctx, sys, physical, {
    insecure: ctx.sys.dockerInsecureSkipTLSVerify ?? source.endpoint.insecure,
    beforeConnect: () => {
      const access = endpointAccess(conf, physical);
      if (access.blocked) throw blockedError(conf, access.prefix!);
    },
    onCredential: (c: Credential | undefined) => {
      record.credential = c ? c.source : null;
    },
  });
  return { ...opened, physicalRef: physical, registry: record.registry };
}

/**
 * Opens the image source for a logical reference. Every source tried is appended to `attempts`.
 * On failure throws the error containers/image returns: the only source's error unwrapped, or
 * `(Mirrors also failed: […]): <primary>: <primary error>`.
 */
export async function openImageSource(ctx: PullContext, logical: ImageRef, attempts: AttemptRecord[]): Promise<OpenedSource> {
  let conf: RegistriesConfig;
  try {
    conf = ctx.registries();
  } catch (e) {
    throw dockerTransportConfError(asStack(e) as RegistriesConfError);
  }
  const registry = findRegistry(conf.index, refName(logical)) ?? implicitRegistry(logical);
  const sources = pullSourcesFromReference(registry, logical);
  const failed: { ref: ImageRef; err: StackError }[] = [];
  for (const source of sources) {
    const record: AttemptRecord = { source: refString(source.ref), registry: registryOf(ctx, source.ref), result: 'failed', credential: null };
    attempts.push(record);
    try {
      const opened = await attemptSource(ctx, conf, logical, source, record);
      record.result = 'pulled';
      return opened;
    } catch (e) {
      const err = asStack(e);
      record.error = err.message;
      failed.push({ ref: source.ref, err });
    }
  }
  if (failed.length === 1) throw failed[0].err;
  const primary = failed[failed.length - 1];
  const extras = failed.slice(0, -1).map((f) => `[${refString(f.ref)}: ${f.err.message}]`).join('\n');
  throw new TransportError('docker.mirrors-failed', text('docker.mirrors-failed', extras, refString(primary.ref), primary.err.message), primary.err);
}

