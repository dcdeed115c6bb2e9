/**
 * One listening fake server: a registry (with its faults), token endpoints, or both, over plain
 * HTTP or HTTPS, on a loopback address. fastify carries the HTTP (plain GET/HEAD requests are
 * answered just before its routing, as it would answer them); the registry and token modules
 * decide every answer.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerFactory } from 'fastify';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { randomBytes } from 'node:crypto';
import { text } from '../src/errors/index.js';
import { VERIFIED_PREFACE_START } from '../src/pull/handshake-memo.js';
import type { MemorySocket } from '../src/pull/memory-link.js';
import type { FaultSpec } from '../src/scenario/types.js';
import { authScheme, loggedPath, type AccessEntry } from './access-log.js';
import type { TokenStore } from './auth.js';
import type { Clock } from './clock.js';
import { errorForStatus } from './distribution-errors.js';
import { notFoundPage, registryResponse, type ApiResponse, type RegistryContext } from './registry-api.js';
import { tokenResponse, type TokenRoute } from './token-api.js';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

export interface FakeServerOptions {
  tls?: TlsMaterial;
  registry?: { handle: string; ctx: RegistryContext; faults: FaultSpec };
  tokenRoutes: TokenRoute[];
  tokens: TokenStore;
  clock: Clock;
  onAccess(handle: string | undefined, entry: AccessEntry): void;
}

export interface RunningServer {
  /** The loopback address and port it listens on. */
  address: string;
  port: number;
  /**
   * Its token for handshakes already made (src/pull/handshake-memo.ts): an HTTPS server without
   * socket faults takes connections announced by it; a plain HTTP server fails every handshake alike.
   */
  verifiedTls?: string;
  /** Takes a connection from pullsim's own client in this process (src/pull/memory-link.ts); unset for a server with socket faults. */
  attach?: (socket: MemorySocket) => void;
  close(): Promise<void>;
}

interface Answer extends ApiResponse {
  server: AccessEntry['server'];
  handle?: string;
}

function answer(opts: FakeServerOptions, method: string, url: string, authorization: string | undefined, accept: string | string[] | undefined): Answer {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const handle = opts.registry?.handle;
  const faults = opts.registry?.faults;
  if (faults?.status) {
    const e = errorForStatus(faults.status);
    return { status: e.status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: e.body, server: 'registry', handle };
  }
  if (opts.registry) {
    const res = registryResponse(opts.registry.ctx, { method, path, authorization, accept });
    if (res) return { ...res, server: 'registry', handle };
  }
  const tokenRoute = method === 'GET' ? opts.tokenRoutes.find((r) => r.path === path) : undefined;
  if (tokenRoute) {
    const res = tokenResponse(tokenRoute, opts.tokens, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), authorization);
    return { ...res, server: 'token', handle: res.handle };
  }
  return { ...notFoundPage(), server: opts.registry ? 'registry' : 'token', handle };
}

function accessEntry(method: string, url: string, authorization: string | undefined, res: Answer, reset?: true): AccessEntry {
  const entry: AccessEntry = { server: res.server, method, path: loggedPath(url), status: res.status, auth: authScheme(authorization) };
  if (res.user !== undefined) entry.user = res.user;
  if (reset) entry.reset = reset;
  return entry;
}

/** Header lines as node writes them, content-length last as fastify adds it; kept for shared (frozen) answers. */
const wireHeads = new WeakMap<Record<string, string>, { bodyLength: number; head: string[] }>();

function wireHead(res: ApiResponse): string[] {
  const known = wireHeads.get(res.headers);
  if (known && known.bodyLength === res.body.length) return known.head;
  const head: string[] = [];
  for (const name of Object.keys(res.headers)) head.push(name, res.headers[name]!);
  head.push('content-length', String(res.body.length));
  if (Object.isFrozen(res.headers)) wireHeads.set(res.headers, { bodyLength: res.body.length, head });
  return head;
}

/**
 * Whether fastify would hand this request to the catch-all route unchanged: GET or HEAD, no
 * body, an origin-form target whose path part needs no percent-decoding (find-my-way answers
 * 400 for a bad escape there, and routes absolute and `*` targets elsewhere).
 */
function plainRequest(req: http.IncomingMessage): boolean {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') return false;
  const url = req.url!;
  if (url.charCodeAt(0) !== 0x2f) return false;
  const percent = url.indexOf('%');
  if (percent >= 0) {
    const query = url.indexOf('?');
    const fragment = url.indexOf('#');
    const pathEnd = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    if (pathEnd < 0 || percent < pathEnd) return false;
  }
  const headers = req.headers;
  return headers['content-length'] === undefined && headers['transfer-encoding'] === undefined;
}

/** The TCP socket under a request's socket: over HTTPS, the one node's TLS socket wraps (its `_parent`). */
function tcpSocketOf(socket: net.Socket | null): net.Socket | null {
  if (!socket) return null;
  const parent = (socket as unknown as { _parent?: unknown })._parent;
  return parent instanceof net.Socket ? parent : socket;
}

/**
 * `reset` fault: the status line, headers and part of the body go out, then a TCP RST;
 * `truncate` fault: the same, then a clean close (FIN).
 */
function cutMidResponse(reply: FastifyReply, res: Answer, how: 'reset' | 'truncate'): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const socket = tcpSocketOf(raw.socket as net.Socket | null);
  raw.writeHead(res.status, { ...res.headers, 'content-length': String(res.body.length + 1024) });
  return new Promise((resolve) => {
    raw.write(res.body.subarray(0, Math.ceil(res.body.length / 2)), () => {
      if (socket && !socket.destroyed) {
        if (how === 'reset') socket.resetAndDestroy();
        else socket.end();
      }
      resolve();
    });
  });
}

/** Go's tlsRecordHeaderLooksLikeHTTP: the first bytes of a plain HTTP request. */
const HTTP_STARTS = ['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO'];

/**
 * Listens for an HTTPS server the way Go's does: a client speaking plain HTTP to it gets Go's
 * `400 Client sent an HTTP request to an HTTPS server.` instead of a failed handshake. With
 * `verified`, a connection opening with that server's verified preface skips to `verified.plain`,
 * an HTTP server carrying the same requests as the HTTPS one.
 */
async function listenSniffing(
  server: https.Server,
  bind: { address: string; port: number },
  verified?: { token: string; plain: http.Server },
): Promise<{ port: number; accept(socket: net.Socket | MemorySocket): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket | MemorySocket>();
  const preface = verified && Buffer.from(VERIFIED_PREFACE_START + verified.token + '\n', 'latin1');
  const accept = (socket: net.Socket | MemorySocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let seen: Buffer = Buffer.alloc(0);
    const sniff = (data: Buffer) => {
      const first = seen.length ? Buffer.concat([seen, data]) : data;
      socket.pause();
      // Handing node's TLS server the socket itself (the sniffed bytes put back) keeps TLS native:
      // node feeds what is already buffered to the handshake.
      if (first[0] === 0x16) {
        socket.unshift(first);
        server.emit('connection', socket);
      } else if (first[0] === 0 && preface) {
        const n = Math.min(first.length, preface.length);
        if (!first.subarray(0, n).equals(preface.subarray(0, n))) socket.destroy();
        else if (n === preface.length) {
          if (first.length > n) socket.unshift(first.subarray(n));
          verified!.plain.emit('connection', socket);
          // node's HTTP server reads the socket's handle itself, which the pause above stopped.
          socket.resume();
        } else {
          // The preface came in parts: wait for the rest.
          seen = first;
          socket.once('data', sniff);
          socket.resume();
        }
      } else if (HTTP_STARTS.includes(first.subarray(0, 5).toString('latin1'))) socket.end(`HTTP/1.0 400 Bad Request\r\n\r\n${text('registry.http-on-https')}`);
      else socket.destroy();
    };
    socket.once('data', sniff);
  };
  // As Go's server (and node's http server) do: a response written in parts must not wait on a delayed ACK.
  const outer = net.createServer({ noDelay: true }, accept);
  await new Promise<void>((resolve, reject) => {
    outer.once('error', reject);
    outer.listen(bind.port, bind.address, () => resolve());
  });
  return {
    port: (outer.address() as net.AddressInfo).port,
    accept,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        outer.close(() => resolve());
      }),
  };
}

/**
 * Plain requests to a registry without request-shaping faults are answered at the server's
 * request event, before fastify's routing, request/reply objects and hooks: those cost about as
 * much as the whole answer. The reply is what fastify would send (same headers in the same
 * order, content-length last, body on GET only) and is logged on 'finish' as fastify's was;
 * everything else (faults, bodies, odd targets and methods, a closing server) goes to fastify.
 */
function direct(opts: FakeServerOptions, fastifyHandler: http.RequestListener, closing: () => boolean): http.RequestListener {
  const faults = opts.registry?.faults;
  if (faults?.status || faults?.delayMs || faults?.reset || faults?.truncate) return fastifyHandler;
  return (req, res) => {
    if (closing() || !plainRequest(req)) return fastifyHandler(req, res);
    const { method, url } = req as { method: string; url: string };
    const { authorization, accept } = req.headers;
    let a: Answer;
    try {
      a = answer(opts, method, url, authorization, accept);
    } catch {
      // fastify turns a throwing handler into its 500 answer; it gets the request to do so.
      return fastifyHandler(req, res);
    }
    res.on('finish', () => opts.onAccess(a.handle, accessEntry(method, url, authorization, a)));
    res.writeHead(a.status, wireHead(a));
    res.end(a.body);
  };
}

export async function startFakeServer(opts: FakeServerOptions, bind: { address: string; port: number }): Promise<RunningServer> {
  const tls = opts.tls;
  let closing = false;
  const isClosing = () => closing;
  // As fastify's own factory sets up an HTTP server; its HTTPS servers here always kept node's defaults.
  const httpFactory = (handler: http.RequestListener, options: { keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number }) => {
    const server = http.createServer(direct(opts, handler, isClosing));
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    return server;
  };
  let listener: http.RequestListener | undefined;
  const httpsFactory = (handler: http.RequestListener) => https.createServer({ cert: tls!.certPem, key: tls!.keyPem }, (listener = direct(opts, handler, isClosing)));
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    return503OnClosing: false,
    exposeHeadRoutes: false,
    serverFactory: (tls ? httpsFactory : httpFactory) as unknown as FastifyServerFactory,
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
  const log = (req: FastifyRequest, res: Answer, reset?: true) => opts.onAccess(res.handle, accessEntry(req.method, req.url, req.headers.authorization, res, reset));
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    handler: async (req, reply) => {
      const faults = opts.registry?.faults;
      if (faults?.delayMs) await opts.clock.sleep(faults.delayMs);
      const res = answer(opts, req.method, req.url, req.headers.authorization, req.headers.accept);
      if (faults?.reset || faults?.truncate) {
        await cutMidResponse(reply, res, faults.reset ? 'reset' : 'truncate');
        log(req, res, faults.reset ? true : undefined);
        return reply;
      }
      reply.raw.once('finish', () => log(req, res));
      return reply.code(res.status).headers(res.headers).send(res.body);
    },
  });
  // A fastify route matches '/*' only from '/': a request line with another target gets Go's 404 too.
  app.setNotFoundHandler((req, reply) => {
    const res = { ...notFoundPage(), server: 'registry' as const, handle: opts.registry?.handle };
    reply.raw.once('finish', () => log(req, res));
    return reply.code(res.status).headers(res.headers).send(res.body);
  });
  if (!tls) {
    await app.listen({ host: bind.address, port: bind.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : bind.port;
    const plain = app.server as unknown as http.Server;
    return {
      address: bind.address,
      port,
      // What it answers a TLS handshake with is the same every time (node's HTTP parser rejects it).
      verifiedTls: randomBytes(12).toString('hex'),
      attach: socketFaults(opts.registry?.faults) ? undefined : (socket) => plain.emit('connection', socket),
      close: () => {
        closing = true;
        return app.close();
      },
    };
  }
  await app.ready();
  const httpsServer = app.server as unknown as https.Server;
  // A reset fault acts on the TCP socket under TLS: such a server always makes the handshake.
  const verified = opts.registry?.faults.reset ? undefined : { token: randomBytes(12).toString('hex'), plain: plainTwin(httpsServer, listener!) };
  const outer = await listenSniffing(httpsServer, bind, verified);
  return {
    address: bind.address,
    port: outer.port,
    verifiedTls: verified?.token,
    attach: verified && !socketFaults(opts.registry?.faults) ? outer.accept : undefined,
    close: async () => {
      closing = true;
      await outer.close();
      await app.close();
    },
  };
}

/** Faults acted out on the TCP socket itself: the kernel's connection is part of what they show. */
function socketFaults(faults: FaultSpec | undefined): boolean {
  return Boolean(faults?.reset || faults?.truncate);
}

/** An HTTP server answering as `server` does (same request listener, timeouts and client-error handling). */
function plainTwin(server: https.Server, listener: http.RequestListener): http.Server {
  const twin = http.createServer(listener);
  twin.keepAliveTimeout = server.keepAliveTimeout;
  twin.headersTimeout = server.headersTimeout;
  twin.requestTimeout = server.requestTimeout;
  twin.timeout = server.timeout;
  twin.maxHeadersCount = server.maxHeadersCount;
  twin.maxRequestsPerSocket = server.maxRequestsPerSocket;
  for (const l of server.listeners('clientError')) twin.on('clientError', l as (err: Error, socket: net.Socket) => void);
  return twin;
}
