import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../sim/clock.js';
import { startLab, type Lab } from '../../sim/lab.js';
import { ACCEPT_ALL, get, scenario } from './helpers.js';

const img = (image: string) => ({ image, options: {}, sign: [] });
const clock = new ManualClock();
const s = scenario({
  images: { app: {} },
  hosts: { 'nothing.lab.test': '127.0.0.40' },
  registries: {
    down: { host: 'down.lab.test:5000', ip: '127.0.0.23', faults: { down: true }, images: { 'lab/app:v1': img('app') } },
    s503: { host: 's503.lab.test', faults: { status: 503 } },
    s429: { host: 's429.lab.test', faults: { status: 429 } },
    s418: { host: 's418.lab.test', faults: { status: 418 } },
    slow: { host: 'slow.lab.test', faults: { delayMs: 1500 }, images: { 'lab/app:v1': img('app') } },
    reset: { host: 'reset.lab.test', faults: { reset: true }, images: { 'lab/app:v1': img('app') } },
    corrupt: { host: 'corrupt.lab.test', faults: { corruptBlob: true }, images: { 'lab/app:v1': img('app') } },
  },
});

let lab: Lab;
beforeAll(async () => void (lab = await startLab(s, { clock })));
afterAll(() => lab.close());

describe('down: nothing listens', () => {
  it.each([
    ['down.lab.test', 5000, { ok: false, error: 'refused', ip: '127.0.0.23', port: 5000 }],
    ['nothing.lab.test', 443, { ok: false, error: 'refused', ip: '127.0.0.40', port: 443 }],
  ])('%s:%d', (host, port, result) => expect(lab.dialer.dial(host, port)).toEqual(result));
  it('is still the registry at that address', () => expect(lab.registryAt('down.lab.test', 5000)).toBe('down'));
});

describe('status: every request answers N', () => {
  it.each([
    ['s503', 503, 'UNAVAILABLE', 'service unavailable'],
    ['s429', 429, 'TOOMANYREQUESTS', 'too many requests'],
    ['s418', 418, 'UNKNOWN', 'unknown error'],
  ])('%s', async (handle, status, code, message) => {
    for (const path of ['/v2/', '/v2/lab/app/manifests/v1']) {
      const r = await get(lab, `http://${handle}.lab.test${path}`);
      expect(r.status).toBe(status);
      expect(JSON.parse(r.body.toString())).toEqual({ errors: [{ code, message }] });
    }
  });
});

describe('delayMs: the answer waits for the clock', () => {
  it('answers only once the clock has moved past the delay', async () => {
    let done = false;
    const pending = get(lab, 'http://slow.lab.test/v2/').then((r) => ((done = true), r));
    await expect.poll(() => clock.pending).toBe(1);
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    clock.advance(500);
    expect((await pending).status).toBe(200);
  });
});

describe('reset: the connection dies mid-response', () => {
  it.each(['/v2/', '/v2/lab/app/manifests/v1'])('%s', async (path) => {
    await expect(get(lab, `http://reset.lab.test${path}`, { headers: { accept: ACCEPT_ALL } })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/) });
    expect(lab.accessLog('reset').at(-1)).toMatchObject({ path, reset: true });
  });
});

describe('corruptBlob: blob bytes do not match the digest', () => {
  it('GET returns same-size bytes with another digest; manifests are intact', async () => {
    const m = await get(lab, 'http://corrupt.lab.test/v2/lab/app/manifests/v1', { headers: { accept: ACCEPT_ALL } });
    expect(m.headers['docker-content-digest']).toBe(lab.digests.app);
    const layer = JSON.parse(m.body.toString()).layers[0];
    const b = await get(lab, `http://corrupt.lab.test/v2/lab/app/blobs/${layer.digest}`);
    expect(b.status).toBe(200);
    expect(b.body.length).toBe(layer.size);
    expect(`sha256:${createHash('sha256').update(b.body).digest('hex')}`).not.toBe(layer.digest);
  });
});
