import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { ACCEPT_ALL, get, scenario } from './helpers.js';

function raw(lab: Lab, host: string, port: number, bytes: string): Promise<string> {
  const d = lab.dialer.dial(host, port);
  if (!d.ok) throw new Error('dial failed');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const c = net.connect({ host: d.address, port: d.port }, () => c.write(bytes));
    c.on('data', (b) => chunks.push(b));
    c.on('close', () => resolve(Buffer.concat(chunks).toString()));
    c.on('error', () => undefined);
  });
}

const s = scenario({
  cas: { lab: {} },
  images: { app: {} },
  registries: {
    harbor: { host: 'harbor.lab.test', tls: {}, images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] } } },
    resetting: { host: 'reset.lab.test', tls: {}, faults: { reset: true } },
  },
});
let lab: Lab;
beforeAll(async () => void (lab = await startLab(s)));
afterAll(() => lab.close());

describe('an HTTPS registry speaks only HTTPS, as Go’s server does', () => {
  it('plain HTTP gets Go’s 400 answer', async () => {
    expect(await raw(lab, 'harbor.lab.test', 443, 'GET /v2/ HTTP/1.1\r\nHost: harbor.lab.test\r\n\r\n')).toBe(
      'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n',
    );
  });
  it('other bytes are dropped', async () => {
    expect(await raw(lab, 'harbor.lab.test', 443, 'hello there\r\n')).toBe('');
  });
  it('TLS clients are served, repeatedly', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await get(lab, 'https://harbor.lab.test/v2/lab/app/manifests/v1', { ca: lab.caPems.lab, headers: { accept: ACCEPT_ALL } });
      expect(r.headers['docker-content-digest']).toBe(lab.digests.app);
    }
  });
  it('reset works over TLS too', async () => {
    await expect(get(lab, 'https://reset.lab.test/v2/', { ca: lab.caPems.lab })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/) });
  });
});
