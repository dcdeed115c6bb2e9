import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { verifiedPreface } from '../../src/pull/handshake-memo.js';
import { parseUrl, Transport, type TlsSettings } from '../../src/pull/transport.js';
import { ACCEPT_ALL, scenario } from '../sim/helpers.js';
import { errorOf } from './fixtures.js';

const image = { 'lab/app:v1': { image: 'app', options: {}, sign: [] } };
const s = scenario({
  cas: { lab: {}, other: {} },
  images: { app: {} },
  registries: {
    secure: { host: 'secure.lab.test', ip: '127.0.66.10', tls: { ca: 'lab', names: ['secure.lab.test', 'alias.lab.test'] }, images: image },
    resets: { host: 'resets.lab.test', tls: { ca: 'lab' }, images: image, faults: { reset: true } },
    plain: { host: 'plain.lab.test:5000', tls: false, images: image },
  },
  hosts: { 'alias.lab.test': '127.0.66.10' },
});
let lab: Lab;
beforeAll(async () => {
  lab = await startLab(s);
});
afterAll(() => lab.close());

/** Counts the TLS handshakes clients start from now on. */
function counting(): { handshakes: () => number } {
  const before = tlsConnects;
  return { handshakes: () => tlsConnects - before };
}
let tlsConnects = 0;
const realConnect = tls.connect;
beforeAll(() => {
  (tls as { connect: typeof tls.connect }).connect = ((...a: Parameters<typeof tls.connect>) => (tlsConnects++, realConnect(...a))) as typeof tls.connect;
});
afterAll(() => {
  (tls as { connect: typeof tls.connect }).connect = realConnect;
});

const settings = (p: Partial<TlsSettings> = {}): TlsSettings => ({ insecureSkipVerify: false, cas: [lab.caPems.lab!], clientCerts: [], ...p });

async function fresh(url: string, tlsSettings: TlsSettings, now?: Date) {
  const t = new Transport({ dialer: lab.dialer, tls: tlsSettings, now: now && (() => now) });
  try {
    const r = await t.get(parseUrl(url)!, [['Accept', ACCEPT_ALL]]);
    return { status: r.statusCode, headers: [...r.headers], body: r.body.toString() };
  } finally {
    t.closeIdleConnections();
  }
}

describe('a handshake already made with the same chain, trust and name is not made again', () => {
  it('the second client gets the same answer and access-log entry without a handshake', async () => {
    const { handshakes } = counting();
    const first = await fresh('https://secure.lab.test/v2/lab/app/manifests/v1', settings());
    const after1 = handshakes();
    const second = await fresh('https://secure.lab.test/v2/lab/app/manifests/v1', settings());
    expect(after1).toBeLessThanOrEqual(1);
    expect(handshakes()).toBe(after1);
    expect(second).toEqual(first);
    const log = lab.accessLog('secure').slice(-2);
    expect(log[1]).toEqual(log[0]);
  });

  it.each([
    ['another name for the same server', 'https://alias.lab.test/v2/', () => settings()],
    ['other trusted CAs', 'https://secure.lab.test/v2/', () => settings({ cas: [lab.caPems.lab!, lab.caPems.other!] })],
    ['verification skipped', 'https://secure.lab.test/v2/', () => settings({ insecureSkipVerify: true })],
  ])('%s: a full handshake first', async (_name, url, tlsOf) => {
    const tlsSettings = tlsOf();
    const { handshakes } = counting();
    await fresh(url, tlsSettings);
    expect(handshakes()).toBe(1);
    await fresh(url, tlsSettings);
    expect(handshakes()).toBe(1);
  });

  it('a failed verification is never remembered: the same error every time', async () => {
    const untrusted = settings({ cas: [lab.caPems.other!] });
    const a = await errorOf(fresh('https://secure.lab.test/v2/', untrusted));
    const b = await errorOf(fresh('https://secure.lab.test/v2/', untrusted));
    expect(a.message).toMatch(/x509: certificate signed by unknown authority/);
    expect(b.message).toBe(a.message);
  });

  it('the clock is checked again: a chain verified today has expired for a node whose clock is years ahead', async () => {
    await fresh('https://secure.lab.test/v2/', settings());
    const e = await errorOf(fresh('https://secure.lab.test/v2/', settings(), new Date('2999-01-01T00:00:00Z')));
    expect(e.message).toMatch(/^Get "https:\/\/secure\.lab\.test\/v2\/": x509: certificate has expired or is not yet valid: current time 2999-01-01T00:00:00Z is after /);
  });

  it('an HTTP server answers every handshake alike: the same error, one handshake (and its diagnosis) in all', async () => {
    const { handshakes } = counting();
    const a = await errorOf(fresh('https://plain.lab.test:5000/v2/', settings()));
    const b = await errorOf(fresh('https://plain.lab.test:5000/v2/', settings()));
    expect(a.message).toBe('Get "https://plain.lab.test:5000/v2/": http: server gave HTTP response to HTTPS client');
    expect(b.message).toBe(a.message);
    expect(handshakes()).toBe(2);
  });

  it('a server with a reset fault always makes the handshake (the fault acts under TLS)', async () => {
    expect(lab.dialer.dial('resets.lab.test', 443)).not.toHaveProperty('verifiedTls');
    expect(lab.dialer.dial('secure.lab.test', 443)).toHaveProperty('verifiedTls');
  });
});

/** Raw bytes to a fake HTTPS server, and what it answers before closing. */
function raw(host: string, bytes: string): Promise<string> {
  const d = lab.dialer.dial(host, 443);
  if (!d.ok) throw new Error('not listening');
  return new Promise((resolve) => {
    const sock = net.connect({ host: d.address, port: d.port });
    let got = '';
    sock.on('data', (b) => {
      got += b.toString('latin1');
      if (got.includes('\r\n\r\n')) sock.destroy();
    });
    sock.on('close', () => resolve(got));
    sock.on('error', () => {});
    sock.on('connect', () => {
      // In parts: the server waits for the whole preface.
      sock.write(bytes.slice(0, 5));
      setTimeout(() => sock.write(bytes.slice(5)), 20);
    });
  });
}

describe('the fake HTTPS server takes only its own preface', () => {
  it('with its token, plain HTTP gets the HTTPS answer', async () => {
    const d = lab.dialer.dial('secure.lab.test', 443);
    const token = d.ok ? d.verifiedTls! : '';
    const answer = await raw('secure.lab.test', `${verifiedPreface(token)}GET /v2/ HTTP/1.1\r\nHost: secure.lab.test\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 401 |^HTTP\/1\.1 200 /);
    expect(answer).toContain('Keep-Alive: timeout=5');
  });

  it.each([
    ['another token', `${verifiedPreface('0123456789abcdef01234567')}GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n`, ''],
    ['plain HTTP without the preface', 'GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.0 400 Bad Request'],
  ])('%s: no HTTPS answer', async (_name, bytes, starts) => {
    const answer = await raw('secure.lab.test', bytes);
    expect(answer.startsWith(starts)).toBe(true);
    expect(answer).not.toMatch(/^HTTP\/1\.1/);
  });
});
