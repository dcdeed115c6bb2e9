import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_LOCAL_PORT, NODE_ADDRESS, NODE_ADDRESS_V6 } from '../../src/pull/dialer.js';
import { parseUrl, Transport, type TlsSettings } from '../../src/pull/transport.js';
import { errorOf, makeCA, makeCert, startRawServer, startServer, TestDialer, type KeyCert, type TestServer } from './fixtures.js';

const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.end('hello');
const tlsOf = (p: Partial<TlsSettings> = {}): TlsSettings => ({ insecureSkipVerify: false, cas: [], clientCerts: [], ...p });

let ca: KeyCert;
let otherCa: KeyCert;
let sameNameCa: KeyCert;
let selfCert: string;
const servers: Record<string, TestServer> = {};

beforeAll(async () => {
  ca = makeCA('lab CA');
  otherCa = makeCA('other CA');
  sameNameCa = makeCA('lab CA');
  const leaf = makeCert({ cn: 'harbor', dns: ['harbor.lab.test', 'registry.lab.test'] }, ca);
  const ipLeaf = makeCert({ cn: 'byip', ips: ['127.0.0.12', '::1'] }, ca);
  const expired = makeCert({ cn: 'old', dns: ['old.lab.test'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }, ca);
  const selfSigned = makeCert({ cn: 'self', dns: ['self.lab.test'] });
  const legacy = makeCert({ cn: 'legacy.lab.test', noSan: true }, ca);
  const clientOnly = makeCert({ cn: 'eku', dns: ['eku.lab.test'], eku: 'clientAuth' }, ca);
  const wildcard = makeCert({ cn: 'wild', dns: ['*.apps.lab.test'] }, ca);
  servers.https = await startServer(ok, { cert: leaf.cert, key: leaf.key });
  servers.ip = await startServer(ok, { cert: ipLeaf.cert, key: ipLeaf.key });
  servers.expired = await startServer(ok, { cert: expired.cert, key: expired.key });
  servers.self = await startServer(ok, { cert: selfSigned.cert, key: selfSigned.key });
  servers.legacy = await startServer(ok, { cert: legacy.cert, key: legacy.key });
  servers.eku = await startServer(ok, { cert: clientOnly.cert, key: clientOnly.key });
  servers.wild = await startServer(ok, { cert: wildcard.cert, key: wildcard.key });
  servers.http = await startServer(ok);
  selfCert = selfSigned.cert;
  servers.reset = await startRawServer((s) => s.once('data', () => s.resetAndDestroy()));
  servers.close = await startRawServer((s) => s.end());
  servers.garbage = await startRawServer((s) => s.end('SSH-2.0-OpenSSH_9.0\r\n'));
  servers.truncated = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')));
  servers.cutHead = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Le')));
  servers.badStatus = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 2x0 OK\r\n\r\n')));
  servers.chunked = await startRawServer((s) =>
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(servers).filter((s, i, a) => a.indexOf(s) === i).map((s) => s.close()));
});

function dialer(): TestDialer {
  const p = (k: string) => servers[k].port;
  return new TestDialer({
    'harbor.lab.test': { port: p('https'), ip: '127.0.0.12' },
    'harbor-alias.lab.test': { port: p('https'), ip: '127.0.0.12' },
    '127.0.0.12': { port: p('ip') },
    '127.0.0.13': { port: p('https') },
    '::1': { port: p('ip') },
    'old.lab.test': { port: p('expired') },
    'self.lab.test': { port: p('self') },
    'legacy.lab.test': { port: p('legacy') },
    'eku.lab.test': { port: p('eku') },
    'x.apps.lab.test': { port: p('wild') },
    'a.b.apps.lab.test': { port: p('wild') },
    'nexus.lab.test': { port: p('http'), ip: '127.0.0.11' },
    'down.lab.test': { ip: '127.0.0.40' },
    'reset.lab.test': { port: p('reset'), ip: '127.0.0.50' },
    'reset.example.com': { port: p('reset'), ip: '198.51.100.50' },
    'reset6.example.com': { port: p('reset'), ip: '2001:db8::50' },
    'close.lab.test': { port: p('close') },
    'garbage.lab.test': { port: p('garbage') },
    'truncated.lab.test': { port: p('truncated') },
    'cuthead.lab.test': { port: p('cutHead') },
    'badstatus.lab.test': { port: p('badStatus') },
    'chunked.lab.test': { port: p('chunked') },
  });
}

async function get(url: string, tls: Partial<TlsSettings> = {}, extra: { goTlsVerifyPrefix?: boolean; now?: Date } = {}) {
  const t = new Transport({ dialer: dialer(), tls: tlsOf(tls), goTlsVerifyPrefix: extra.goTlsVerifyPrefix, now: extra.now ? () => extra.now! : undefined });
  return t.get(parseUrl(url)!, []);
}

describe('TLS verification in Go 1.19 order', () => {
  it.each([
    ['no CA trusted', 'https://harbor.lab.test/v2/', () => [], 'x509: certificate signed by unknown authority'],
    ['unrelated CA', 'https://harbor.lab.test/v2/', () => [otherCa.cert], 'x509: certificate signed by unknown authority'],
    [
      'CA with the same name but another key',
      'https://harbor.lab.test/v2/',
      () => [sameNameCa.cert],
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "lab CA")',
    ],
    ['name not in the SANs', 'https://harbor-alias.lab.test/v2/', () => [ca.cert], 'x509: certificate is valid for harbor.lab.test, registry.lab.test, not harbor-alias.lab.test'],
    ['name mismatch wins over unknown authority', 'https://harbor-alias.lab.test/v2/', () => [], 'x509: certificate is valid for harbor.lab.test, registry.lab.test, not harbor-alias.lab.test'],
    ['IP host, no IP SANs', 'https://127.0.0.13/v2/', () => [ca.cert], "x509: cannot validate certificate for 127.0.0.13 because it doesn't contain any IP SANs"],
    ['legacy Common Name only', 'https://legacy.lab.test/v2/', () => [ca.cert], 'x509: certificate relies on legacy Common Name field, use SANs instead'],
    ['server cert for client auth only', 'https://eku.lab.test/v2/', () => [ca.cert], 'x509: certificate specifies an incompatible key usage'],
    ['self-signed leaf, not trusted', 'https://self.lab.test/v2/', () => [ca.cert], 'x509: certificate signed by unknown authority'],
    ['wildcard covers one label only', 'https://a.b.apps.lab.test/v2/', () => [ca.cert], 'x509: certificate is valid for *.apps.lab.test, not a.b.apps.lab.test'],
  ])('%s', async (_name, url, cas, expected) => {
    const e = await errorOf(get(url, { cas: cas() }));
    expect(e.message).toBe(`Get "${url}": ${expected}`);
    expect(e.code).toBe('net.get');
  });

  it('expired leaf is reported before the host name or the chain', async () => {
    const now = new Date('2024-05-01T10:00:00Z');
    const e = await errorOf(get('https://old.lab.test/v2/', { cas: [] }, { now }));
    expect(e.message).toBe('Get "https://old.lab.test/v2/": x509: certificate has expired or is not yet valid: current time 2024-05-01T10:00:00Z is after 2021-01-01T00:00:00Z');
  });

  it('not yet valid', async () => {
    const e = await errorOf(get('https://old.lab.test/v2/', { cas: [ca.cert] }, { now: new Date('2019-06-01T00:00:00Z') }));
    expect(e.message).toContain('current time 2019-06-01T00:00:00Z is before 2020-01-01T00:00:00Z');
  });

  it.each([
    ['trusted CA', 'https://harbor.lab.test/v2/'],
    ['second DNS SAN', 'https://registry.lab.test:443/v2/'],
    ['IP SAN', 'https://127.0.0.12/v2/'],
    ['IPv6 SAN', 'https://[::1]/v2/'],
    ['wildcard', 'https://x.apps.lab.test/v2/'],
  ])('accepts %s', async (_n, url) => {
    const d = dialer();
    (d as unknown as { routes: Record<string, unknown> }).routes['registry.lab.test:443'] = { port: servers.https.port };
    const t = new Transport({ dialer: d, tls: tlsOf({ cas: [ca.cert] }) });
    const res = await t.get(parseUrl(url)!, []);
    expect(res.statusCode).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });

  it('a self-signed leaf listed as a CA is trusted', async () => {
    const res = await get('https://self.lab.test/v2/', { cas: [selfCert] });
    expect(res.statusCode).toBe(200);
  });

  it('insecureSkipVerify skips every check', async () => {
    const res = await get('https://harbor-alias.lab.test/v2/', { insecureSkipVerify: true });
    expect(res.statusCode).toBe(200);
  });

  it('Go ≥ 1.20 prefix is optional', async () => {
    const e = await errorOf(get('https://harbor.lab.test/v2/', {}, { goTlsVerifyPrefix: true }));
    expect(e.message).toBe('Get "https://harbor.lab.test/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority');
  });
});

describe('connection failures worded as Go', () => {
  it.each([
    ['plain HTTP server answering TLS', 'https://nexus.lab.test/v2/', 'http: server gave HTTP response to HTTPS client'],
    ['nothing listens', 'https://down.lab.test/v2/', 'dial tcp 127.0.0.40:443: connect: connection refused'],
    ['nothing listens, explicit port', 'http://down.lab.test:5000/v2/', 'dial tcp 127.0.0.40:5000: connect: connection refused'],
    ['name does not resolve', 'https://nope.lab.test/v2/', 'dial tcp: lookup nope.lab.test: no such host'],
    ['server closes at once (https)', 'https://close.lab.test/v2/', 'EOF'],
    ['server closes at once (http)', 'http://close.lab.test/v2/', 'EOF'],
    ['not TLS, not HTTP', 'https://garbage.lab.test/v2/', 'tls: first record does not look like a TLS handshake'],
    ['status line and headers cut', 'http://cuthead.lab.test/v2/', 'unexpected EOF'],
    ['bad status code', 'http://badstatus.lab.test/v2/', 'malformed HTTP status code "2x0"'],
  ])('%s', async (_n, url, expected) => {
    const e = await errorOf(get(url));
    expect(e.message).toBe(`Get "${url}": ${expected}`);
  });

  it('connection refused is detectable through the cause chain', async () => {
    const e = await errorOf(get('https://down.lab.test/v2/'));
    expect(e.is('net.connection-refused')).toBe(true);
  });

  it.each([
    ['a loopback remote: from 127.0.0.1, as a real node', 'reset.lab.test', '127.0.0.1', '127.0.0.50'],
    ['any other remote: from the node\'s own address', 'reset.example.com', NODE_ADDRESS, '198.51.100.50'],
    ['an IPv6 remote: from the node\'s IPv6 address, bracketed', 'reset6.example.com', `[${NODE_ADDRESS_V6}]`, '[2001:db8::50]'],
  ])('reset names the local and the emulated remote address: %s', async (_what, host, local, remote) => {
    const e = await errorOf(get(`http://${host}:5000/v2/`));
    expect(e.message).toBe(`Get "http://${host}:5000/v2/": read tcp ${local}:${FIRST_LOCAL_PORT}->${remote}:5000: read: connection reset by peer`);
  });

  it('a cut body is reported when the body is read', async () => {
    const res = await get('http://truncated.lab.test/v2/');
    expect(res.statusCode).toBe(200);
    expect(res.bodyError?.message).toBe('unexpected EOF');
  });

  it('chunked bodies are decoded', async () => {
    const res = await get('http://chunked.lab.test/v2/');
    expect(res.body.toString()).toBe('abcde');
  });

  it('plain HTTP works when asked for', async () => {
    const res = await get('http://nexus.lab.test/v2/');
    expect(res.statusCode).toBe(200);
  });
});

describe('client certificates and redirects', () => {
  let mtls: TestServer;
  let redirector: TestServer;
  let target: TestServer;
  let clientCert: KeyCert;
  beforeAll(async () => {
    const clientCa = makeCA('client CA');
    clientCert = makeCert({ cn: 'node', eku: 'clientAuth' }, clientCa);
    const leaf = makeCert({ cn: 'mtls', dns: ['mtls.lab.test'] }, ca);
    mtls = await startServer(ok, { cert: leaf.cert, key: leaf.key, requestCert: true, rejectUnauthorized: true, ca: [clientCa.cert] });
    target = await startServer(ok);
    redirector = await startServer((req, res) => {
      const to = req.url === '/same' ? '/final' : `http://storage.lab.test:${target.port}/blob`;
      res.writeHead(307, { Location: to });
      res.end();
    });
  });
  afterAll(async () => {
    await Promise.all([mtls.close(), redirector.close(), target.close()]);
  });

  const d = () =>
    new TestDialer({
      'mtls.lab.test': { port: mtls.port },
      'reg.lab.test': { port: redirector.port },
      'storage.lab.test': { port: target.port },
    });

  it('presents the client certificate', async () => {
    const t = new Transport({ dialer: d(), tls: tlsOf({ cas: [ca.cert], clientCerts: [{ cert: clientCert.cert, key: clientCert.key }] }) });
    expect((await t.get(parseUrl('https://mtls.lab.test/v2/')!, [])).statusCode).toBe(200);
  });

  it('without one the server alert is reported as Go does', async () => {
    const t = new Transport({ dialer: d(), tls: tlsOf({ cas: [ca.cert] }) });
    const e = await errorOf(t.get(parseUrl('https://mtls.lab.test/v2/')!, []));
    expect(e.message).toBe('Get "https://mtls.lab.test/v2/": remote error: tls: certificate required');
  });

  it('follows a redirect to another host without the Authorization header', async () => {
    const hops: string[] = [];
    const t = new Transport({ dialer: d(), tls: tlsOf() });
    const res = await t.get(parseUrl('http://reg.lab.test/v2/x/blobs/sha256:1')!, [['Authorization', 'Bearer secret']], (h) => hops.push(`${h.url} ${h.status}`));
    expect(res.statusCode).toBe(200);
    expect(hops).toEqual(['http://reg.lab.test/v2/x/blobs/sha256:1 307', `http://storage.lab.test:${target.port}/blob 200`]);
    expect(target.log.at(-1)!.authorization).toBeUndefined();
  });
});
