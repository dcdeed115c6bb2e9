import { describe, expect, it } from 'vitest';
import { errorForStatus } from '../../sim/distribution-errors.js';
import { startLab } from '../../sim/lab.js';
import { basic, get, scenario } from './helpers.js';

describe('labs running side by side share nothing', () => {
  const s = scenario({
    cas: { lab: {} },
    registries: { reg: { host: 'reg.lab.test:5000', auth: { type: 'bearer', users: { alice: 'pw' } }, images: { 'lab/app:v1': { options: {}, sign: [] } } } },
  });
  it('a token, a CA and access logs belong to one lab', async () => {
    const [a, b] = await Promise.all([startLab(s), startLab(s)]);
    try {
      expect(a.dialer.dial('reg.lab.test', 5000)).not.toEqual(b.dialer.dial('reg.lab.test', 5000));
      expect(a.caPems.lab).not.toBe(b.caPems.lab);
      const t = await get(a, 'http://reg.lab.test:5000/token?scope=repository:lab/app:pull&service=reg.lab.test:5000', { headers: { authorization: basic('alice', 'pw') } });
      const token = JSON.parse(t.body.toString()).token;
      const auth = { authorization: `Bearer ${token}` };
      expect((await get(a, 'http://reg.lab.test:5000/v2/lab/app/tags/list', { headers: auth })).status).toBe(200);
      expect((await get(b, 'http://reg.lab.test:5000/v2/lab/app/tags/list', { headers: auth })).status).toBe(401);
      expect(a.accessLog('reg')).toHaveLength(2);
      expect(b.accessLog('reg')).toHaveLength(1);
      expect(a.digests).toEqual(b.digests);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('status faults answer with the distribution code for that status', () => {
  it.each([
    [401, 'UNAUTHORIZED', 'authentication required'],
    [403, 'DENIED', 'requested access to the resource is denied'],
    [404, 'NAME_UNKNOWN', 'repository name not known to registry'],
    [405, 'UNSUPPORTED', 'The operation is unsupported.'],
    [429, 'TOOMANYREQUESTS', 'too many requests'],
    [500, 'UNKNOWN', 'unknown error'],
    [502, 'UNKNOWN', 'unknown error'],
    [503, 'UNAVAILABLE', 'service unavailable'],
  ])('%d → %s', (status, code, message) => {
    const e = errorForStatus(status);
    expect(e.status).toBe(status);
    expect(JSON.parse(e.body.toString())).toEqual({ errors: [{ code, message }] });
  });
});
