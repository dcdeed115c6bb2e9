/**
 * containers/image 5.23.1's dockerClient for one registry (docker/docker_client.go): the ping
 * that detects scheme and auth challenges, request auth (basic, bearer with a per-client token
 * cache), the insufficient_scope retry, 429 back-off, and fetchManifest / getBlob with the
 * library's exact error wrapping. One client per pull source, like newDockerClientFromRef.
 */
import { asStackError, fail, RegistryApiError, StackError, TransportError, wrap } from '../errors/index.js';
import { GoJsonSyntaxError, goJsonKind, parseGoJson, unmarshalTypeError } from '../config/go-json.js';
import type { SigstoreAttachmentLayer } from '../signature/evaluate.js';
import type { Dialer } from './dialer.js';
import { MEDIA_TYPE, REQUESTED_MANIFEST_TYPES, sha256Digest } from './manifest.js';
import { httpResponseToError, registryHTTPResponseToError, RegistryResponseError, type ErrorResponse, type RegistryErrorEra } from './registry-errors.js';
import { parseUrl, Transport, urlString, type GoUrl, type Headers, type HttpResponse, type TlsSettings } from './transport.js';
import { parseAuthScope, parseChallenges, type AuthScope, type Challenge } from './www-authenticate.js';

export type AuthSchemeUsed = 'none' | 'basic' | 'bearer';

export type RequestPurpose = 'ping' | 'ping-v1' | 'token' | 'manifest' | 'blob';

/** One HTTP exchange (or a 429 back-off wait). Never carries credentials or tokens. */
export type TraceEvent =
  | {
      kind: 'request';
      purpose: RequestPurpose;
      method: 'GET';
      /** The URL as c/i logs it (token requests show `account=<user>`, never a password). */
      url: string;
      /** Set when the server answered. */
      status?: number;
      /** Set when the exchange failed on the wire (Go's error text). */
      error?: string;
      auth: AuthSchemeUsed;
    }
  | { kind: 'backoff'; url: string; delayMs: number };

export interface RegistryClientOptions {
  dialer: Dialer;
  /** host[:port] as in the reference; docker.io is contacted as registry-1.docker.io. */
  registry: string;
  tls: TlsSettings;
  credential?: { username: string; password: string };
  trace?: (e: TraceEvent) => void;
  /** Go ≥ 1.20 x509 wording (`tls: failed to verify certificate: …`). */
  goTlsVerifyPrefix?: boolean;
  /** Whose wording registry errors take (default 5.23, as skopeo/podman). */
  registryErrorEra?: RegistryErrorEra;
  /** The node's clock (certificate validity, token expiry, Retry-After dates). */
  now?: () => Date;
  /** How a 429 back-off waits; the default does not wait (virtual time), the trace shows the delay. */
  sleep?: (ms: number) => Promise<void>;
}

export interface FetchedManifest {
  bytes: Uint8Array;
  /** The Content-Type without parameters ("" when absent or unparsable), as c/i's simplifyContentType. */
  mediaType: string;
  /** sha256 of the bytes (for a digest pull: the requested digest, verified). */
  digest: string;
}

const DOCKER_HOSTNAME = 'docker.io';
const DOCKER_REGISTRY = 'registry-1.docker.io';
const USER_AGENT = 'containers/5.23.1 (github.com/containers/image)';
const BACKOFF_ITERATIONS = 5;
const BACKOFF_INITIAL_MS = 2_000;
const BACKOFF_MAX_MS = 60_000;
const MIN_TOKEN_LIFETIME_S = 60;
const MAX_MANIFEST_BODY = 4 * 1024 * 1024;
const MAX_AUTH_TOKEN_BODY = 1024 * 1024;
const MAX_SIGNATURE_BODY = 4 * 1024 * 1024;

interface CachedToken {
  token: string;
  expires: number;
}

export class RegistryClient {
  /** The host[:port] c/i talks to (docker.io → registry-1.docker.io); also what its errors name. */
  readonly registry: string;
  private readonly transport: Transport;
  private readonly scope: AuthScope = { resourceType: 'repository', remoteName: '', actions: 'pull' };
  private readonly tokenCache = new Map<string, CachedToken>();
  private pinged?: Promise<void>;
  private schemeDetected: 'https' | 'http' = 'https';
  private challengeList: Challenge[] = [];

  constructor(private readonly opts: RegistryClientOptions) {
    this.registry = opts.registry === DOCKER_HOSTNAME ? DOCKER_REGISTRY : opts.registry;
    this.transport = new Transport({ dialer: opts.dialer, tls: opts.tls, goTlsVerifyPrefix: opts.goTlsVerifyPrefix, now: opts.now });
  }

  /** The scheme the ping settled on (http only after the insecure fallback). */
  get scheme(): 'https' | 'http' {
    return this.schemeDetected;
  }

  /** The auth challenges the ping stored. */
  get challenges(): readonly Challenge[] {
    return this.challengeList;
  }

  /** detectProperties: runs once per client; a failure is remembered and thrown again. */
  ping(): Promise<void> {
    this.pinged ??= this.detectProperties();
    return this.pinged;
  }

  private async detectProperties(): Promise<void> {
    const insecure = this.opts.tls.insecureSkipVerify;
    let err = await this.pingV2('https');
    if (err && insecure) err = await this.pingV2('http');
    if (!err) return;
    const wrapped = wrap(TransportError, 'docker.pinging', err, this.registry);
    let isV1 = await this.pingV1('https');
    if (!isV1 && insecure) isV1 = await this.pingV1('http');
    if (isV1) throw fail(RegistryApiError, 'docker.v1-not-supported');
    throw wrapped;
  }

  private async pingV2(scheme: 'https' | 'http'): Promise<StackError | undefined> {
    const url: GoUrl = { scheme, host: this.registry, path: '/v2/', query: '' };
    let res: HttpResponse;
    try {
      res = await this.request('ping', url, [], false);
    } catch (e) {
      return asStackError(e);
    }
    if (res.statusCode !== 200 && res.statusCode !== 401) return asStackError(httpResponseToError(res, undefined, this.opts.registryErrorEra));
    this.challengeList = parseChallenges(res.headers.get('www-authenticate'));
    this.schemeDetected = scheme;
    return undefined;
  }

  private async pingV1(scheme: 'https' | 'http'): Promise<boolean> {
    try {
      const res = await this.request('ping-v1', { scheme, host: this.registry, path: '/v1/_ping', query: '' }, [], false);
      return res.statusCode === 200 || res.statusCode === 401;
    } catch {
      return false;
    }
  }

  /** fetchManifest: GET /v2/<repo>/manifests/<tag|digest>; a digest reference is verified against the bytes. */
  async getManifest(repoPath: string, tagOrDigest: string, physicalName: string): Promise<FetchedManifest> {
    this.scope.remoteName = repoPath;
    await this.ping();
    const url = this.resolved(`/v2/${repoPath}/manifests/${tagOrDigest}`);
    const res = await this.request('manifest', url, REQUESTED_MANIFEST_TYPES.map((t): [string, string] => ['Accept', t]), true);
    if (res.statusCode !== 200) throw wrap(RegistryApiError, 'docker.reading-manifest', asStackError(registryHTTPResponseToError(toErrorResponse(res), this.opts.registryErrorEra)), tagOrDigest, physicalName);
    const bytes = readBody(res, MAX_MANIFEST_BODY);
    const digest = sha256Digest(bytes);
    if (tagOrDigest.includes(':') && tagOrDigest.startsWith('sha256:') && tagOrDigest !== digest) {
      throw fail(RegistryApiError, 'docker.manifest-digest-mismatch', tagOrDigest);
    }
    return { bytes, mediaType: simplifyContentType(res.headers.get('content-type')?.[0] ?? ''), digest };
  }

  /** getBlob + copy's digestingReader: the blob's bytes, verified against digest. */
  async getBlob(repoPath: string, digest: string): Promise<Uint8Array> {
    const bytes = await this.fetchBlob(repoPath, digest);
    if (digest.startsWith('sha256:')) {
      const actual = sha256Digest(bytes);
      if (actual !== digest) throw fail(RegistryApiError, 'docker.digest-mismatch', digest, actual);
    }
    return bytes;
  }

  private async fetchBlob(repoPath: string, digest: string): Promise<Buffer> {
    this.scope.remoteName = repoPath;
    await this.ping();
    const res = await this.request('blob', this.resolved(`/v2/${repoPath}/blobs/${digest}`), [], true);
    const err = httpResponseToError(res, 'docker.blob-context', this.opts.registryErrorEra);
    if (err) throw asStackError(err);
    if (res.bodyError) throw res.bodyError;
    return res.body;
  }

  /**
   * getSigstoreAttachmentManifest + its layers: [] when the `sha256-<hex>.sig` manifest is
   * unknown to the registry; layer payloads are read without digest verification, as c/i does.
   */
  async sigstoreAttachments(repoPath: string, manifestDigest: string, physicalName = `${this.opts.registry}/${repoPath}`): Promise<SigstoreAttachmentLayer[]> {
    const tag = manifestDigest.replace(':', '-') + '.sig';
    let m: FetchedManifest;
    try {
      m = await this.getManifest(repoPath, tag, physicalName);
    } catch (e) {
      if (isManifestUnknownError(e)) return [];
      throw e;
    }
    if (m.mediaType !== MEDIA_TYPE.ociManifest) throw fail(RegistryApiError, 'docker.sigstore-mime', `${physicalName}:${tag}`, m.mediaType);
    let doc: unknown;
    try {
      doc = parseGoJson(m.bytes);
    } catch {
      doc = {};
    }
    const layers = (doc as { layers?: unknown }).layers;
    const out: SigstoreAttachmentLayer[] = [];
    for (const l of Array.isArray(layers) ? layers : []) {
      const layer = l as { digest?: string; mediaType?: string; annotations?: Record<string, string> };
      let payload: Buffer;
      try {
        payload = await this.fetchBlob(repoPath, layer.digest ?? '');
      } catch (e) {
        if (e instanceof TransportError && e.code !== 'net.get') throw wrap(RegistryApiError, 'docker.reading-blob', e, layer.digest ?? '', physicalName);
        throw e;
      }
      if (payload.length > MAX_SIGNATURE_BODY) throw wrap(RegistryApiError, 'docker.reading-blob', fail(RegistryApiError, 'docker.exceeded-size', MAX_SIGNATURE_BODY), layer.digest ?? '', physicalName);
      out.push({ payload, annotations: layer.annotations ?? {}, mediaType: layer.mediaType });
    }
    return out;
  }

  private resolved(path: string): GoUrl {
    return { scheme: this.schemeDetected, host: this.registry, path, query: '' };
  }

  /** makeRequestToResolvedURL: the insufficient_scope retry on the first attempt, then 429 back-off. */
  private async request(purpose: RequestPurpose, url: GoUrl, headers: Headers, withAuth: boolean): Promise<HttpResponse> {
    let delay = BACKOFF_INITIAL_MS;
    let extraScope: AuthScope | undefined;
    for (let attempts = 1; ; attempts++) {
      let res = await this.requestOnce(purpose, url, headers, withAuth, extraScope);
      if (attempts === 1 && withAuth) {
        const newScope = scopeToRetry(res);
        if (newScope) {
          res = await this.requestOnce(purpose, url, headers, withAuth, newScope);
          extraScope = newScope;
        }
      }
      if (res.statusCode !== 429 || attempts === BACKOFF_ITERATIONS) return res;
      delay = Math.min(this.retryAfter(res, delay), BACKOFF_MAX_MS);
      this.opts.trace?.({ kind: 'backoff', url: urlString(url), delayMs: delay });
      await (this.opts.sleep ?? (async () => {}))(delay);
      delay *= 2;
    }
  }

  private retryAfter(res: HttpResponse, fallback: number): number {
    const after = res.headers.get('retry-after')?.[0];
    if (!after) return fallback;
    if (/^[+-]?\d+$/.test(after)) return Number(after) * 1000;
    const at = Date.parse(after);
    if (Number.isNaN(at)) return fallback;
    const delta = at - (this.opts.now?.() ?? new Date()).getTime();
    return delta > 0 ? delta : fallback;
  }

  private async requestOnce(purpose: RequestPurpose, url: GoUrl, extra: Headers, withAuth: boolean, extraScope?: AuthScope): Promise<HttpResponse> {
    const headers: Headers = [['Docker-Distribution-API-Version', 'registry/2.0'], ...extra, ['User-Agent', USER_AGENT]];
    let auth: AuthSchemeUsed = 'none';
    if (withAuth) {
      const a = await this.authorization(extraScope);
      if (a) {
        headers.push(['Authorization', a.header]);
        auth = a.scheme;
      }
    }
    return this.transport.get(url, headers, (hop) => this.opts.trace?.({ kind: 'request', purpose, method: 'GET', url: hop.url, status: hop.status, error: hop.error, auth }));
  }

  /** setupRequestAuth: the first supported challenge from the ping decides. */
  private async authorization(extraScope?: AuthScope): Promise<{ scheme: AuthSchemeUsed; header: string } | undefined> {
    for (const challenge of this.challengeList) {
      if (challenge.scheme === 'basic') {
        const c = this.opts.credential;
        return { scheme: 'basic', header: 'Basic ' + Buffer.from(`${c?.username ?? ''}:${c?.password ?? ''}`).toString('base64') };
      }
      if (challenge.scheme === 'bearer') {
        const scopes = [this.scope, ...(extraScope ? [extraScope] : [])];
        // c/i keys the default token by "" because a client serves one repository; keying by it keeps that true here.
        const key = extraScope ? `${extraScope.resourceType}:${extraScope.remoteName}:${extraScope.actions}` : `@${this.scope.remoteName}`;
        const now = (this.opts.now?.() ?? new Date()).getTime();
        let cached = this.tokenCache.get(key);
        if (!cached || now > cached.expires) {
          cached = await this.getBearerToken(challenge, scopes);
          this.tokenCache.set(key, cached);
        }
        return { scheme: 'bearer', header: `Bearer ${cached.token}` };
      }
    }
    return undefined;
  }

  private async getBearerToken(challenge: Challenge, scopes: AuthScope[]): Promise<CachedToken> {
    const realm = challenge.parameters.get('realm');
    if (realm === undefined) throw fail(RegistryApiError, 'docker.missing-realm');
    const base = parseUrl(realm);
    if (!base) throw wrap(TransportError, 'net.get', fail(TransportError, 'net.unsupported-scheme', /^([a-z][a-z0-9+.-]*):/i.exec(realm)?.[1]?.toLowerCase() ?? ''), realm);
    const params = parseQuery(base.query);
    const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
    const cred = this.opts.credential;
    if (cred?.username) add('account', cred.username);
    const service = challenge.parameters.get('service');
    if (service) add('service', service);
    for (const s of scopes) if (s.resourceType && s.remoteName && s.actions) add('scope', `${s.resourceType}:${s.remoteName}:${s.actions}`);
    const url: GoUrl = { ...base, query: encodeQuery(params) };
    const headers: Headers = [];
    if (cred?.username && cred.password) headers.push(['Authorization', 'Basic ' + Buffer.from(`${cred.username}:${cred.password}`).toString('base64')]);
    headers.push(['User-Agent', USER_AGENT]);
    const auth: AuthSchemeUsed = headers.length > 1 ? 'basic' : 'none';
    const res = await this.transport.get(url, headers, (hop) => this.opts.trace?.({ kind: 'request', purpose: 'token', method: 'GET', url: hop.url, status: hop.status, error: hop.error, auth }));
    const err = httpResponseToError(res, 'docker.bearer-context', this.opts.registryErrorEra);
    if (err) throw asStackError(err);
    return this.tokenFromJson(readBody(res, MAX_AUTH_TOKEN_BODY));
  }

  /** newBearerTokenFromJSONBlob. */
  private tokenFromJson(blob: Buffer): CachedToken {
    let doc: unknown;
    try {
      doc = parseGoJson(blob);
    } catch (e) {
      if (e instanceof GoJsonSyntaxError) throw new RegistryApiError('json.syntax', e.message);
      throw e;
    }
    const get = (name: string, type: 'string' | 'number'): unknown => {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
      let v: unknown;
      for (const [k, val] of Object.entries(doc)) if (k.toLowerCase() === name) v = val;
      if (v !== undefined && v !== null && typeof v !== type) {
        throw new RegistryApiError('json.type', unmarshalTypeError(goJsonKind(v), type === 'number' ? 'int' : 'string', 'bearerToken', name));
      }
      return v;
    };
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) throw new RegistryApiError('json.type', unmarshalTypeError(goJsonKind(doc), '*docker.bearerToken'));
    const token = (get('token', 'string') as string | undefined) || (get('access_token', 'string') as string | undefined) || '';
    let expiresIn = (get('expires_in', 'number') as number | undefined) ?? 0;
    if (expiresIn < MIN_TOKEN_LIFETIME_S) expiresIn = MIN_TOKEN_LIFETIME_S;
    const issuedRaw = get('issued_at', 'string') as string | undefined;
    const issued = issuedRaw ? Date.parse(issuedRaw) : NaN;
    const start = Number.isNaN(issued) ? (this.opts.now?.() ?? new Date()).getTime() : issued;
    return { token, expires: start + expiresIn * 1000 };
  }
}

/** needsRetryWithUpdatedScope: a 401 whose Bearer challenge says insufficient_scope with a parsable scope. */
function scopeToRetry(res: HttpResponse): AuthScope | undefined {
  if (res.statusCode !== 401) return undefined;
  for (const c of parseChallenges(res.headers.get('www-authenticate'))) {
    if (c.scheme !== 'bearer' || c.parameters.get('error') !== 'insufficient_scope') continue;
    const scope = c.parameters.get('scope');
    if (scope) {
      const parsed = parseAuthScope(scope);
      if (parsed) return parsed;
    }
  }
  return undefined;
}

/** isManifestUnknownError: the first registry error is MANIFEST_UNKNOWN (or registry.redhat.io's variants). */
export function isManifestUnknownError(e: unknown): boolean {
  for (let cur = e instanceof StackError ? e : undefined; cur; cur = cur.cause) {
    if (!(cur instanceof RegistryResponseError)) continue;
    const first = cur.items[0];
    if (!first) return false;
    if ((first.kind === 'code' || first.kind === 'error') && first.code === 'MANIFEST_UNKNOWN') return true;
    if (first.kind === 'error' && first.code === 'UNKNOWN' && first.message === 'Not Found') return true;
    if (first.kind === 'unexpected' && first.status === 404 && first.body.includes('Not found')) return true;
    return false;
  }
  return false;
}

function toErrorResponse(res: HttpResponse): ErrorResponse {
  return { statusCode: res.statusCode, status: res.status, headers: res.headers, body: res.body, bodyError: res.bodyError };
}

function readBody(res: HttpResponse, limit: number): Buffer {
  if (res.bodyError) throw res.bodyError;
  if (res.body.length > limit) throw fail(RegistryApiError, 'docker.exceeded-size', limit);
  return res.body;
}

/** mime.ParseMediaType's type part, lower-cased; "" when it does not parse. */
function simplifyContentType(ct: string): string {
  if (ct === '') return '';
  const t = ct.split(';', 1)[0].trim().toLowerCase();
  return /^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(t) ? t : '';
}

function parseQuery(q: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  if (!q) return m;
  for (const part of q.split(/[&;]/)) {
    if (!part) continue;
    const [k, v = ''] = part.split(/=(.*)/s, 2);
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = dec(k);
    m.set(key, [...(m.get(key) ?? []), dec(v)]);
  }
  return m;
}

/** url.Values.Encode: keys sorted, values in order, QueryEscape'd. */
function encodeQuery(params: Map<string, string[]>): string {
  return [...params.keys()]
    .sort()
    .flatMap((k) => params.get(k)!.map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
    .join('&');
}

function queryEscape(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      if (c === ' ') return '+';
      return '%' + b.toString(16).toUpperCase().padStart(2, '0');
    })
    .join('');
}

