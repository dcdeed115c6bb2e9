/**
 * Go's net/http client as containers/image uses it, on top of the Dialer seam: connections kept
 * alive per scheme, host and port within one Transport (as one http.Client's transport does),
 * TLS verified by hand in Go's order, and every failure worded as Go words it.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { fail, wrap, TransportError } from '../errors/index.js';
import { destroyConn, IdleConnPool, type Conn, type ConnState, type RawSocket } from './conn-pool.js';
import { FIRST_LOCAL_PORT, isLoopbackAddress, nodeLocalAddress, type Dialer } from './dialer.js';
import { bodyFraming, decodeChunked, parseHead, type ResponseHead } from './http1-response.js';
import { handshakeKey, madeHandshake, rememberHandshake, verifiedPreface } from './handshake-memo.js';
import { MemorySocket } from './memory-link.js';
import { secureContextFor, trustStoreFor, type TrustStore } from './tls-trust.js';
import { parseIp } from './x509-cert.js';

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
  private readonly trust: TrustStore;
  private readonly secureContext: tls.SecureContext;
  private readonly pool = new IdleConnPool();
  /** The node's next local port: each connection this client opens takes the next one, so texts repeat run after run. */
  private nextLocalPort = FIRST_LOCAL_PORT;

  constructor(private readonly opts: TransportOptions) {
    this.trust = trustStoreFor(opts.tls.cas);
    this.secureContext = secureContextFor(opts.tls.clientCerts);
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

  /**
   * One exchange, on an idle connection to the same scheme, host and port when there is one;
   * throws the bare Go error (not URL-wrapped). As Go does for a GET, a reused connection that
   * fails before the first response byte (the server closed it meanwhile) is replaced by a new one.
   */
  async roundTrip(method: string, url: GoUrl, headers: Headers): Promise<HttpResponse> {
    const host = hostOf(url);
    const port = portOf(url);
    const secure = url.scheme === 'https';
    const key = `${url.scheme}://${joinHostPort(host, port)}`;
    const target = (url.path || '/') + (url.query ? '?' + url.query : '');
    const lines = [`${method} ${target} HTTP/1.1`, `Host: ${url.host}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
    const request = lines.join('\r\n') + '\r\n\r\n';
    for (;;) {
      const idle = this.pool.take(key);
      const conn = idle ?? (await this.connect(host, port, secure));
      const ex = exchange(conn, method, urlString(url), request, (reusable) => (reusable ? this.pool.put(key, conn) : destroyConn(conn)));
      try {
        return await ex.response;
      } catch (e) {
        if (idle && ex.nothingReceived()) continue;
        throw e;
      }
    }
  }

  /** http.Transport.CloseIdleConnections. */
  closeIdleConnections(): void {
    this.pool.closeIdle();
  }

  private async connect(host: string, port: number, secure: boolean): Promise<Conn> {
    const dialed = this.dial(host, port);
    const key = secure && dialed.verifiedTls !== undefined
      ? handshakeKey({ serverToken: dialed.verifiedTls, trust: this.trust, secureContext: this.secureContext, serverName: host, insecureSkipVerify: this.opts.tls.insecureSkipVerify })
      : undefined;
    const made = key === undefined ? undefined : madeHandshake(key);
    if (made && 'error' in made) throw made.error;
    const { raw, state } = await this.openRaw(dialed);
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') state.reset = true;
    });
    if (!secure) return { raw, stream: raw, state };
    if (!made) return this.tlsHandshake(raw, host, port, state, key);
    const bad = this.verifyPeer(made.chain, host);
    if (bad) {
      raw.destroy();
      throw bad;
    }
    return { raw, stream: raw, state, preface: verifiedPreface(dialed.verifiedTls!) };
  }

  /** The dialer's answer for host:port; a name that does not resolve or a port nobody listens on fails here, as Go's dial does. */
  private dial(host: string, port: number): Dialed {
    const r = this.opts.dialer.dial(host, port);
    if (!r.ok) {
      if (r.error === 'nxdomain') throw fail(TransportError, 'net.no-such-host', r.host);
      throw fail(TransportError, 'net.connection-refused', joinHostPort(r.ip, r.port));
    }
    if (!isLoopbackAddress(r.address)) throw new Error(`pullsim: the dialer returned non-loopback address ${r.address} for ${host}:${port}; refusing to connect`);
    const local = joinHostPort(nodeLocalAddress(r.ip), this.nextLocalPort++);
    return { address: r.address, port: r.port, local, remote: joinHostPort(r.ip, port), verifiedTls: r.verifiedTls, attach: r.attach };
  }

  /** The connection under TLS and HTTP: in memory to a fake server of this process that takes one, else TCP. */
  private async openRaw(d: Dialed): Promise<{ raw: RawSocket; state: ConnState }> {
    const raw = d.attach ? memoryConnect(d.address, d.port, d.attach) : await tcpConnect(d);
    return { raw, state: { reset: false, local: d.local, remote: d.remote } };
  }

  private async dialRaw(host: string, port: number): Promise<{ raw: RawSocket; state: ConnState }> {
    return this.openRaw(this.dial(host, port));
  }

  /** Go's verification of what the server sent (none with InsecureSkipVerify), worded for this Go version. */
  private verifyPeer(chain: readonly Buffer[], host: string): TransportError | undefined {
    if (this.opts.tls.insecureSkipVerify) return undefined;
    const bad = this.trust.verify(chain, host, this.opts.now?.() ?? new Date());
    if (!bad) return undefined;
    return this.opts.goTlsVerifyPrefix ? wrap(TransportError, 'net.tls-verify-wrap', bad) : bad;
  }

  private tlsOptions(host: string): tls.ConnectionOptions {
    return { servername: parseIp(host) ? undefined : host, rejectUnauthorized: false, secureContext: this.secureContext };
  }

  /**
   * TLS straight on the TCP socket (node's fast path). Go words a failed handshake by the first
   * bytes the server sent, which node's native TLS does not show: when those bytes matter, a
   * second, diagnostic handshake through a peeking stream finds out what the server says.
   */
  private tlsHandshake(raw: RawSocket, host: string, port: number, state: ConnState, memoKey?: string): Promise<Conn> {
    const socket = tls.connect({ socket: raw, ...this.tlsOptions(host) });
    const verified = memoKey === undefined ? undefined : (chain: Buffer[]) => rememberHandshake(memoKey, { chain });
    return this.settleHandshake(socket, raw, host, state, verified, async (e, bytesRead) => {
      const alert = alertFrom(e);
      if (alert) return alert;
      if (bytesRead < 5) {
        if (isSocketError(e)) return fail(TransportError, 'net.connection-reset', state.local, state.remote);
        return fail(TransportError, bytesRead > 0 ? 'net.unexpected-eof' : 'net.eof');
      }
      const diagnosed = await this.diagnoseHandshake(host, port);
      // Worded from the server's first bytes, which a server with a token always sends alike.
      if (diagnosed && memoKey !== undefined && FIRST_BYTES_ERRORS.has(diagnosed.code)) rememberHandshake(memoKey, { error: diagnosed });
      return diagnosed ?? fail(TransportError, 'net.tls-not-handshake');
    });
  }

  /** The handshake again over a stream that records the first bytes, to word a failure as Go does. */
  private async diagnoseHandshake(host: string, port: number): Promise<TransportError | undefined> {
    let dialed: { raw: RawSocket; state: ConnState };
    try {
      dialed = await this.dialRaw(host, port);
    } catch (e) {
      return asTransportError(e);
    }
    const { raw, state } = dialed;
    const seen: PeekState = { ...state, first: Buffer.alloc(0) };
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') seen.reset = true;
    });
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
      if (seen.first.length < 5) seen.first = Buffer.concat([seen.first, d]);
      pipe.push(d);
    });
    raw.on('end', () => pipe.push(null));
    raw.on('close', () => pipe.push(null));
    const socket = tls.connect({ socket: pipe, ...this.tlsOptions(host) });
    try {
      const conn = await this.settleHandshake(socket, raw, host, state, undefined, async (e) => peekedHandshakeError(e, seen));
      destroyConn(conn);
      return undefined;
    } catch (e) {
      return asTransportError(e);
    }
  }

  /** `verified` learns the chain of a handshake that succeeded. */
  private settleHandshake(
    socket: tls.TLSSocket,
    raw: RawSocket,
    host: string,
    state: ConnState,
    verified: ((chain: Buffer[]) => void) | undefined,
    failure: (e: Error | undefined, bytesRead: number) => Promise<TransportError>,
  ): Promise<Conn> {
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
      const failed = (e: Error | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        const bytesRead = raw.bytesRead;
        socket.destroy();
        raw.destroy();
        failure(e, bytesRead).then(reject, reject);
      };
      const onError = (e: Error) => failed(e);
      const onClose = () => failed(undefined);
      socket.once('error', onError);
      socket.once('close', onClose);
      socket.once('secureConnect', () => {
        if (this.opts.tls.insecureSkipVerify && !verified) return finish();
        const chain = peerChain(socket);
        const bad = this.verifyPeer(chain, host);
        if (!bad) verified?.(chain);
        finish(bad);
      });
    });
  }
}

/** Handshake failures decided by the first bytes the server sent, not by the connection's fate. */
const FIRST_BYTES_ERRORS = new Set<string>(['net.http-to-https', 'net.tls-not-handshake']);

interface PeekState extends ConnState {
  /** The first bytes the server sent (at least 5 once it sent that many). */
  first: Buffer;
}

/** An error of the socket itself (ECONNRESET from read/write), not node's "disconnected before the handshake" EOF. */
function isSocketError(e: Error | undefined): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return (err?.code === 'ECONNRESET' || err?.code === 'EPIPE') && typeof err.syscall === 'string';
}

/**
 * A dial's two views: the loopback socket pullsim opens (address, port) and the connection the
 * node sees (local, remote), the only one any text names.
 */
interface Dialed {
  address: string;
  port: number;
  local: string;
  remote: string;
  verifiedTls?: string;
  attach?: (server: MemorySocket) => void;
}

/** A connection to a fake server of this process: no kernel, the same bytes (memory-link.ts). */
function memoryConnect(address: string, port: number, attach: (server: MemorySocket) => void): MemorySocket {
  const [client, server] = MemorySocket.pair({ address, port });
  attach(server);
  return client;
}

function tcpConnect({ address, port, local, remote }: Dialed): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // Go sets TCP_NODELAY on every TCP connection; without it a request can wait on a delayed ACK.
    const s = net.connect({ host: address, port, noDelay: true });
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ECONNRESET' ? fail(TransportError, 'net.connection-reset', local, remote) : fail(TransportError, 'net.connection-refused', remote)),
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
function peekedHandshakeError(e: Error | undefined, state: PeekState): TransportError {
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

/**
 * The certificates the server sent, leaf first, linked through issuerCertificate (getPeerCertificate(true)
 * walks the same links but builds a legacy object per certificate, ~1000× slower).
 */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  for (let c = socket.getPeerX509Certificate(); c; c = c.issuerCertificate) {
    const der = c.raw;
    if (out.some((d) => d.equals(der))) break;
    out.push(der);
  }
  return out;
}

interface Exchange {
  response: Promise<HttpResponse>;
  /** True while not one byte of the response has arrived (Go's transportReadFromServerError). */
  nothingReceived(): boolean;
}

/**
 * Writes one request and reads its response as Go's persistConn does. `settled(reusable)` runs
 * synchronously when the exchange ends, so a kept connection is never without a listener.
 */
function exchange(conn: Conn, method: string, url: string, request: string, settled: (reusable: boolean) => void): Exchange {
  const { stream, state } = conn;
  let got = 0;
  const response = new Promise<HttpResponse>((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    let closes = false;
    let done = false;
    const settle = (reusable: boolean, fn: () => void) => {
      if (done) return;
      done = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
      if (!reusable) stream.on('error', () => {});
      settled(reusable);
      fn();
    };
    const respond = (body: Buffer, reusable: boolean, bodyError?: TransportError) => settle(reusable, () => resolve({ ...head!, url, body, bodyError }));
    const ended = (e?: Error) => {
      if (done) return;
      if (isSocketError(e)) state.reset = true;
      const cause = alertFrom(e) ?? (state.reset ? fail(TransportError, 'net.connection-reset', state.local, state.remote) : undefined);
      if (!head) {
        const err = cause ?? fail(TransportError, got > 0 ? 'net.unexpected-eof' : 'net.eof');
        return settle(false, () => reject(err));
      }
      const framing = bodyFraming(method, head);
      if (framing.kind === 'close') return respond(buf, false);
      if (framing.kind === 'chunked') return respond(decodeChunked(buf).body, false, cause ?? fail(TransportError, 'net.unexpected-eof'));
      respond(buf, false, cause ?? fail(TransportError, 'net.unexpected-eof'));
    };
    const progress = () => {
      try {
        if (!head) {
          const r = parseHead(buf);
          if ('need' in r) return;
          head = r.head;
          closes = shouldClose(buf, head);
          buf = r.rest;
        }
        const framing = bodyFraming(method, head);
        if (framing.kind === 'none') respond(Buffer.alloc(0), !closes && buf.length === 0);
        else if (framing.kind === 'length' && buf.length >= framing.length) respond(buf.subarray(0, framing.length), !closes && buf.length === framing.length);
        else if (framing.kind === 'chunked') {
          // The trailer may still be on its way, so a chunked response is never followed by another.
          const d = decodeChunked(buf);
          if (d.complete) respond(d.body, false);
        }
      } catch (e) {
        settle(false, () => reject(asTransportError(e)));
      }
    };
    const onData = (d: Buffer) => {
      got += d.length;
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      progress();
    };
    const onEnd = () => ended();
    const onError = (e: Error) => ended(e);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
    if (conn.preface !== undefined) {
      stream.write(conn.preface + request);
      conn.preface = undefined;
    } else stream.write(request);
  });
  return { response, nothingReceived: () => got === 0 };
}

/** Go's shouldClose for a response: HTTP/1.0 unless keep-alive, or "Connection: close". */
function shouldClose(raw: Buffer, head: ResponseHead): boolean {
  const tokens = (head.headers.get('connection') ?? []).flatMap((v) => v.toLowerCase().split(',').map((t) => t.trim()));
  if (tokens.includes('close')) return true;
  return raw.toString('latin1', 0, 9) === 'HTTP/1.0 ' && !tokens.includes('keep-alive');
}

function asTransportError(e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  throw e;
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

