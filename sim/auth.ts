/**
 * Who may pull what from a fake registry, and the bearer tokens its token server issues. Pure
 * decisions over the scenario's `auth:`; the servers turn them into challenges and status codes.
 */
import { randomBytes } from 'node:crypto';
import type { AuthSpec } from '../src/scenario/types.js';
import { BoundedMemo } from './bounded-memo.js';

export type Presented =
  | { scheme: 'none' }
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'other' };

export function parseAuthorization(header: string | undefined): Presented {
  if (!header) return { scheme: 'none' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return { scheme: 'bearer', token: value };
  if (scheme !== 'basic') return { scheme: 'other' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme: 'basic', user: decoded, password: '' };
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Patterns come from scenarios, a handful per lab: each is compiled once, on first use. */
const patternRegExps = new BoundedMemo<string, RegExp>(1024);

/** `*` matches any run of characters, `/` included: "team-a/*" covers every repository under team-a. */
export function matchesPattern(pattern: string, repository: string): boolean {
  let re = patternRegExps.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    patternRegExps.set(pattern, re);
  }
  return re.test(repository);
}

export function checkPassword(auth: AuthSpec, user: string, password: string): boolean {
  return Object.hasOwn(auth.users, user) && auth.users[user] === password;
}

/**
 * May `user` (undefined: anonymous) pull `repository`? Anonymous patterns are open to all; `access`
 * restricts the repositories its patterns cover to the users listed; any other repository is open
 * to every authenticated user.
 */
export function mayPull(auth: AuthSpec, user: string | undefined, repository: string): boolean {
  if ((auth.anonymous ?? []).some((p) => matchesPattern(p, repository))) return true;
  if (user === undefined) return false;
  const rules = Object.entries(auth.access ?? {}).filter(([p]) => matchesPattern(p, repository));
  return rules.length === 0 || rules.some(([, users]) => users.includes(user));
}

export interface Grant {
  service: string;
  account?: string;
  repositories: ReadonlySet<string>;
}

/** Repositories a token request's `scope` parameters ask pull access for. */
export function requestedPulls(scopes: string[]): string[] {
  const out: string[] = [];
  for (const scope of scopes) {
    for (const one of scope.split(' ')) {
      const m = /^repository:(.+):([a-z*,]+)$/.exec(one);
      if (m && m[2]!.split(',').some((a) => a === 'pull' || a === '*')) out.push(m[1]!);
    }
  }
  return out;
}

const TOKEN_BYTES = 24;
/** Random bytes for this many tokens are drawn at once: a draw per token was a quarter of a token request's cost. */
const TOKENS_PER_DRAW = 256;

/** Opaque tokens held in memory, one store per lab. */
/** Tokens a server remembers: a client uses its token right away, and a long `serve` stays flat. */
export const TOKEN_GRANTS_KEPT = 10_000;

export class TokenStore {
  private readonly grants = new Map<string, Grant>();
  private random = Buffer.alloc(0);
  private used = 0;

  issue(grant: Grant): string {
    if (this.used + TOKEN_BYTES > this.random.length) {
      this.random = randomBytes(TOKEN_BYTES * TOKENS_PER_DRAW);
      this.used = 0;
    }
    const token = this.random.toString('base64url', this.used, (this.used += TOKEN_BYTES));
    if (this.grants.size >= TOKEN_GRANTS_KEPT) this.grants.delete(this.grants.keys().next().value!);
    this.grants.set(token, grant);
    return token;
  }

  lookup(token: string): Grant | undefined {
    return this.grants.get(token);
  }
}
