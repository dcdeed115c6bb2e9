/** A small distribution-like registry and token server for client tests, answering as distribution 2.8 does. */
import { createHash } from 'node:crypto';
import type http from 'node:http';

export interface FakeImage {
  bytes: Buffer;
  mediaType: string;
}

export interface FakeRegistryOptions {
  manifests?: Record<string, FakeImage>; // "repo:tag" or "repo@digest"
  blobs?: Record<string, Buffer>;
  auth?: { type: 'basic'; users: Record<string, string> } | { type: 'bearer'; realm: string; service: string; validTokens: Record<string, string[]> };
  /** Overrides per path (before anything else). */
  override?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

export const digestOf = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function fakeRegistry(o: FakeRegistryOptions) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (o.override?.(req, res)) return;
    const url = req.url!;
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url);
    const repo = m?.[1] ?? '';
    const access = [{ Type: 'repository', Class: '', Name: repo, Action: 'pull' }];
    if (o.auth?.type === 'basic') {
      const h = req.headers.authorization ?? '';
      const [u, p] = Buffer.from(h.replace(/^Basic /, ''), 'base64').toString().split(':');
      if (!h.startsWith('Basic ') || o.auth.users[u] !== p || !u) {
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: url === '/v2/' ? null : access }] }, {
          'WWW-Authenticate': 'Basic realm="Registry Realm"',
        });
      }
    }
    if (o.auth?.type === 'bearer') {
      const tok = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const grants = o.auth.validTokens[tok];
      const challenge = `Bearer realm="${o.auth.realm}",service="${o.auth.service}"`;
      if (!grants) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }, { 'WWW-Authenticate': challenge });
      if (m && !grants.includes(repo)) {
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: access }] }, {
          'WWW-Authenticate': `${challenge},scope="repository:${repo}:pull",error="insufficient_scope"`,
        });
      }
    }
    if (url === '/v2/') return json(res, 200, {});
    if (!m) return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    if (m[2] === 'manifests') {
      const key = m[3].startsWith('sha256:') ? `${repo}@${m[3]}` : `${repo}:${m[3]}`;
      const img = o.manifests?.[key];
      if (!img) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: m[3] } }] });
      res.writeHead(200, { 'Content-Type': img.mediaType, 'Docker-Content-Digest': digestOf(img.bytes) });
      return res.end(img.bytes);
    }
    const blob = o.blobs?.[`${repo}@${m[3]}`];
    if (!blob) return json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: m[3] }] });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(blob);
  };
}

/** A token server: users → password; grants: user ('' = anonymous) → repositories it may pull. */
export function fakeTokenServer(users: Record<string, string>, grants: Record<string, string[]>, issued: Record<string, string[]>) {
  let n = 0;
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const h = req.headers.authorization;
    let user = '';
    if (h) {
      const [u, p] = Buffer.from(h.replace(/^Basic /, ''), 'base64').toString().split(':');
      if (users[u] !== p) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username/password' }] });
      user = u;
    }
    const scopes = new URL(req.url!, 'http://x').searchParams.getAll('scope');
    const repos = scopes.map((s) => s.split(':')[1]).filter((r) => (grants[user] ?? []).includes(r));
    const token = `tok${++n}`;
    issued[token] = repos;
    json(res, 200, { token, expires_in: 300 });
  };
}
