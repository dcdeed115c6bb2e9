import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { matchesPattern, mayPull, parseAuthorization, requestedPulls, TokenStore } from '../../sim/auth.js';
import { ACCEPT_ALL, basic, get, scenario } from './helpers.js';

const img = (image: string) => ({ image, options: {}, sign: [] });

const s = scenario({
  cas: { lab: {} },
  images: { app: {} },
  registries: {
    private: {
      host: 'private.lab.test:5443',
      ip: '127.0.0.13',
      tls: { ca: 'lab', names: ['private.lab.test'], ips: [] },
      auth: { type: 'basic', users: { alice: 'wonderland', bob: 'builder' }, access: { 'team-a/*': ['alice'] }, anonymous: ['public/*'] },
      images: { 'team-a/app:v1': img('app'), 'public/app:v1': img('app') },
    },
    tokenreg: {
      host: 'tokenreg.lab.test:5443',
      ip: '127.0.0.15',
      tls: { ca: 'lab', names: ['tokenreg.lab.test'], ips: [] },
      auth: { type: 'bearer', realm: 'https://auth.lab.test:5559/token', users: { alice: 'wonderland' }, anonymous: ['public/*'] },
      images: { 'team-a/app:v1': img('app'), 'public/app:v1': img('app') },
    },
    selftoken: {
      host: 'self.lab.test:5000',
      auth: { type: 'bearer', users: { alice: 'wonderland' } },
      images: { 'lab/app:v1': img('app') },
    },
  },
});

let lab: Lab;
let ca: string;
beforeAll(async () => {
  lab = await startLab(s);
  ca = lab.caPems.lab!;
});
afterAll(() => lab.close());

const json = (b: Buffer) => JSON.parse(b.toString());

describe('basic auth', () => {
  const url = 'https://private.lab.test:5443';
  it.each([
    ['/v2/', undefined, 401],
    ['/v2/', basic('alice', 'wonderland'), 200],
    ['/v2/', basic('alice', 'wrong'), 401],
    ['/v2/team-a/app/manifests/v1', undefined, 401],
    ['/v2/team-a/app/manifests/v1', basic('alice', 'wrong'), 401],
    ['/v2/team-a/app/manifests/v1', basic('nobody', 'x'), 401],
    ['/v2/team-a/app/manifests/v1', basic('alice', 'wonderland'), 200],
    ['/v2/team-a/app/manifests/v1', basic('bob', 'builder'), 403],
    ['/v2/public/app/manifests/v1', undefined, 200],
    ['/v2/public/app/manifests/v1', basic('bob', 'builder'), 200],
  ])('%s with %s → %d', async (path, authorization, status) => {
    const r = await get(lab, `${url}${path}`, { ca, headers: { accept: ACCEPT_ALL, ...(authorization ? { authorization } : {}) } });
    expect(r.status).toBe(status);
    if (status === 401) {
      expect(r.headers['www-authenticate']).toBe('Basic realm="Registry Realm"');
      expect(json(r.body).errors[0]).toMatchObject({ code: 'UNAUTHORIZED', message: 'authentication required' });
    }
    if (status === 403) expect(json(r.body).errors[0]).toMatchObject({ code: 'DENIED', message: 'requested access to the resource is denied' });
  });
});

async function token(query: string, authorization?: string) {
  return get(lab, `https://auth.lab.test:5559/token?${query}`, { ca, headers: authorization ? { authorization } : {} });
}

describe('bearer auth with a token server on another host', () => {
  const url = 'https://tokenreg.lab.test:5443';
  const realm = 'Bearer realm="https://auth.lab.test:5559/token",service="tokenreg.lab.test:5443"';

  it('/v2/ challenges with realm and service', async () => {
    const r = await get(lab, `${url}/v2/`, { ca });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(realm);
    expect(json(r.body)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });
  });

  it('a protected request without a token names the scope', async () => {
    const r = await get(lab, `${url}/v2/team-a/app/manifests/v1`, { ca });
    expect(r.headers['www-authenticate']).toBe(`${realm},scope="repository:team-a/app:pull"`);
  });

  it.each([
    ['anonymous, private repo', 'team-a/app', undefined, 401, 'insufficient_scope'],
    ['anonymous, public repo', 'public/app', undefined, 200, undefined],
    ['alice, private repo', 'team-a/app', basic('alice', 'wonderland'), 200, undefined],
  ])('%s', async (_, repo, creds, status, err) => {
    const t = await token(`scope=repository:${repo}:pull&service=tokenreg.lab.test:5443${creds ? '&account=alice' : ''}`, creds);
    expect(t.status).toBe(200);
    const { token: tok, access_token, expires_in } = json(t.body);
    expect(access_token).toBe(tok);
    expect(expires_in).toBeGreaterThan(0);
    const r = await get(lab, `${url}/v2/${repo}/manifests/v1`, { ca, headers: { authorization: `Bearer ${tok}`, accept: ACCEPT_ALL } });
    expect(r.status).toBe(status);
    if (err) {
      expect(r.headers['www-authenticate']).toBe(`${realm},scope="repository:${repo}:pull",error="${err}"`);
      expect(json(r.body).errors).toEqual([{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository', Class: '', Name: repo, Action: 'pull' }] }]);
    }
  });

  it('wrong credentials: the token server answers 401 invalid username/password', async () => {
    const t = await token('scope=repository:public/app:pull&service=tokenreg.lab.test:5443&account=alice', basic('alice', 'not-the-password'));
    expect(t.status).toBe(401);
    expect(json(t.body)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username/password' }] });
  });

  it.each([
    ['garbage', 'invalid_token'],
  ])('a %s token is an invalid token', async (tok, err) => {
    const r = await get(lab, `${url}/v2/public/app/manifests/v1`, { ca, headers: { authorization: `Bearer ${tok}` } });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toContain(`error="${err}"`);
  });

  it('a token for one repository does not open another', async () => {
    const tok = json((await token('scope=repository:public/app:pull&service=tokenreg.lab.test:5443')).body).token;
    const r = await get(lab, `${url}/v2/team-a/app/manifests/v1`, { ca, headers: { authorization: `Bearer ${tok}` } });
    expect(r.status).toBe(401);
  });

  it('token requests are logged under the registry, without credentials', async () => {
    const entries = lab.accessLog('tokenreg').filter((e) => e.server === 'token');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.find((e) => e.auth === 'basic' && e.status === 200)).toMatchObject({ user: 'alice', path: expect.stringContaining('/token?scope=') });
  });
});

describe('bearer auth with the registry serving its own token endpoint', () => {
  it('realm defaults to the registry host, over its scheme', async () => {
    const r = await get(lab, 'http://self.lab.test:5000/v2/');
    expect(r.headers['www-authenticate']).toBe('Bearer realm="http://self.lab.test:5000/token",service="self.lab.test:5000"');
    const t = await get(lab, 'http://self.lab.test:5000/token?scope=repository:lab/app:pull&service=self.lab.test:5000', { headers: { authorization: basic('alice', 'wonderland') } });
    const ok = await get(lab, 'http://self.lab.test:5000/v2/lab/app/manifests/v1', { headers: { authorization: `Bearer ${json(t.body).token}`, accept: ACCEPT_ALL } });
    expect(ok.status).toBe(200);
    expect(ok.headers['docker-content-digest']).toBe(lab.digests.app);
  });
});

describe('credentials never reach the access log', () => {
  it('no password, token or base64 credential in any entry', async () => {
    const t = json((await token('scope=repository:team-a/app:pull&service=tokenreg.lab.test:5443', basic('alice', 'wonderland'))).body).token;
    await get(lab, 'https://tokenreg.lab.test:5443/v2/team-a/app/manifests/v1', { ca, headers: { authorization: `Bearer ${t}` } });
    await get(lab, 'https://private.lab.test:5443/v2/', { ca, headers: { authorization: basic('alice', 'wonderland') } });
    const all = JSON.stringify(['private', 'tokenreg', 'selftoken'].flatMap((h) => lab.accessLog(h)));
    for (const secret of ['wonderland', 'builder', 'not-the-password', Buffer.from('alice:wonderland').toString('base64'), t]) expect(all).not.toContain(secret);
    expect(all).toContain('"auth":"bearer"');
  });
});

describe('access rules', () => {
  const auth = { type: 'basic' as const, users: { a: '1', b: '2' }, access: { 'team-a/*': ['a'] }, anonymous: ['public/*'] };
  it.each([
    [undefined, 'public/x', true],
    [undefined, 'team-a/x', false],
    [undefined, 'other/x', false],
    ['a', 'team-a/x/y', true],
    ['b', 'team-a/x', false],
    ['b', 'other/x', true],
  ])('%s may pull %s: %s', (user, repo, ok) => expect(mayPull(auth, user, repo)).toBe(ok));
  it.each([
    ['public/*', 'public/a', true],
    ['public/*', 'publicx/a', false],
    ['a.b', 'axb', false],
    ['lab/app', 'lab/app', true],
  ])('%s matches %s: %s', (p, r, ok) => expect(matchesPattern(p, r)).toBe(ok));
  it.each([
    [undefined, { scheme: 'none' }],
    ['Basic ' + Buffer.from('u:p:q').toString('base64'), { scheme: 'basic', user: 'u', password: 'p:q' }],
    ['Basic !!!', { scheme: 'basic', user: '', password: '' }],
    ['bearer abc', { scheme: 'bearer', token: 'abc' }],
    ['Digest x', { scheme: 'other' }],
  ])('Authorization %s', (h, parsed) => expect(parseAuthorization(h)).toEqual(parsed));
});

describe('token request scopes', () => {
  it.each([
    [['repository:team-a/app:pull'], ['team-a/app']],
    [['repository:a:pull,push', 'repository:b:push'], ['a']],
    [['repository:a:pull repository:b:*'], ['a', 'b']],
    [['registry:catalog:*', 'repository::pull', 'repository:x', ''], []],
    [['repository:host:5000/x:pull'], ['host:5000/x']],
  ])('%j asks pull for %j', (scopes, repos) => expect(requestedPulls(scopes)).toEqual(repos));
});

describe('issued tokens are opaque, distinct and each finds its own grant', () => {
  it.each([1, 256, 257, 1000])('%d tokens', (n) => {
    const store = new TokenStore();
    const tokens = Array.from({ length: n }, (_, i) => store.issue({ service: 's', account: `u${i}`, repositories: new Set() }));
    expect(new Set(tokens).size).toBe(n);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    tokens.forEach((t, i) => expect(store.lookup(t)?.account).toBe(`u${i}`));
  });
});
