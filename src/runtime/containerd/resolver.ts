/**
 * containerd's docker resolver and fetcher (remotes/docker resolver.go, fetcher.go) over the
 * project's one pull transport: a HEAD of the manifest on each host able to resolve, in order,
 * with `?ns=<registry>` on every host that is not the registry itself; 404 moves on silently,
 * transport errors and other statuses move on and are remembered. 1.x returns the first error
 * remembered; 2.x the most relevant one (4xx > 404 > transport). Then the content is fetched by
 * digest from the hosts able to pull.
 */
import { RuntimeError, StackError, text, TransportError, wrap } from '../../errors/index.js';
import { sha256Digest } from '../../pull/manifest.js';
import { urlString, type GoUrl, type Headers, type HttpResponse, type Transport } from '../../pull/transport.js';
import type { Authorizer } from './authorizer.js';
import { ErrInvalidAuthorization } from './authorizer.js';
import { logLine } from './hosts-dir.js';
import type { Capability } from './hosts-toml.js';
import type { RegistryHost } from './registry-hosts.js';
import type { ContainerdWording } from './wording.js';

export interface ResolverHost {
  config: RegistryHost;
  transport: Transport;
  /** NewHTTPFallback's memory: this host answered https in plain HTTP, so it is asked over http. */
  fellBack?: boolean;
}

export interface HostTry {
  host: RegistryHost;
  method: string;
  url: string;
  /** The last request carried the authorizer's credentials. */
  authorized: boolean;
  status?: number;
  error?: string;
}

export interface ResolverContext {
  /** The reference's host as written (docker.io for Docker Hub): `?ns=` names it on other hosts. */
  registry: string;
  repository: string;
  hosts: ResolverHost[];
  authorizer: Authorizer;
  wording: ContainerdWording;
  /** 2.x: the most relevant failure wins instead of the first. */
  errorPriority: boolean;
  userAgent: string;
  /** containerd's log lines for this pull. */
  log: string[];
  onTry?: (t: HostTry) => void;
}

export interface Descriptor {
  digest: string;
  mediaType: string;
  size: number;
}

const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  '*/*',
].join(', ');

export const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

export function notFound(): RuntimeError {
  return new RuntimeError('containerd.errdefs-not-found', text('containerd.errdefs-not-found'));
}

function filterHosts(hosts: ResolverHost[], caps: Capability[]): ResolverHost[] {
  return hosts.filter((h) => caps.every((c) => h.config.capabilities.includes(c)));
}

/** RegistryHost.isProxy: every host but the registry itself (registry-1.docker.io counts as docker.io). */
function isProxy(h: RegistryHost, registry: string): boolean {
  return registry !== h.host && !(registry === 'docker.io' && h.host === 'registry-1.docker.io');
}

function requestUrl(ctx: ResolverContext, h: RegistryHost, parts: string[]): GoUrl {
  const path = `${h.path}/${ctx.repository}/${parts.join('/')}`.replace(/\/{2,}/g, '/');
  const query = isProxy(h, ctx.registry) ? `ns=${encodeURIComponent(ctx.registry)}` : '';
  return { scheme: h.scheme === 'http' ? 'http' : 'https', host: h.host, path, query };
}

function headerOf(res: HttpResponse, name: string): string {
  return res.headers.get(name)?.[0] ?? '';
}

/** One exchange; a fallback host whose https is answered in plain HTTP is asked again over http (and from then on). */
async function send(rh: ResolverHost, method: string, url: GoUrl, headers: Headers): Promise<HttpResponse> {
  const go = (u: GoUrl) => (method === 'HEAD' ? rh.transport.roundTrip('HEAD', u, headers) : rh.transport.get(u, headers));
  if (rh.fellBack) return go({ ...url, scheme: 'http' });
  try {
    return await go(url);
  } catch (e) {
    if (!rh.config.httpFallback || !(e instanceof TransportError) || !e.is('net.http-to-https')) throw e;
    rh.fellBack = true;
    return go({ ...url, scheme: 'http' });
  }
}

/** request.doWithRetries: 401 → the authorizer, 405 on a manifest HEAD → GET, 408/429 → again; at most 6 responses. */
async function doWithRetries(ctx: ResolverContext, rh: ResolverHost, method: 'HEAD' | 'GET', url: GoUrl, accept?: string): Promise<{ res: HttpResponse; method: string; authorized: boolean }> {
  const h = rh.config;
  const scope = `repository:${ctx.repository}:pull`;
  let m = method;
  let responses = 0;
  for (;;) {
    const headers: Headers = [];
    if (accept) headers.push(['Accept', accept]);
    for (const [k, vs] of h.header ?? []) for (const v of vs) headers.push([k, v]);
    headers.push(['User-Agent', ctx.userAgent]);
    const auth = await ctx.authorizer.authorize(h.host, scope, rh.transport);
    headers.push(...auth);
    let res: HttpResponse;
    const op = m === 'HEAD' ? 'Head' : 'Get';
    try {
      res = await send(rh, m, url, headers);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      // Transport.get already wraps as Go's client does; the wording decides the URL's quoting.
      const bare = e.code === 'net.get' && e.cause ? e.cause : e;
      throw ctx.wording.doRequest(op, urlString(url), bare);
    }
    responses++;
    const done = { res, method: m, authorized: auth.length > 0 };
    if (responses > 5) return done;
    if (res.statusCode === 401) {
      if (ctx.authorizer.addResponse(h.host, res, responses > 1)) continue;
    } else if (res.statusCode === 405 && m === 'HEAD' && url.path.includes('/manifests/')) {
      m = 'GET';
      continue;
    } else if (res.statusCode === 408 || res.statusCode === 429) continue;
    return done;
  }
}

const PRIORITY = { transport: 1, notFound: 2, status: 3 } as const;

/** Resolve: the descriptor of `object` (tag or digest), or the error containerd returns for the reference `ref`. */
export async function resolve(ctx: ResolverContext, object: string, ref: string): Promise<Descriptor & { host: ResolverHost }> {
  const isDigest = object.includes(':');
  const paths = isDigest ? [['manifests', object], ['blobs', object]] : [['manifests', object]];
  const hosts = filterHosts(ctx.hosts, isDigest ? ['pull'] : ['pull', 'resolve']);
  if (hosts.length === 0) throw wrap(RuntimeError, 'containerd.no-resolve-hosts', notFound());
  let firstErr: StackError | undefined;
  let firstPriority = 0;
  // 1.x: a 404 records nothing (only an all-404 run is "not found"); 2.x ranks it between the others.
  const remember = (err: StackError, priority: number) => {
    if (!ctx.errorPriority && priority === PRIORITY.notFound) return;
    if (ctx.errorPriority ? priority > firstPriority : firstErr === undefined) {
      firstErr = err;
      firstPriority = priority;
    }
  };
  // 2.x words its log by whether another host follows, and logs every status it moves on from.
  const next = (i: number) => (!ctx.errorPriority || i < hosts.length - 1 ? 'trying next host' : 'fetch failed');
  for (const parts of paths) {
    if (ctx.errorPriority && firstPriority > PRIORITY.notFound) break;
    for (const [i, rh] of hosts.entries()) {
      const url = requestUrl(ctx, rh.config, parts);
      let shown = urlString(url);
      let res: HttpResponse;
      let method: string;
      let authorized: boolean;
      try {
        ({ res, method, authorized } = await doWithRetries(ctx, rh, 'HEAD', url, MANIFEST_ACCEPT));
      } catch (e) {
        if (!(e instanceof StackError)) throw e;
        const err = e instanceof ErrInvalidAuthorization ? wrap(RuntimeError, 'containerd.pull-access-denied', e) : e;
        ctx.onTry?.({ host: rh.config, method: 'HEAD', url: shown, error: err.message, authorized: err.is('containerd.server-message') });
        remember(err, PRIORITY.transport);
        ctx.log.push(logLine('info', next(i), [['error', err.message], ['host', rh.config.host]]));
        continue;
      }
      // A status names the request that got it: after a fallback, the http one.
      if (rh.fellBack) shown = urlString({ ...url, scheme: 'http' });
      ctx.onTry?.({ host: rh.config, method, url: shown, status: res.statusCode, authorized, ...(res.statusCode > 299 && { error: res.status }) });
      if (res.statusCode > 299) {
        if (res.statusCode === 404) {
          remember(wrap(RuntimeError, 'containerd.not-found', notFound(), ref), PRIORITY.notFound);
          const msg = ctx.errorPriority ? `${next(i)} after status: ${res.status}` : 'trying next host - response was http.StatusNotFound';
          ctx.log.push(logLine('info', msg, [['host', rh.config.host]]));
          continue;
        }
        if (res.statusCode > 399) {
          remember(ctx.wording.hostStatus(rh.config.host, parts, method, shown, res.status, false), PRIORITY.status);
          if (ctx.errorPriority) ctx.log.push(logLine('info', `${next(i)} after status: ${res.status}`, [['host', rh.config.host]]));
          continue;
        }
        throw ctx.wording.hostStatus(rh.config.host, parts, method, shown, res.status, true);
      }
      const contentType = headerOf(res, 'content-type').split(';')[0].trim();
      const length = headerOf(res, 'content-length');
      let digest = isDigest ? object : headerOf(res, 'docker-content-digest');
      let size = length === '' ? -1 : Number(length);
      if (digest === '' || size === -1) {
        const got = await doWithRetries(ctx, rh, 'GET', url, MANIFEST_ACCEPT);
        if (got.res.bodyError) throw got.res.bodyError;
        if (digest === '') digest = sha256Digest(got.res.body);
        size = got.res.body.length;
      }
      return { digest, mediaType: contentType, size, host: rh };
    }
  }
  if (!ctx.errorPriority && firstErr === undefined) firstErr = wrap(RuntimeError, 'containerd.not-found', notFound(), ref);
  throw firstErr!;
}

/** The content key containerd commits a fetched object under (remotes.MakeRefKey). */
export function refKey(kind: 'manifest' | 'index' | 'config' | 'layer', digest: string): string {
  return `${kind}-${digest}`;
}

/**
 * Fetch + content.Copy of one object by digest: manifests from the manifests endpoint of each
 * pull host, other content from the blobs endpoint; the first failure is reported, and a
 * not-found blob is "could not fetch content descriptor …". The bytes must match the digest.
 */
export async function fetchContent(ctx: ResolverContext, desc: Descriptor, kind: 'manifest' | 'index' | 'config' | 'layer'): Promise<{ body: Buffer; host: ResolverHost }> {
  const hosts = filterHosts(ctx.hosts, ['pull']);
  if (hosts.length === 0) throw wrap(RuntimeError, 'containerd.failed-copy', wrap(RuntimeError, 'containerd.failed-open', wrap(RuntimeError, 'containerd.no-pull-hosts', notFound())));
  const isManifest = MANIFEST_MEDIA_TYPES.has(desc.mediaType);
  let firstErr: StackError | undefined;
  for (const rh of hosts) {
    const url = requestUrl(ctx, rh.config, [isManifest ? 'manifests' : 'blobs', desc.digest]);
    const shown = urlString(url);
    let res: HttpResponse;
    try {
      ({ res } = await doWithRetries(ctx, rh, 'GET', url, isManifest ? MANIFEST_ACCEPT : undefined));
    } catch (e) {
      if (!(e instanceof StackError)) throw e;
      firstErr ??= e;
      continue;
    }
    if (res.statusCode > 299) {
      if (res.statusCode === 404) firstErr ??= wrap(RuntimeError, 'containerd.content-not-found', notFound(), shown);
      else {
        const body = res.body.toString('utf8');
        firstErr ??= body.length > 0
          ? new RuntimeError('containerd.fetch-status-message', text('containerd.fetch-status-message', shown, res.status, body))
          : new RuntimeError('containerd.fetch-status', text('containerd.fetch-status', shown, res.status));
      }
      continue;
    }
    if (res.bodyError) throw wrap(RuntimeError, 'containerd.failed-copy', res.bodyError);
    const actual = sha256Digest(res.body);
    if (actual !== desc.digest) throw new RuntimeError('containerd.commit-digest', text('containerd.commit-digest', refKey(kind, desc.digest), actual, desc.digest));
    return { body: res.body, host: rh };
  }
  let err = firstErr!;
  if (!isManifest && err.is('containerd.errdefs-not-found')) {
    err = new RuntimeError('containerd.content-descriptor', text('containerd.content-descriptor', desc.digest, desc.mediaType, text('containerd.errdefs-not-found')), notFound());
  }
  throw wrap(RuntimeError, 'containerd.failed-copy', wrap(RuntimeError, 'containerd.failed-open', err));
}
