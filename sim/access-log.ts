/**
 * What a fake server saw, as a registry's access log shows it: never a credential. Query strings
 * keep only the token request parameters that name what was asked (scope, service, account).
 */
export type AuthScheme = 'none' | 'basic' | 'bearer' | 'other';

export interface AccessEntry {
  /** 'token' for requests to a token endpoint. */
  server: 'registry' | 'token';
  method: string;
  path: string;
  status: number;
  auth: AuthScheme;
  /** The account the request authenticated as (basic user, or the account a bearer token was issued to). */
  user?: string;
  /** The connection was reset mid-response (`reset` fault). */
  reset?: true;
}

const SHOWN_PARAMS = new Set(['scope', 'service', 'account']);

export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = new URLSearchParams();
  for (const [k, v] of params) kept.append(k, SHOWN_PARAMS.has(k) ? v : 'REDACTED');
  const rest = kept.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}

export function authScheme(header: string | undefined): AuthScheme {
  if (!header) return 'none';
  const scheme = header.split(' ', 1)[0]!.toLowerCase();
  return scheme === 'basic' || scheme === 'bearer' ? scheme : 'other';
}
