/**
 * containerd's docker authorizer (remotes/docker/authorizer.go, remotes/docker/auth/fetch.go):
 * per host, a 401's challenge installs a handler — Basic when credentials exist, Bearer always
 * (anonymous token without credentials) — and every later request of that host carries it.
 * A Bearer challenge that names an error on a repeated request is "authorization failed".
 * Token requests use GET (the OAuth POST containerd tries first with credentials falls back to
 * GET on 400/401/404/405, the answers a registry without that endpoint gives).
 */
import { RuntimeError, StackError, text, TransportError, wrap } from '../../errors/index.js';
import { parseUrl, urlString, type Headers, type HttpResponse, type Transport } from '../../pull/transport.js';
import { parseChallenges } from '../../pull/www-authenticate.js';
import type { Credential } from '../../system-context.js';
import type { ContainerdWording } from './wording.js';

interface Handler {
  scheme: 'basic' | 'bearer';
  credential?: Credential;
  realm?: string;
  service?: string;
  /** Bearer tokens by scope. */
  tokens: Map<string, string>;
}

export interface AuthorizerOptions {
  /** The credential for a host, as the CRI plugin's Credentials func returns it (ParseAuth). */
  credentials: (host: string) => Credential | undefined;
  wording: ContainerdWording;
  onCredential?: (host: string, c: Credential | undefined) => void;
}

export class ErrInvalidAuthorization extends RuntimeError {}

export class Authorizer {
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly opts: AuthorizerOptions) {}

  /**
   * AddResponses: true when a handler now exists for the host (the request is retried), false
   * when no scheme is supported (the 401 is returned as is). Throws ErrInvalidAuthorization.
   */
  addResponse(host: string, res: HttpResponse, sameAsPrevious: boolean): boolean {
    for (const c of parseChallenges(res.headers.get('www-authenticate'))) {
      if (c.scheme === 'bearer') {
        const error = c.parameters.get('error');
        if (error && sameAsPrevious) {
          this.handlers.delete(host);
          const inner = new ErrInvalidAuthorization('containerd.invalid-authorization', text('containerd.invalid-authorization'));
          throw new ErrInvalidAuthorization('containerd.server-message', text('containerd.server-message', error, inner.message), inner);
        }
        if (this.handlers.has(host)) return true;
        const credential = this.opts.credentials(host);
        this.opts.onCredential?.(host, credential);
        this.handlers.set(host, { scheme: 'bearer', credential, realm: c.parameters.get('realm'), service: c.parameters.get('service'), tokens: new Map() });
        return true;
      }
      if (c.scheme === 'basic') {
        const credential = this.opts.credentials(host);
        this.opts.onCredential?.(host, credential);
        if (credential && credential.username !== '' && credential.password !== '') {
          this.handlers.set(host, { scheme: 'basic', credential, tokens: new Map() });
          return true;
        }
      }
    }
    return false;
  }

  /** The Authorization header for a request to host, fetching a token when needed ("failed to authorize: …" on failure). */
  async authorize(host: string, scope: string, transport: Transport): Promise<Headers> {
    const h = this.handlers.get(host);
    if (!h) return [];
    if (h.scheme === 'basic') return [['Authorization', basicHeader(h.credential!)]];
    let token = h.tokens.get(scope);
    if (token === undefined) {
      try {
        token = await this.fetchToken(h, scope, transport);
      } catch (e) {
        if (!(e instanceof StackError)) throw e;
        throw wrap(RuntimeError, 'containerd.authorize', e);
      }
      h.tokens.set(scope, token);
    }
    return [['Authorization', `Bearer ${token}`]];
  }

  private async fetchToken(h: Handler, scope: string, transport: Transport): Promise<string> {
    const withSecret = !!h.credential && h.credential.password !== '';
    const outer = withSecret ? 'containerd.oauth-token' : 'containerd.anonymous-token';
    const base = parseUrl(h.realm ?? '');
    if (!base) throw new RuntimeError(outer, text(outer, 'no realm specified for token auth challenge'));
    const params = [`scope=${encodeURIComponent(scope)}`, ...(h.service ? [`service=${encodeURIComponent(h.service)}`] : [])].join('&');
    const url = { ...base, query: base.query ? `${base.query}&${params}` : params };
    const headers: Headers = withSecret ? [['Authorization', basicHeader(h.credential!)]] : [];
    let res: HttpResponse;
    try {
      res = await transport.get(url, headers);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      throw wrap(RuntimeError, outer, e);
    }
    if (res.statusCode < 200 || res.statusCode >= 400) {
      throw wrap(RuntimeError, outer, this.opts.wording.unexpectedStatus('GET', urlString(url), res.status));
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      body = {};
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    return token;
  }
}

function basicHeader(c: Credential): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
