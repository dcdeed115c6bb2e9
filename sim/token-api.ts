/**
 * The fake token server (docker token auth): `GET <realm>?service=…&scope=repository:<name>:pull`
 * with optional Basic credentials. It grants pull on the requested repositories the account (or
 * anonymous) may pull, and rejects wrong credentials as the lab's token server did.
 */
import { text } from '../src/errors/index.js';
import type { AuthSpec } from '../src/scenario/types.js';
import { checkPassword, mayPull, parseAuthorization, requestedPulls, type TokenStore } from './auth.js';
import type { ApiResponse } from './registry-api.js';

export interface TokenService {
  /** The registry this service names (for its access log). */
  handle: string;
  auth: AuthSpec;
}

/** One token endpoint: its path, and the registries (by `service`) it issues tokens for. */
export interface TokenRoute {
  path: string;
  services: Map<string, TokenService>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TOKEN_LIFETIME_S = 300;

function unauthorized(): ApiResponse {
  const body = { errors: [{ code: 'UNAUTHORIZED', message: text('registry.invalid-credentials') }] };
  return { status: 401, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(`${JSON.stringify(body)}\n`) };
}

export function tokenResponse(route: TokenRoute, tokens: TokenStore, query: URLSearchParams, authorization: string | undefined): ApiResponse & { handle?: string } {
  const service = query.get('service') ?? '';
  const target = route.services.get(service) ?? (route.services.size === 1 ? [...route.services.values()][0] : undefined);
  const handle = target?.handle;
  const presented = parseAuthorization(authorization);
  let user: string | undefined;
  if (presented.scheme === 'basic') {
    if (!target || !checkPassword(target.auth, presented.user, presented.password)) return { ...unauthorized(), handle };
    user = presented.user;
  }
  const granted = target ? requestedPulls(query.getAll('scope')).filter((r) => mayPull(target.auth, user, r)) : [];
  const token = tokens.issue({ service, account: user, repositories: new Set(granted) });
  const body = { token, access_token: token, expires_in: TOKEN_LIFETIME_S, issued_at: new Date().toISOString() };
  const res: ApiResponse & { handle?: string } = { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(body)), handle };
  if (user !== undefined) res.user = user;
  return res;
}
