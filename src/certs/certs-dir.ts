/**
 * Which CA and client certificates containers/image uses for a registry host
 * (docker/docker_client.go dockerCertDir, pkg/tlsclientconfig SetupCertificates).
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import * as path from 'node:path';
import { fail, TransportError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import type { SystemContext } from '../system-context.js';

export interface CertsForHost {
  /** The directory read, when one exists. */
  dir?: string;
  /** Directories looked at, in order, for traces. */
  tried: string[];
  /** `*.crt` files: `pem` holds only the CERTIFICATE blocks Go's AppendCertsFromPEM would take. */
  cas: { path: string; pem: string }[];
  clientCerts: { certPath: string; keyPath: string; cert: string; key: string }[];
  /** SetupCertificates' error: the client fails before any connection. */
  error?: TransportError;
}

const SYSTEM_CERT_DIRS = ['/etc/containers/certs.d', '/etc/docker/certs.d'];

/**
 * dockerCertDir: --cert-dir replaces everything; otherwise the first existing of the per-user
 * and system per-host directories is the only one read. `hostPort` exactly as in the reference
 * (no :443 added).
 */
export function certDirFor(fs: NodeFS, sys: SystemContext, hostPort: string): { dir: string; tried: string[] } {
  if (sys.dockerCertPath) return { dir: sys.dockerCertPath, tried: [sys.dockerCertPath] };
  const tried: string[] = [];
  let dir = '';
  for (const base of [path.posix.join(sys.home, '.config/containers/certs.d'), ...SYSTEM_CERT_DIRS]) {
    dir = path.posix.join(base, hostPort);
    tried.push(dir);
    if (fs.exists(dir)) break;
  }
  return { dir, tried };
}

export function certsFor(fs: NodeFS, sys: SystemContext, hostPort: string): CertsForHost {
  const { dir, tried } = certDirFor(fs, sys, hostPort);
  const out: CertsForHost = { tried, cas: [], clientCerts: [] };
  if (!fs.isDir(dir)) return out;
  out.dir = dir;
  const names = fs.list(dir);
  const has = new Set(names);
  for (const name of names) {
    const full = path.posix.join(dir, name);
    if (name.endsWith('.crt')) {
      const pem = fs.read(full);
      if (pem !== undefined) out.cas.push({ path: full, pem: certificateBlocks(pem).join('') });
    }
    if (name.endsWith('.cert')) {
      const keyName = `${name.slice(0, -5)}.key`;
      if (!has.has(keyName)) return { ...out, error: fail(TransportError, 'certs.missing-key', keyName, name) };
      const keyPath = path.posix.join(dir, keyName);
      const cert = fs.read(full) ?? '';
      const key = fs.read(keyPath) ?? '';
      const error = x509KeyPairError(cert, key);
      if (error) return { ...out, error };
      out.clientCerts.push({ certPath: full, keyPath, cert, key });
    }
    if (name.endsWith('.key')) {
      const certName = `${name.slice(0, -4)}.cert`;
      if (!has.has(certName)) return { ...out, error: fail(TransportError, 'certs.missing-cert', certName, name) };
    }
  }
  return out;
}

interface PemBlock {
  type: string;
  hasHeaders: boolean;
  text: string;
}

/** encoding/pem's Decode loop, enough to tell block types apart. */
function pemBlocks(data: string): PemBlock[] {
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  const out: PemBlock[] = [];
  for (let m = re.exec(data); m; m = re.exec(data)) {
    out.push({ type: m[1], hasHeaders: /^[^\n]*:/.test(m[2]), text: `${m[0]}\n` });
  }
  return out;
}

/** Whether a CERTIFICATE block parses, by its text: every pull reads the same certs.d files again. */
const blockParses = new Map<string, boolean>();

function parses(block: string): boolean {
  let ok = blockParses.get(block);
  if (ok === undefined) {
    try {
      new X509Certificate(block);
      ok = true;
    } catch {
      ok = false;
    }
    if (blockParses.size >= 4096) blockParses.clear();
    blockParses.set(block, ok);
  }
  return ok;
}

/** AppendCertsFromPEM skips other block types, blocks with headers and certificates that do not parse. */
export function certificateBlocks(pem: string): string[] {
  return pemBlocks(pem)
    .filter((b) => b.type === 'CERTIFICATE' && !b.hasHeaders && parses(b.text))
    .map((b) => b.text);
}

/** tls.X509KeyPair's checks, in its order, with its texts. */
export function x509KeyPairError(cert: string, key: string): TransportError | undefined {
  const certBlocks = pemBlocks(cert);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return fail(TransportError, 'certs.no-cert-pem');
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) return fail(TransportError, 'certs.cert-input-has-key');
    return fail(TransportError, 'certs.cert-skipped', `[${skipped.join(' ')}]`);
  }
  const keyBlocks = pemBlocks(key);
  const keyBlock = keyBlocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (!keyBlock) {
    const skipped = keyBlocks.slice(0).map((b) => b.type);
    if (skipped.length === 0) return fail(TransportError, 'certs.no-key-pem');
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return fail(TransportError, 'certs.key-input-has-cert');
    return fail(TransportError, 'certs.key-skipped', `[${skipped.join(' ')}]`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certs[0].text);
  } catch {
    return fail(TransportError, 'certs.bad-cert');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(keyBlock.text);
  } catch {
    return fail(TransportError, 'certs.bad-key');
  }
  const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const fromCert = x509.publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert) ? undefined : fail(TransportError, 'certs.key-mismatch');
}
