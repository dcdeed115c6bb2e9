/**
 * REST.Create's retry without credentials: Docker Hub answers a wrong password at its token
 * endpoint with "incorrect username or password", which fails even public images; the importer
 * then imports again anonymously, and keeps the first message when that fails too. No fake
 * registry words a refusal that way, so a small Hub-like server stands in (plain HTTP, loopback).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTag } from '../../src/openshift/import/importer.js';
import { MemoryFS } from '../../src/node-fs.js';

const CONFIG = Buffer.from('{}');
const CONFIG_DIGEST = `sha256:${createHash('sha256').update(CONFIG).digest('hex')}`;
const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: CONFIG_DIGEST }, layers: [] }));

let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
    if (url.startsWith('/token')) {
      if (req.headers.authorization?.startsWith('Basic ')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}\n');
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"anonymous-token"}');
      return;
    }
    const challenge = { 'www-authenticate': `Bearer realm="http://hub.example.com:${port}/token",service="registry"`, 'docker-distribution-api-version': 'registry/2.0' };
    if (url === '/v2/' || bearer !== 'anonymous-token' || url.startsWith('/v2/private/')) {
      res.writeHead(401, { ...challenge, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}\n');
    } else if (url.includes('/manifests/')) {
      res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' }).end(MANIFEST);
    } else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(CONFIG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function env() {
  return {
    net: { dialer: { dial: (_h: string, p: number) => (p === port ? { ok: true as const, address: '127.0.0.1', port, ip: '127.0.0.1' } : { ok: false as const, error: 'refused' as const, ip: '127.0.0.1', port: p }) }, registryAt: () => 'hub' },
    config: { registries: [], allowedForImport: [], trustedCas: [] },
    secrets: [{ description: 'Secret p/hub', kind: 'dockerconfigjson' as const, text: JSON.stringify({ auths: { [`hub.example.com:${port}`]: { username: 'me', password: 'wrong' } } }) }],
    controlPlane: new MemoryFS({}),
    legacy: false,
  };
}

describe('a wrong password: the import is retried without credentials', () => {
  it('a public image imports on the anonymous retry', async () => {
    const r = await importTag(env(), { from: `hub.example.com:${port}/library/app:latest`, insecure: true, importMode: 'Legacy' });
    expect(r.ok).toBe(true);
    expect(r.attempts.map((a) => [a.result, a.credential])).toEqual([
      ['failed', `user me from Secret p/hub key hub.example.com:${port}`],
      ['pulled', null],
    ]);
  });

  it('a private image keeps the first answer: incorrect username or password', async () => {
    const r = await importTag(env(), { from: `hub.example.com:${port}/private/app:latest`, insecure: true, importMode: 'Legacy' });
    expect(r.ok ? undefined : r.status).toEqual({ reason: 'Unauthorized', message: `incorrect username or password for image "hub.example.com:${port}/private/app:latest"` });
    expect(r.attempts).toHaveLength(2);
  });
});
