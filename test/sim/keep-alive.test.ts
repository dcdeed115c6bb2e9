import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import type { Dialer } from '../../src/pull/dialer.js';
import { parseUrl, Transport } from '../../src/pull/transport.js';
import { ACCEPT_ALL, scenario } from './helpers.js';

const s = scenario({
  cas: { lab: {} },
  images: { app: {} },
  registries: {
    secure: { host: 'secure.lab.test', tls: { ca: 'lab' }, images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] } } },
    plain: { host: 'plain.lab.test:5000', tls: false, images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] } } },
  },
});
let lab: Lab;
beforeAll(async () => void (lab = await startLab(s)));
afterAll(() => lab.close());

/** The lab's dialer, counting dials: one per connection the client opens. */
function counting(): { dialer: Dialer; dials: () => number } {
  let n = 0;
  return { dialer: { dial: (h, p) => (n++, lab.dialer.dial(h, p)) }, dials: () => n };
}

describe('fake registries keep connections alive, as Go’s server does', () => {
  it.each([
    ['HTTPS', 'https://secure.lab.test'],
    ['HTTP', 'http://plain.lab.test:5000'],
  ])('%s: ping, manifest and 404 on one connection', async (_n, base) => {
    const { dialer, dials } = counting();
    const t = new Transport({ dialer, tls: { insecureSkipVerify: false, cas: [lab.caPems.lab!], clientCerts: [] } });
    const statuses: number[] = [];
    for (const path of ['/v2/', '/v2/lab/app/manifests/v1', '/v2/lab/nope/manifests/v1', '/v2/']) {
      statuses.push((await t.get(parseUrl(base + path)!, [['Accept', ACCEPT_ALL]])).statusCode);
    }
    expect(statuses).toEqual([200, 200, 404, 200]);
    expect(dials()).toBe(1);
    expect(lab.accessLog(base.includes('secure') ? 'secure' : 'plain').map((e) => e.status)).toEqual(expect.arrayContaining([200, 404]));
  });
});
