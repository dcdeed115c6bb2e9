import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { basic, scenario } from './helpers.js';

const app = { image: 'app', options: {}, sign: [] };
const s = scenario({
  cas: { lab: {} },
  images: { app: {}, multi: { platforms: ['linux/amd64', 'linux/arm64'] } },
  registries: {
    plain: { host: 'plain.lab.test:5000', images: { 'lab/app:v1': app, 'lab/multi:v1': { image: 'multi', options: {}, sign: [] } } },
    secure: {
      host: 'secure.lab.test',
      tls: { ca: 'lab' },
      images: { 'lab/app:v1': app },
      auth: { type: 'basic', users: { alice: 'pw' }, anonymous: ['open/*'] },
    },
  },
});
let lab: Lab;
beforeAll(async () => void (lab = await startLab(s)));
afterAll(() => lab.close());

/** One request on its own connection; the answer as sent, its Date value masked, read until the server closes. */
function exchange(host: string, port: number, request: string): Promise<string> {
  const d = lab.dialer.dial(host, port);
  if (!d.ok) throw new Error('dial failed');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c =
      port === 443
        ? tls.connect({ host: d.address, port: d.port, servername: host, ca: lab.caPems.lab }, () => c.write(request))
        : net.connect({ host: d.address, port: d.port }, () => c.write(request));
    c.on('data', (b) => chunks.push(b));
    c.on('end', () => resolve(Buffer.concat(chunks).toString('latin1').replace(/\r\nDate: [^\r]*/g, '\r\nDate: -')));
    c.on('error', reject);
  });
}

const V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const REQUESTS: Array<[string, number, string, string, Record<string, string>]> = [
  ['plain.lab.test', 5000, 'GET', '/v2/', {}],
  ['plain.lab.test', 5000, 'GET', '/v2/lab/app/manifests/v1', { accept: V2 }],
  ['plain.lab.test', 5000, 'HEAD', '/v2/lab/app/manifests/v1', { accept: V2 }],
  ['plain.lab.test', 5000, 'GET', '/v2/lab/multi/manifests/v1', { accept: V2 }],
  ['plain.lab.test', 5000, 'GET', '/v2/lab/app/manifests/nope', { accept: V2 }],
  ['plain.lab.test', 5000, 'GET', '/v2/lab/app/tags/list', {}],
  ['plain.lab.test', 5000, 'GET', '/elsewhere', {}],
  ['secure.lab.test', 443, 'GET', '/v2/', {}],
  ['secure.lab.test', 443, 'GET', '/v2/lab/app/manifests/v1', { accept: V2, authorization: basic('alice', 'pw') }],
  ['secure.lab.test', 443, 'HEAD', '/v2/lab/app/manifests/v1', { accept: V2, authorization: basic('alice', 'wrong') }],
  ['secure.lab.test', 443, 'GET', '/v2/open/x/manifests/v1', {}],
];

function request(host: string, port: number, method: string, path: string, headers: Record<string, string>): string {
  const lines = Object.entries({ host, ...headers, connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

describe('plain GET and HEAD requests, answered before fastify routes them, are sent as fastify sends them', () => {
  // A request with an (empty) body goes through fastify's route; the same request without one does not.
  it.each(REQUESTS)('%s:%d %s %s', async (host, port, method, path, headers) => {
    const viaFastify = await exchange(host, port, request(host, port, method, path, { ...headers, 'content-length': '0' }));
    const direct = await exchange(host, port, request(host, port, method, path, headers));
    expect(direct).toBe(viaFastify);
  });

  it.each([
    ['plain.lab.test', 5000, 'timeout=72'],
    ['secure.lab.test', 443, 'timeout=5'],
  ])('%s keeps connections alive as before (%s)', async (host, port, keepAlive) => {
    const text = await exchange(host, port, `GET /v2/ HTTP/1.1\r\nhost: ${host}\r\n\r\n` + `GET /v2/ HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`);
    expect(text.split('HTTP/1.1 ').length - 1).toBe(2);
    expect(text).toContain(`Connection: keep-alive\r\nKeep-Alive: ${keepAlive}\r\n`);
  });

  it('both paths log each request once, in order, when its answer is sent', async () => {
    const before = lab.accessLog('plain').length;
    await exchange('plain.lab.test', 5000, request('plain.lab.test', 5000, 'GET', '/v2/lab/app/manifests/v1?x=1', { accept: V2 }));
    await exchange('plain.lab.test', 5000, request('plain.lab.test', 5000, 'HEAD', '/v2/lab/app/manifests/v1', { 'content-length': '0' }));
    expect(lab.accessLog('plain').slice(before)).toEqual([
      { server: 'registry', method: 'GET', path: '/v2/lab/app/manifests/v1?x=REDACTED', status: 200, auth: 'none' },
      { server: 'registry', method: 'HEAD', path: '/v2/lab/app/manifests/v1', status: 200, auth: 'none' },
    ]);
  });
});
