/**
 * Go's net/http client as containers/image uses it, on top of the Dialer seam: one connection per
 * request (what a fresh Go connection does when a server misbehaves is what we reproduce), TLS
 * verified by hand in Go's order, and every failure worded as Go words it.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { fail, wrap, TransportError } from '../errors/index.js';
import { isLoopbackAddress, type Dialer } from './dialer.js';
import { bodyFraming, decodeChunked, parseHead, type ResponseHead } from './http1-response.js';
import { verifyServerChain } from './tls-verify.js';
import { parseCert, parseIp, type ParsedCert } from './x509-cert.js';

export interface TlsSettings {
  insecureSkipVerify: boolean;
  /** PEM texts of the trusted CAs (certs.d *.crt); nothing else is trusted. */
  cas: string[];
  /** certs.d *.cert/*.key pairs, PEM. */
  clientCerts: { cert: string; key: string }[];
}

export interface TransportOptions {
  dialer: Dialer;
  tls: TlsSettings;
  /** Go ≥ 1.20 wraps x509 errors as `tls: failed to verify certificate: …`; Go 1.19 (c/i 5.23.1 builds) does not. */
  goTlsVerifyPrefix?: boolean;
  /** The node's clock for certificate validity. */
  now?: () => Date;
  /** http.Transport.TLSHandshakeTimeout as c/i's tlsclientconfig sets it. */
  handshakeTimeoutMs?: number;
}

export interface HttpResponse extends ResponseHead {
  /** The URL that answered (after redirects). */
  url: string;
  body: Buffer;
  /** Set when reading the body failed (Go reports it where the body is read, not at Do). */
  bodyError?: TransportError;
}

export interface Hop {
  method: string;
  url: string;
  status?: number;
  error?: string;
}

export type Headers = [string, string][];

/** A URL kept as Go prints it: the host exactly as written (an explicit :443 stays). */
export interface GoUrl {
  scheme: 'http' | 'https';
  /** host[:port], IPv6 literals in brackets. */
  host: string;
  path: string;
  /** Without the '?'. */
  query: string;
}

export function urlString(u: GoUrl): string {
  return `${u.scheme}://${u.host}${u.path}${u.query ? '?' + u.query : ''}`;
}

/** Parses an absolute http(s) URL, or resolves a reference against base (redirects, token realms). */
export function parseUrl(s: string, base?: GoUrl): GoUrl | undefined {
  const m = /^(https?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(s);
  if (m) return { scheme: m[1].toLowerCase() as GoUrl['scheme'], host: m[2], path: m[3], query: m[4] ?? '' };
  if (!base) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(s, urlString(base));
  } catch {
    return undefined;
  }
  return { scheme: base.scheme, host: base.host, path: resolved.pathname, query: resolved.search.replace(/^\?/, '') };
}

/** URL.Hostname(): the host without port and brackets. */
export function hostOf(u: GoUrl): string {
  const h = u.host;
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** URL.Port() or the scheme's default. */
export function portOf(u: GoUrl): number {
  const h = u.host;
  const rest = h.startsWith('[') ? h.slice(h.indexOf(']') + 1) : h.indexOf(':') === h.lastIndexOf(':') ? h.slice(h.indexOf(':') >= 0 ? h.indexOf(':') : h.length) : '';
  const p = rest.startsWith(':') ? rest.slice(1) : '';
  return p ? Number(p) : u.scheme === 'https' ? 443 : 80;
}

const MAX_REDIRECTS = 10;
const SENSITIVE_ON_REDIRECT = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2']);

export class Transport {
  private readonly roots: ParsedCert[];

  constructor(private readonly opts: TransportOptions) {
    this.roots = opts.tls.cas.flatMap(pemCerts).flatMap((der) => {
      try {
        return [parseCert(der)];
      } catch {
        return []; // x509.CertPool.AppendCertsFromPEM skips what it cannot parse
      }
    });
  }

  /** http.Client.Do for GET: follows redirects; a failure is `Get "<url>": <err>` with the Go error as cause. */
  async get(url: GoUrl, headers: Headers, onHop?: (h: Hop) => void): Promise<HttpResponse> {
    const initial = url;
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const sent = headers.filter(([k]) => current === initial || !SENSITIVE_ON_REDIRECT.has(k.toLowerCase()) || isDomainOrSubdomain(canonicalAddr(current), canonicalAddr(initial)));
      let res: HttpResponse;
      try {
        res = await this.roundTrip('GET', current, sent);
      } catch (e) {
        const err = asTransportError(e);
        onHop?.({ method: 'GET', url: urlString(current), error: err.message });
        throw wrap(TransportError, 'net.get', err, urlString(current));
      }
      onHop?.({ method: 'GET', url: urlString(current), status: res.statusCode });
      if (![301, 302, 303, 307, 308].includes(res.statusCode)) return res;
      const loc = res.headers.get('location')?.[0];
      if (!loc) {
        if (res.statusCode === 307 || res.statusCode === 308) return res;
        throw wrap(TransportError, 'net.get', fail(TransportError, 'net.redirect-no-location', res.statusCode), urlString(current));
      }
      const next = parseUrl(loc, current);
      if (!next) return res;
      if (redirects + 1 >= MAX_REDIRECTS) throw wrap(TransportError, 'net.get', fail(TransportError, 'net.too-many-redirects'), urlString(next));
      current = next;
    }
  }

  /** One exchange on a fresh connection; throws the bare Go error (not URL-wrapped). */
  async roundTrip(method: string, url: GoUrl, headers: Headers): Promise<HttpResponse> {
    const conn = await this.connect(hostOf(url), portOf(url), url.scheme === 'https');
    try {
      const target = (url.path || '/') + (url.query ? '?' + url.query : '');
      const lines = [`${method} ${target} HTTP/1.1`, `Host: ${url.host}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
      conn.stream.write(lines.join('\r\n') + '\r\n\r\n');
      return await readResponse(conn, method, urlString(url));
    } finally {
      conn.stream.destroy();
      conn.raw.destroy();
    }
  }

  private async connect(host: string, port: number, secure: boolean): Promise<Conn> {
    const r = this.opts.dialer.dial(host, port);
    if (!r.ok) {
      if (r.error === 'nxdomain') throw fail(TransportError, 'net.no-such-host', r.host);
      throw fail(TransportError, 'net.connection-refused', joinHostPort(r.ip, r.port));
    }
    if (!isLoopbackAddress(r.address)) throw new Error(`pullsim: the dialer returned non-loopback address ${r.address} for ${host}:${port}; refusing to connect`);
    const remote = joinHostPort(r.ip, port);
    const raw = await tcpConnect(r.address, r.port, remote);
    const state: ConnState = { first: Buffer.alloc(0) as Buffer, reset: false, local: `${raw.localAddress}:${raw.localPort}`, remote };
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') state.reset = true;
    });
    if (!secure) return { raw, stream: raw, state };
    return this.tlsHandshake(raw, host, state);
  }

  private tlsHandshake(raw: net.Socket, host: string, state: ConnState): Promise<Conn> {
    // A pass-through stream lets us see the first bytes the server answered with, which is how
    // Go recognises a plain-HTTP server ("HTTP/") or a non-TLS one.
    const pipe = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        if (raw.destroyed) cb();
        else raw.write(chunk, () => cb());
      },
      final(cb) {
        raw.end();
        cb();
      },
    });
    raw.on('data', (d: Buffer) => {
      if (state.first.length < 5) state.first = Buffer.concat([state.first, d]);
      pipe.push(d);
    });
    raw.on('end', () => pipe.push(null));
    raw.on('close', () => pipe.push(null));
    const certs = this.opts.tls.clientCerts;
    const socket = tls.connect({
      socket: pipe,
      servername: parseIp(host) ? undefined : host,
      rejectUnauthorized: false,
      ...(certs.length > 0 ? { cert: certs.map((c) => c.cert), key: certs.map((c) => c.key) } : {}),
    });
    return new Promise<Conn>((resolve, reject) => {
      const timer = setTimeout(() => finish(fail(TransportError, 'net.tls-handshake-timeout')), this.opts.handshakeTimeoutMs ?? 10_000);
      let done = false;
      const finish = (err?: TransportError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        if (err) {
          socket.destroy();
          raw.destroy();
          reject(err);
        } else resolve({ raw, stream: socket, state });
      };
      const onError = (e: Error) => finish(handshakeError(e, state));
      const onClose = () => finish(handshakeError(undefined, state));
      socket.once('error', onError);
      socket.once('close', onClose);
      socket.once('secureConnect', () => {
        if (this.opts.tls.insecureSkipVerify) return finish();
        let chain: ParsedCert[];
        try {
          chain = peerChain(socket).map(parseCert);
        } catch {
          return finish(fail(TransportError, 'net.x509-malformed'));
        }
        const bad = verifyServerChain({ chain, roots: this.roots, serverName: host, now: this.opts.now?.() ?? new Date() });
        if (!bad) return finish();
        finish(this.opts.goTlsVerifyPrefix ? wrap(TransportError, 'net.tls-verify-wrap', bad) : bad);
      });
    });
  }
}

interface ConnState {
  first: Buffer;
  reset: boolean;
  local: string;
  remote: string;
}

interface Conn {
  raw: net.Socket;
  stream: net.Socket | tls.TLSSocket;
  state: ConnState;
}

function tcpConnect(address: string, port: number, remote: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: address, port });
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ECONNRESET' ? fail(TransportError, 'net.connection-reset', `${s.localAddress}:${s.localPort}`, remote) : fail(TransportError, 'net.connection-refused', remote)),
    );
  });
}

const GO_ALERTS: Record<number, string> = {
  0: 'close notify', 10: 'unexpected message', 20: 'bad record MAC', 21: 'decryption failed', 22: 'record overflow',
  30: 'decompression failure', 40: 'handshake failure', 42: 'bad certificate', 43: 'unsupported certificate',
  44: 'revoked certificate', 45: 'expired certificate', 46: 'unknown certificate', 47: 'illegal parameter',
  48: 'unknown certificate authority', 49: 'access denied', 50: 'error decoding message', 51: 'error decrypting message',
  60: 'export restriction', 70: 'protocol version not supported', 71: 'insufficient security level', 80: 'internal error',
  86: 'inappropriate fallback', 90: 'user canceled', 100: 'no renegotiation', 109: 'missing extension',
  110: 'unsupported extension', 111: 'certificate unobtainable', 112: 'unrecognized name',
  113: 'bad certificate status response', 114: 'bad certificate hash value', 115: 'unknown PSK identity',
  116: 'certificate required', 120: 'no application protocol',
};

/** What Go's TLS client reports for a handshake that did not complete, judged from what the server sent. */
function handshakeError(e: Error | undefined, state: ConnState): TransportError {
  const first = state.first;
  if (first.length >= 5) {
    if (first.toString('latin1', 0, 5) === 'HTTP/') return fail(TransportError, 'net.http-to-https');
    const type = first[0];
    const version = first.readUInt16BE(1);
    if ((type !== 21 && type !== 22) || version >= 0x1000) return fail(TransportError, 'net.tls-not-handshake');
  }
  const alert = alertFrom(e);
  if (alert) return alert;
  if (state.reset) return fail(TransportError, 'net.connection-reset', state.local, state.remote);
  return fail(TransportError, first.length > 0 ? 'net.unexpected-eof' : 'net.eof');
}

function alertFrom(e: Error | undefined): TransportError | undefined {
  const m = e && /alert number (\d+)/.exec(e.message);
  if (!m) return undefined;
  const name = GO_ALERTS[Number(m[1])] ?? `alert(${m[1]})`;
  return fail(TransportError, 'net.tls-remote-alert', name);
}

/** The certificates the server sent, leaf first (getPeerCertificate links them through issuerCertificate). */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

function readResponse(conn: Conn, method: string, url: string): Promise<HttpResponse> {
  const { stream, state } = conn;
  return new Promise<HttpResponse>((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    let got = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      stream.removeAllListeners('data');
      fn();
    };
    const respond = (body: Buffer, bodyError?: TransportError) => settle(() => resolve({ ...head!, url, body, bodyError }));
    const ended = (e?: Error) => {
      if (settled) return;
      const cause = alertFrom(e) ?? (state.reset ? fail(TransportError, 'net.connection-reset', state.local, state.remote) : undefined);
      if (!head) {
        const err = cause ?? fail(TransportError, got > 0 ? 'net.unexpected-eof' : 'net.eof');
        return settle(() => reject(err));
      }
      const framing = bodyFraming(method, head);
      if (framing.kind === 'close') return respond(buf);
      if (framing.kind === 'chunked') return respond(decodeChunked(buf).body, cause ?? fail(TransportError, 'net.unexpected-eof'));
      respond(buf, cause ?? fail(TransportError, 'net.unexpected-eof'));
    };
    const progress = () => {
      try {
        if (!head) {
          const r = parseHead(buf);
          if ('need' in r) return;
          head = r.head;
          buf = r.rest;
        }
        const framing = bodyFraming(method, head);
        if (framing.kind === 'none') respond(Buffer.alloc(0));
        else if (framing.kind === 'length' && buf.length >= framing.length) respond(buf.subarray(0, framing.length));
        else if (framing.kind === 'chunked') {
          const d = decodeChunked(buf);
          if (d.complete) respond(d.body);
        }
      } catch (e) {
        settle(() => reject(asTransportError(e)));
      }
    };
    stream.on('data', (d: Buffer) => {
      got += d.length;
      buf = Buffer.concat([buf, d]);
      progress();
    });
    stream.once('end', () => ended());
    stream.once('close', () => ended());
    stream.once('error', (e) => ended(e));
  });
}

function asTransportError(e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  throw e;
}

function pemCerts(pem: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function canonicalAddr(u: GoUrl): string {
  return joinHostPort(hostOf(u).toLowerCase(), portOf(u));
}

function isDomainOrSubdomain(sub: string, parent: string): boolean {
  return sub === parent || sub.endsWith('.' + parent);
}

