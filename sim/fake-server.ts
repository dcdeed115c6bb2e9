/**
 * One listening fake server: a registry (with its faults), token endpoints, or both, over plain
 * HTTP or HTTPS, on a loopback address. fastify carries the HTTP; the registry and token modules
 * decide every answer.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
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

/** `reset` fault: the status line, headers and part of the body go out, then a TCP RST. */
function resetMidResponse(reply: FastifyReply, res: Answer): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const socket = raw.socket as Socket | null;
  raw.writeHead(res.status, { ...res.headers, 'content-length': String(res.body.length + 1024) });
  return new Promise((resolve) => {
    raw.write(res.body.subarray(0, Math.ceil(res.body.length / 2)), () => {
      socket?.resetAndDestroy();
      resolve();
    });
  });
}

export async function startFakeServer(opts: FakeServerOptions, bind: { address: string; port: number }): Promise<RunningServer> {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    return503OnClosing: false,
    exposeHeadRoutes: false,
    ...(opts.tls ? { https: { cert: opts.tls.certPem, key: opts.tls.keyPem } } : {}),
  });
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
  await app.listen({ host: bind.address, port: bind.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : bind.port;
  return { address: bind.address, port, close: () => app.close() };
}
