/**
 * The Distribution API v2 read path as CNCF distribution 2.8 answers it, as a pure function of
 * a request: `GET /v2/`, manifests and blobs (GET/HEAD), tags/list, with its auth challenges.
 */
import { text } from '../src/errors/index.js';
import type { AuthSpec } from '../src/scenario/types.js';
import { checkPassword, mayPull, parseAuthorization, type TokenStore } from './auth.js';
import { distributionError, type DistributionCode } from './distribution-errors.js';
import { BoundedMemo } from './bounded-memo.js';
import { MediaType, type Manifest } from './images.js';
import { ACCESS_DENIED_CHALLENGE, mayPullFrom, openShiftToken, presentedToken, TOKEN_PATH, type OpenShiftAuthz } from './openshift-registry.js';
import type { RegistryContent } from './registry-content.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The account the request authenticated as. */
  user?: string;
}

export interface RegistryAuth {
  spec: AuthSpec;
  /** bearer: the `service` of challenges and tokens (the registry's host as written). */
  service: string;
  /** bearer: token endpoint URL; basic: the realm string. */
  realm: string;
}

export interface RegistryContext {
  content: RegistryContent;
  auth?: RegistryAuth;
  tokens: TokenStore;
  /** `corruptBlob` fault: blob bytes that do not match their digest. */
  corruptBlob: boolean;
  /** `openshift: true`: authorized like OpenShift's image registry; realm is its token endpoint URL. */
  openshift?: { authz: OpenShiftAuthz; realm: string };
}

export interface RegistryRequest {
  method: string;
  /** Path without query. */
  path: string;
  authorization?: string;
  accept?: string | string[];
}

const API_VERSION = { 'docker-distribution-api-version': 'registry/2.0' };
const JSON_TYPE = 'application/json; charset=utf-8';
/** distribution's reference.NameRegexp: path components of lowercase alphanumerics and separators. */
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;

function json(status: number, value: unknown, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...API_VERSION, 'content-type': JSON_TYPE, ...extra }, body: Buffer.from(`${JSON.stringify(value)}\n`) };
}

function error(code: DistributionCode, detail?: unknown, extra: Record<string, string> = {}, message?: Parameters<typeof distributionError>[2]): ApiResponse {
  const e = distributionError(code, detail, message);
  return { status: e.status, headers: { ...API_VERSION, 'content-type': JSON_TYPE, ...extra }, body: e.body };
}

/** Answers shared by every request that gets them: callers copy, never change them. */
function frozen(res: ApiResponse): ApiResponse {
  Object.freeze(res.headers);
  return Object.freeze(res);
}

const BASE_OK = frozen(json(200, {}));
const NOT_FOUND_PAGE = frozen({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: Buffer.from(text('registry.not-found-page')) });

/** Go's http.NotFound, which distribution's router answers for paths it has no route for. */
export function notFoundPage(): ApiResponse {
  return NOT_FOUND_PAGE;
}

function accessRecords(repository: string | undefined) {
  return repository === undefined ? null : [{ Type: 'repository', Class: '', Name: repository, Action: 'pull' }];
}

/** Every client's first request to a repository is challenged: each registry's challenges are built once per repository and error. */
const challenges = new WeakMap<RegistryAuth, BoundedMemo<string, ApiResponse>>();

function challenge(auth: RegistryAuth, repository: string | undefined, bearerError?: 'invalid_token' | 'insufficient_scope'): ApiResponse {
  let memo = challenges.get(auth);
  if (!memo) challenges.set(auth, (memo = new BoundedMemo(1024)));
  // A space is in no repository name, and the base path has no repository.
  const key = `${bearerError ?? ''} ${repository ?? ' '}`;
  let res = memo.get(key);
  if (!res) memo.set(key, (res = frozen(buildChallenge(auth, repository, bearerError))));
  return res;
}

function buildChallenge(auth: RegistryAuth, repository: string | undefined, bearerError?: 'invalid_token' | 'insufficient_scope'): ApiResponse {
  let header: string;
  if (auth.spec.type === 'basic') header = `Basic realm=${JSON.stringify(auth.realm)}`;
  else {
    header = `Bearer realm=${JSON.stringify(auth.realm)},service=${JSON.stringify(auth.service)}`;
    if (repository !== undefined) header += `,scope=${JSON.stringify(`repository:${repository}:pull`)}`;
    if (bearerError) header += `,error=${JSON.stringify(bearerError)}`;
  }
  return error('UNAUTHORIZED', accessRecords(repository), { 'www-authenticate': header });
}

/** Either the account the request may act as (undefined: anonymous), or the refusal to send. */
function authorize(ctx: RegistryContext, req: RegistryRequest, repository: string | undefined): { user?: string } | ApiResponse {
  const auth = ctx.auth;
  if (!auth) return {};
  const presented = parseAuthorization(req.authorization);
  if (auth.spec.type === 'basic') {
    if (presented.scheme === 'basic') {
      if (!checkPassword(auth.spec, presented.user, presented.password)) return challenge(auth, repository);
      if (repository !== undefined && !mayPull(auth.spec, presented.user, repository)) return { ...error('DENIED', accessRecords(repository)), user: presented.user };
      return { user: presented.user };
    }
    if (presented.scheme === 'none' && repository !== undefined && mayPull(auth.spec, undefined, repository)) return {};
    return challenge(auth, repository);
  }
  if (presented.scheme !== 'bearer') return challenge(auth, repository);
  const grant = ctx.tokens.lookup(presented.token);
  if (!grant || grant.service !== auth.service) return challenge(auth, repository, 'invalid_token');
  if (repository !== undefined && !grant.repositories.has(repository)) return { ...challenge(auth, repository, 'insufficient_scope'), user: grant.account };
  return { user: grant.account };
}

/** auth.go: no token → a Bearer challenge to the token endpoint; a token that may not pull → access denied. */
function authorizeOpenShift(os: NonNullable<RegistryContext['openshift']>, req: RegistryRequest, repository: string | undefined): { user?: string } | ApiResponse {
  const token = presentedToken(req.authorization);
  if (token === undefined) return error('UNAUTHORIZED', accessRecords(repository), { 'www-authenticate': `Bearer realm=${JSON.stringify(os.realm)}` });
  if (repository === undefined || mayPullFrom(os.authz, token, repository)) return {};
  return error('UNAUTHORIZED', accessRecords(repository), { 'www-authenticate': ACCESS_DENIED_CHALLENGE });
}

function acceptedTypes(accept: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const line of Array.isArray(accept) ? accept : accept ? [accept] : []) {
    for (const part of line.split(',')) out.add(part.split(';', 1)[0]!.trim().toLowerCase());
  }
  return out;
}

/** A client sends the same Accept line on every manifest request: its parse is kept by the line. */
const acceptedByLine = new BoundedMemo<string, Set<string>>(256);

function accepted(accept: string | string[] | undefined): Set<string> {
  if (typeof accept !== 'string') return acceptedTypes(accept);
  let types = acceptedByLine.get(accept);
  if (!types) acceptedByLine.set(accept, (types = acceptedTypes(accept)));
  return types;
}

function withAuth(res: ApiResponse, user: string | undefined): ApiResponse {
  return user === undefined ? res : { ...res, user };
}

function manifest(ctx: RegistryContext, req: RegistryRequest, repository: string, reference: string, user: string | undefined): ApiResponse {
  const repo = ctx.content.get(repository);
  const byDigest = DIGEST.test(reference) && reference.includes(':');
  // The image stream is looked up first; its absence is not ErrTagUnknown, so distribution answers 500.
  if (ctx.openshift && !repo && !byDigest) return error('UNKNOWN', { code: 'NAME_UNKNOWN', message: text('registry.name-unknown'), detail: { name: repository } });
  const digest = byDigest ? reference : repo?.tags.get(reference);
  const m = digest === undefined ? undefined : repo?.manifests.get(digest);
  if (!m) return error('MANIFEST_UNKNOWN', byDigest ? { Name: repository, Revision: reference } : { Tag: reference });
  const types = accepted(req.accept);
  if (m.mediaType === MediaType.ociIndex && !types.has(MediaType.ociIndex)) return error('MANIFEST_UNKNOWN', undefined, {}, 'registry.oci-index-not-accepted');
  if (m.mediaType === MediaType.ociManifest && !types.has(MediaType.ociManifest)) return error('MANIFEST_UNKNOWN', undefined, {}, 'registry.oci-manifest-not-accepted');
  return withAuth(manifestFound(m), user);
}

/** Content never changes once served, so each manifest's and blob's 200 answer is built once. */
const manifestAnswers = new WeakMap<Manifest, ApiResponse>();

function manifestFound(m: Manifest): ApiResponse {
  let res = manifestAnswers.get(m);
  if (!res) {
    res = frozen({ status: 200, headers: { ...API_VERSION, 'content-type': m.mediaType, 'docker-content-digest': m.digest, etag: `"${m.digest}"` }, body: m.bytes });
    manifestAnswers.set(m, res);
  }
  return res;
}

function corrupted(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i += 97) out[i] = out[i]! ^ 0xff;
  return out;
}

/** By the stored bytes, and apart for `corruptBlob` registries, which send other bytes for them. */
const blobAnswers = new WeakMap<Buffer, ApiResponse>();
const corruptBlobAnswers = new WeakMap<Buffer, ApiResponse>();

function blobFound(bytes: Buffer, digest: string, corrupt: boolean): ApiResponse {
  const answers = corrupt ? corruptBlobAnswers : blobAnswers;
  let res = answers.get(bytes);
  // A blob's bytes are stored under their digest; the check keeps a Buffer someone stored twice honest.
  if (!res || res.headers['docker-content-digest'] !== digest) {
    res = frozen({
      status: 200,
      headers: {
        ...API_VERSION,
        'content-type': 'application/octet-stream',
        'docker-content-digest': digest,
        etag: `"${digest}"`,
        'accept-ranges': 'bytes',
        'cache-control': 'max-age=31536000',
      },
      body: corrupt ? corrupted(bytes) : bytes,
    });
    answers.set(bytes, res);
  }
  return res;
}

function blob(ctx: RegistryContext, repository: string, digest: string, user: string | undefined): ApiResponse {
  const bytes = ctx.content.get(repository)?.blobs.get(digest);
  if (!bytes) return error('BLOB_UNKNOWN', digest);
  return withAuth(blobFound(bytes, digest, ctx.corruptBlob), user);
}

function tags(ctx: RegistryContext, repository: string, user: string | undefined): ApiResponse {
  const repo = ctx.content.get(repository);
  if (!repo || repo.tags.size === 0) return error('NAME_UNKNOWN', { name: repository });
  return withAuth(json(200, { name: repository, tags: [...repo.tags.keys()].sort() }), user);
}

type Route = { kind: 'base' } | { kind: 'manifests' | 'blobs'; repository: string; reference: string } | { kind: 'tags'; repository: string };

const TAGS_PATH = /^\/v2\/(.+)\/tags\/list$/;
const OBJECT_PATH = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/;

function parseRoute(path: string): Route | null {
  if (path === '/v2/' || path === '/v2') return { kind: 'base' };
  let m = TAGS_PATH.exec(path);
  if (m && NAME.test(m[1]!)) return { kind: 'tags', repository: m[1]! };
  m = OBJECT_PATH.exec(path);
  if (!m || !NAME.test(m[1]!)) return null;
  const reference = decodeURIComponent(m[3]!);
  if (m[2] === 'blobs' ? !DIGEST.test(reference) : !DIGEST.test(reference) && !TAG.test(reference)) return null;
  return { kind: m[2] as 'manifests' | 'blobs', repository: m[1]!, reference };
}

/** Clients ask for the same few paths again and again: each path's route is matched once. */
const routes = new BoundedMemo<string, Route | null>(4096);

function route(path: string): Route | null {
  let r = routes.get(path);
  if (r === undefined) routes.set(path, (r = parseRoute(path)));
  return r;
}

/** The registry's answer; undefined when the path is not part of the API (the caller may serve a token endpoint there). */
export function registryResponse(ctx: RegistryContext, req: RegistryRequest): ApiResponse | undefined {
  if (ctx.openshift && req.path === TOKEN_PATH && req.method === 'GET') return openShiftToken(req.authorization);
  const r = route(req.path);
  if (!r) return undefined;
  const repository = r.kind === 'base' ? undefined : r.repository;
  const auth = ctx.openshift ? authorizeOpenShift(ctx.openshift, req, repository) : authorize(ctx, req, repository);
  if ('status' in auth) return auth as ApiResponse;
  if (req.method !== 'GET' && req.method !== 'HEAD') return error('UNSUPPORTED');
  switch (r.kind) {
    case 'base':
      return withAuth(BASE_OK, auth.user);
    case 'manifests':
      return manifest(ctx, req, r.repository, r.reference, auth.user);
    case 'blobs':
      return blob(ctx, r.repository, r.reference, auth.user);
    case 'tags':
      return tags(ctx, r.repository, auth.user);
  }
}
