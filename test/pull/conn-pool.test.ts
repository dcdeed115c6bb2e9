import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUrl, Transport, type TlsSettings } from '../../src/pull/transport.js';
import { errorOf, makeCA, makeCert, TestDialer } from './fixtures.js';

/** What a raw keep-alive server does with the n-th request (0-based) on the c-th connection. */
type Behaviour = (conn: number, req: number, s: net.Socket) => void;

interface RawHttp {
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

const answer = (s: net.Socket, body: string, extra = '') => s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`);

async function rawHttp(behaviour: Behaviour): Promise<RawHttp> {
  const sockets = new Set<net.Socket>();
  const state: RawHttp = { port: 0, connections: 0, requests: [], close: async () => {} };
  const server = net.createServer((s) => {
    const conn = state.connections++;
    sockets.add(s);
    s.on('error', () => {});
    let buf = '';
    let req = 0;
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        state.requests.push(buf.slice(0, buf.indexOf('\r\n')));
        buf = buf.slice(end + 4);
        behaviour(conn, req++, s);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); });
  return state;
}

const noTls: TlsSettings = { insecureSkipVerify: false, cas: [], clientCerts: [] };
const servers: RawHttp[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(b: Behaviour): Promise<{ srv: RawHttp; dialer: TestDialer; t: Transport }> {
  const srv = await rawHttp(b);
  servers.push(srv);
  const dialer = new TestDialer({ 'a.lab.test': { port: srv.port }, 'b.lab.test': { port: srv.port } });
  return { srv, dialer, t: new Transport({ dialer, tls: noTls }) };
}

const get = (t: Transport, url: string) => t.get(parseUrl(url)!, []);

describe('keep-alive: one connection per scheme, host and port', () => {
  it('sequential requests to one host share a connection', async () => {
    const { srv, dialer, t } = await serve((_c, r, s) => answer(s, `r${r}`));
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push((await get(t, `http://a.lab.test/v2/${i}`)).body.toString());
    expect(bodies).toEqual(['r0', 'r1', 'r2']);
    expect(srv.connections).toBe(1);
    expect(dialer.dials).toEqual(['a.lab.test:80']);
  });

  it('another host name is another connection, even to the same server', async () => {
    const { srv, dialer, t } = await serve((_c, _r, s) => answer(s, 'ok'));
    for (const h of ['a', 'b', 'a', 'b']) await get(t, `http://${h}.lab.test/v2/`);
    expect(srv.connections).toBe(2);
    expect(dialer.dials).toEqual(['a.lab.test:80', 'b.lab.test:80']);
  });

  it('another Transport (another registry client) never shares', async () => {
    const { srv, dialer } = await serve((_c, _r, s) => answer(s, 'ok'));
    for (let i = 0; i < 2; i++) await get(new Transport({ dialer, tls: noTls }), 'http://a.lab.test/v2/');
    expect(srv.connections).toBe(2);
  });

  it.each([
    ['Connection: close', (s: net.Socket) => answer(s, 'ok', 'Connection: close\r\n')],
    ['HTTP/1.0', (s: net.Socket) => s.write('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok')],
    ['body until EOF', (s: net.Socket) => s.end('HTTP/1.1 200 OK\r\n\r\nok')],
    ['chunked', (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')],
  ])('not reused after %s', async (_n, respond) => {
    const { srv, t } = await serve((_c, _r, s) => respond(s));
    for (let i = 0; i < 2; i++) expect((await get(t, 'http://a.lab.test/v2/')).body.toString()).toBe('ok');
    expect(srv.connections).toBe(2);
  });

  it('HTTP/1.0 with keep-alive is reused', async () => {
    const { srv, t } = await serve((_c, _r, s) => s.write('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok'));
    for (let i = 0; i < 2; i++) await get(t, 'http://a.lab.test/v2/');
    expect(srv.connections).toBe(1);
  });

  it('closeIdleConnections makes the next request dial again', async () => {
    const { srv, t } = await serve((_c, _r, s) => answer(s, 'ok'));
    await get(t, 'http://a.lab.test/v2/');
    t.closeIdleConnections();
    await get(t, 'http://a.lab.test/v2/');
    expect(srv.connections).toBe(2);
  });
});

describe('a reused connection the server closed is replaced, as Go retries an idempotent GET', () => {
  it.each([
    ['closes it on the next request', (s: net.Socket) => s.end()],
    ['resets it on the next request', (s: net.Socket) => s.resetAndDestroy()],
  ])('server %s', async (_n, drop) => {
    const { srv, t } = await serve((c, r, s) => (c === 0 && r === 1 ? drop(s) : answer(s, `c${c}r${r}`)));
    expect((await get(t, 'http://a.lab.test/v2/')).body.toString()).toBe('c0r0');
    expect((await get(t, 'http://a.lab.test/v2/')).body.toString()).toBe('c1r0');
    expect(srv.connections).toBe(2);
  });

  it('server closes it while idle', async () => {
    const { srv, t } = await serve((_c, _r, s) => {
      answer(s, 'ok');
      setTimeout(() => s.end(), 5);
    });
    await get(t, 'http://a.lab.test/v2/');
    await new Promise((r) => setTimeout(r, 50));
    expect((await get(t, 'http://a.lab.test/v2/')).body.toString()).toBe('ok');
    expect(srv.connections).toBe(2);
  });

  it('a fresh connection that fails is not retried', async () => {
    const { srv, t } = await serve((_c, _r, s) => s.end());
    const e = await errorOf(get(t, 'http://a.lab.test/v2/'));
    expect(e.message).toBe('Get "http://a.lab.test/v2/": EOF');
    expect(srv.connections).toBe(1);
  });

  it('a reused connection that fails after response bytes keeps its error', async () => {
    const { srv, t } = await serve((_c, r, s) => (r === 0 ? answer(s, 'ok') : s.end('HTTP/1.1 200 OK\r\nContent-Le')));
    await get(t, 'http://a.lab.test/v2/');
    const e = await errorOf(get(t, 'http://a.lab.test/v2/'));
    expect(e.message).toBe('Get "http://a.lab.test/v2/": unexpected EOF');
    expect(srv.connections).toBe(1);
  });

  it('a reset mid-body on a reused connection is the body error Go reports', async () => {
    const { t } = await serve((_c, r, s) => {
      if (r === 0) return answer(s, 'ok');
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc', () => setTimeout(() => s.resetAndDestroy(), 5));
    });
    await get(t, 'http://a.lab.test/v2/');
    const res = await get(t, 'http://a.lab.test/v2/');
    expect(res.body.toString()).toBe('abc');
    expect(res.bodyError?.message).toMatch(/^read tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:80: read: connection reset by peer$/);
  });
});

describe('keep-alive over TLS', () => {
  let server: https.Server;
  let connections = 0;
  let ca: string;
  beforeAll(async () => {
    const authority = makeCA('pool CA');
    ca = authority.cert;
    const leaf = makeCert({ cn: 'tls', dns: ['tls.lab.test', 'alias.lab.test'] }, authority);
    server = https.createServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('ok'));
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  it('one handshake for sequential requests; a name the certificate does not cover still fails', async () => {
    const port = (server.address() as AddressInfo).port;
    const dialer = new TestDialer({ 'tls.lab.test': { port }, 'other.lab.test': { port } });
    const t = new Transport({ dialer, tls: { ...noTls, cas: [ca] } });
    const before = connections;
    for (let i = 0; i < 3; i++) expect((await get(t, 'https://tls.lab.test/v2/')).body.toString()).toBe('ok');
    expect(connections - before).toBe(1);
    const e = await errorOf(get(t, 'https://other.lab.test/v2/'));
    expect(e.message).toBe('Get "https://other.lab.test/v2/": x509: certificate is valid for tls.lab.test, alias.lab.test, not other.lab.test');
  });

  it('a verified chain is verified again under other trust', async () => {
    const port = (server.address() as AddressInfo).port;
    const dialer = new TestDialer({ 'tls.lab.test': { port } });
    expect((await get(new Transport({ dialer, tls: { ...noTls, cas: [ca] } }), 'https://tls.lab.test/v2/')).statusCode).toBe(200);
    const e = await errorOf(get(new Transport({ dialer, tls: noTls }), 'https://tls.lab.test/v2/'));
    expect(e.message).toBe('Get "https://tls.lab.test/v2/": x509: certificate signed by unknown authority');
  });

  it('a verified chain is verified again at a time it is not valid', async () => {
    const port = (server.address() as AddressInfo).port;
    const dialer = new TestDialer({ 'tls.lab.test': { port } });
    const at = (now: Date) => new Transport({ dialer, tls: { ...noTls, cas: [ca] }, now: () => now });
    expect((await get(at(new Date()), 'https://tls.lab.test/v2/')).statusCode).toBe(200);
    const e = await errorOf(get(at(new Date('2100-01-01T00:00:00Z')), 'https://tls.lab.test/v2/'));
    expect(e.message).toMatch(/^Get "https:\/\/tls\.lab\.test\/v2\/": x509: certificate has expired or is not yet valid: current time 2100-01-01T00:00:00Z is after /);
  });
});
