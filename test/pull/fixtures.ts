import { TransportError } from '../../src/errors/index.js';
/** Test-only certificates, loopback servers and a Dialer mapping emulated names to them. */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import type { Dialer, DialResult } from '../../src/pull/dialer.js';

export interface KeyCert {
  cert: string;
  key: string;
  forgeCert: forge.pki.Certificate;
  forgeKey: forge.pki.rsa.PrivateKey;
}

let serial = 1;

function rsaKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
}

export interface CertSpec {
  cn: string;
  org?: string;
  dns?: string[];
  ips?: string[];
  /** Omit the SAN extension entirely (legacy CN-only certificate). */
  noSan?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  isCA?: boolean;
  eku?: 'serverAuth' | 'clientAuth';
}

export function makeCert(spec: CertSpec, issuer?: KeyCert): KeyCert {
  const key = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * 86400_000);
  const attrs = [{ name: 'commonName', value: spec.cn }, ...(spec.org ? [{ name: 'organizationName', value: spec.org }] : [])];
  cert.setSubject(attrs);
  cert.setIssuer(issuer ? issuer.forgeCert.subject.attributes : attrs);
  const exts: object[] = [{ name: 'basicConstraints', cA: !!spec.isCA, critical: true }];
  if (spec.isCA) exts.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
  if (!spec.isCA && !spec.noSan) {
    exts.push({ name: 'subjectAltName', altNames: [...(spec.dns ?? []).map((value) => ({ type: 2, value })), ...(spec.ips ?? []).map((ip) => ({ type: 7, ip }))] });
  }
  if (spec.eku) exts.push({ name: 'extKeyUsage', [spec.eku]: true });
  cert.setExtensions(exts);
  cert.sign(issuer ? issuer.forgeKey : key, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(key), forgeCert: cert, forgeKey: key };
}

export const makeCA = (cn: string, extra: Partial<CertSpec> = {}) => makeCert({ cn, isCA: true, ...extra });

export interface TestServer {
  port: number;
  close(): Promise<void>;
  /** Requests seen: method, url, authorization header. */
  log: { method: string; url: string; authorization?: string; accept?: string[] }[];
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startServer(handler: Handler, tlsOpts?: https.ServerOptions): Promise<TestServer> {
  const log: TestServer['log'] = [];
  const wrapped: Handler = (req, res) => {
    log.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, accept: req.headersDistinct?.accept });
    handler(req, res);
  };
  const server = tlsOpts ? https.createServer(tlsOpts, wrapped) : http.createServer(wrapped);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

/** A raw TCP server whose connection handler does what a misbehaving registry does. */
export async function startRawServer(onConn: (s: net.Socket) => void): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    log: [],
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Maps host:port as the emulated node sees it to a loopback server port. */
export class TestDialer implements Dialer {
  readonly dials: string[] = [];
  constructor(private readonly routes: Record<string, { port?: number; ip?: string; nxdomain?: boolean }>) {}
  dial(host: string, port: number): DialResult {
    this.dials.push(`${host}:${port}`);
    const r = this.routes[`${host}:${port}`] ?? this.routes[host];
    if (!r || r.nxdomain) return { ok: false, error: 'nxdomain', host };
    const ip = r.ip ?? (net.isIP(host) ? host : '127.0.0.1');
    if (r.port === undefined) return { ok: false, error: 'refused', ip, port };
    return { ok: true, address: '127.0.0.1', port: r.port, ip };
  }
}

/** The TransportError a request fails with (anything else, or success, fails the test). */
export async function errorOf(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
