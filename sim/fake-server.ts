/**
 * One listening fake server: a registry (with its faults), token endpoints, or both, over plain
 * HTTP or HTTPS, on a loopback address. fastify carries the HTTP; the registry and token modules
 * decide every answer.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerFactory } from 'fastify';
import type * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { text } from '../src/errors/index.js';
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
  close(): Promise<void>;
}

interface Answer extends ApiResponse {
  server: AccessEntry['server'];
  handle?: string;
}

function answer(opts: FakeServerOptions, req: FastifyRequest): Answer {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const handle = opts.registry?.handle;
  const faults = opts.registry?.faults;
  if (faults?.status) {
    const e = errorForStatus(faults.status);
    return { status: e.status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: e.body, server: 'registry', handle };
  }
  if (opts.registry) {
    const res = registryResponse(opts.registry.ctx, { method: req.method, path, authorization: req.headers.authorization, accept: req.headers.accept });
    if (res) return { ...res, server: 'registry', handle };
  }
  const tokenRoute = req.method === 'GET' ? opts.tokenRoutes.find((r) => r.path === path) : undefined;
  if (tokenRoute) {
    const res = tokenResponse(tokenRoute, opts.tokens, new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)), req.headers.authorization);
    return { ...res, server: 'token', handle: res.handle };
  }
  return { ...notFoundPage(), server: opts.registry ? 'registry' : 'token', handle };
}

/** The TCP socket under a request's socket: over HTTPS, the one node's TLS socket wraps (its `_parent`). */
function tcpSocketOf(socket: net.Socket | null): net.Socket | null {
  if (!socket) return null;
  const parent = (socket as unknown as { _parent?: unknown })._parent;
  return parent instanceof net.Socket ? parent : socket;
}

/** `reset` fault: the status line, headers and part of the body go out, then a TCP RST. */
function resetMidResponse(reply: FastifyReply, res: Answer): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const socket = tcpSocketOf(raw.socket as net.Socket | null);
  raw.writeHead(res.status, { ...res.headers, 'content-length': String(res.body.length + 1024) });
  return new Promise((resolve) => {
    raw.write(res.body.subarray(0, Math.ceil(res.body.length / 2)), () => {
      if (socket && !socket.destroyed) socket.resetAndDestroy();
      resolve();
    });
  });
}

/** Go's tlsRecordHeaderLooksLikeHTTP: the first bytes of a plain HTTP request. */
const HTTP_STARTS = ['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO'];

/**
 * Listens for an HTTPS server the way Go's does: a client speaking plain HTTP to it gets Go's
 * `400 Client sent an HTTP request to an HTTPS server.` instead of a failed handshake.
 */
async function listenSniffing(server: https.Server, bind: { address: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  // As Go's server (and node's http server) do: a response written in parts must not wait on a delayed ACK.
  const outer = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      // Handing node's TLS server the socket itself (the sniffed bytes put back) keeps TLS native:
      // node feeds what is already buffered to the handshake.
      if (first[0] === 0x16) {
        socket.unshift(first);
        server.emit('connection', socket);
      }
      else if (HTTP_STARTS.includes(first.subarray(0, 5).toString('latin1'))) socket.end(`HTTP/1.0 400 Bad Request\r\n\r\n${text('registry.http-on-https')}`);
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    outer.once('error', reject);
    outer.listen(bind.port, bind.address, () => resolve());
  });
  return {
    port: (outer.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        outer.close(() => resolve());
      }),
  };
}

export async function startFakeServer(opts: FakeServerOptions, bind: { address: string; port: number }): Promise<RunningServer> {
  const tls = opts.tls;
  const httpsFactory = (handler: http.RequestListener) => https.createServer({ cert: tls!.certPem, key: tls!.keyPem }, handler);
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    return503OnClosing: false,
    exposeHeadRoutes: false,
    ...(tls ? { serverFactory: httpsFactory as unknown as FastifyServerFactory } : {}),
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
  const log = (req: FastifyRequest, res: Answer, status: number, reset?: true) => {
    const entry: AccessEntry = { server: res.server, method: req.method, path: loggedPath(req.url), status, auth: authScheme(req.headers.authorization) };
    if (res.user !== undefined) entry.user = res.user;
    if (reset) entry.reset = reset;
    opts.onAccess(res.handle, entry);
  };
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    handler: async (req, reply) => {
      const faults = opts.registry?.faults;
      if (faults?.delayMs) await opts.clock.sleep(faults.delayMs);
      const res = answer(opts, req);
      if (faults?.reset) {
        await resetMidResponse(reply, res);
        log(req, res, res.status, true);
        return reply;
      }
      reply.raw.once('finish', () => log(req, res, res.status));
      return reply.code(res.status).headers(res.headers).send(res.body);
    },
  });
  // A fastify route matches '/*' only from '/': a request line with another target gets Go's 404 too.
  app.setNotFoundHandler((req, reply) => {
    const res = { ...notFoundPage(), server: 'registry' as const, handle: opts.registry?.handle };
    reply.raw.once('finish', () => log(req, res, res.status));
    return reply.code(res.status).headers(res.headers).send(res.body);
  });
  if (!tls) {
    await app.listen({ host: bind.address, port: bind.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : bind.port;
    return { address: bind.address, port, close: () => app.close() };
  }
  await app.ready();
  const outer = await listenSniffing(app.server as unknown as https.Server, bind);
  return {
    address: bind.address,
    port: outer.port,
    close: async () => {
      await outer.close();
      await app.close();
    },
  };
}
