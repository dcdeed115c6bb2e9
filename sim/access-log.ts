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

/**
 * A registry's access log, keeping the newest `limit` entries: a long-running `pullsim serve`
 * stays flat in memory, while a scenario's few hundred requests are all still there.
 */
export const ACCESS_LOG_LIMIT = 10_000;

export class AccessLog {
  private readonly ring: AccessEntry[] = [];
  private next = 0;
  /** Entries pushed out of the ring so far. */
  dropped = 0;

  constructor(readonly limit = ACCESS_LOG_LIMIT) {}

  push(entry: AccessEntry): void {
    if (this.ring.length < this.limit) {
      this.ring.push(entry);
      return;
    }
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
    this.dropped++;
  }

  /** Oldest first. */
  entries(): AccessEntry[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
