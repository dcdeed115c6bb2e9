/**
 * What every TLS connection of a pull used to rebuild, kept once: the client's secure context per
 * certs.d client-certificate set, parsed certificates per DER, and per trust set (certs.d CAs) the
 * server chains already verified. Labs regenerate nothing mid-scenario, so the same chain comes
 * back for every connection to a registry; each cache is keyed by the bytes it was built from.
 */
import tls from 'node:tls';
import { fail, TransportError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { verifyServerChain } from './tls-verify.js';
import { parseCert, type ParsedCert } from './x509-cert.js';

/** Above this many entries a cache starts over: a long run-many meets new labs, not old ones again. */
const MAX_ENTRIES = 2048;

function bounded<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
  return value;
}

/** The node's system trust store (RHEL/RHCOS extracted bundle): the CAs a scenario marks `trusted`. */
export const SYSTEM_CA_BUNDLE = '/etc/pki/tls/certs/ca-bundle.crt';

/** The system roots every verified connection starts from (Go's SystemCertPool), before certs.d adds its CAs. */
export function systemCas(fs: NodeFS): string[] {
  const bundle = fs.read(SYSTEM_CA_BUNDLE);
  return bundle === undefined ? [] : [bundle];
}

const contexts = new Map<string, tls.SecureContext>();

/** One secure context per set of certs.d client certificates (none: the shared default). */
export function secureContextFor(clientCerts: readonly { cert: string; key: string }[]): tls.SecureContext {
  const key = clientCerts.map((c) => `${c.cert}\0${c.key}`).join('\0\0');
  return (
    contexts.get(key) ??
    bounded(contexts, key, tls.createSecureContext(clientCerts.length > 0 ? { cert: clientCerts.map((c) => c.cert), key: clientCerts.map((c) => c.key) } : {}))
  );
}

const parsed = new Map<string, ParsedCert>();

/** parseCert, once per DER; throws CertParseError as parseCert does. */
export function parseCertOnce(der: Buffer): ParsedCert {
  const key = der.toString('base64');
  return parsed.get(key) ?? bounded(parsed, key, parseCert(der));
}

/** The times (ms) between which every certificate that decided a verification keeps its validity status. */
interface Window {
  from: number;
  until: number;
}

export interface TrustStore {
  roots: ParsedCert[];
  /** verifyServerChain with this store's roots; a success is remembered while no certificate involved changes validity. */
  verify(chain: readonly Buffer[], serverName: string, now: Date): TransportError | undefined;
}

const stores = new Map<string, TrustStore>();

/** The trust store for the certs.d CA PEM texts of a connection (x509.CertPool, which skips what it cannot parse). */
export function trustStoreFor(cas: readonly string[]): TrustStore {
  const key = cas.join('\0');
  return stores.get(key) ?? bounded(stores, key, newTrustStore(cas));
}

function newTrustStore(cas: readonly string[]): TrustStore {
  const roots = cas.flatMap(pemCerts).flatMap((der) => {
    try {
      return [parseCertOnce(der)];
    } catch {
      return [];
    }
  });
  const verified = new Map<string, Window>();
  return {
    roots,
    verify(chainDer, serverName, now) {
      const key = `${serverName}\0${chainDer.map((d) => d.toString('base64')).join('\0')}`;
      const t = now.getTime();
      const hit = verified.get(key);
      if (hit && hit.from <= t && t <= hit.until) return undefined;
      let chain: ParsedCert[];
      try {
        chain = chainDer.map(parseCertOnce);
      } catch {
        return fail(TransportError, 'net.x509-malformed');
      }
      const err = verifyServerChain({ chain, roots, serverName, now });
      // Failures are not kept: their texts can name the current time, and they end the pull anyway.
      if (!err) bounded(verified, key, validityWindow([...chain, ...roots], t));
      return err;
    },
  };
}

/** Go's checks compare now with NotBefore (now < nb) and NotAfter (now > na), to the millisecond here. */
function validityWindow(certs: readonly ParsedCert[], t: number): Window {
  let from = -Infinity;
  let until = Infinity;
  for (const c of certs) {
    const nb = c.notBefore.getTime();
    const na = c.notAfter.getTime();
    if (t < nb) until = Math.min(until, nb - 1);
    else if (t > na) from = Math.max(from, na + 1);
    else {
      from = Math.max(from, nb);
      until = Math.min(until, na);
    }
  }
  return { from, until };
}

function pemCerts(pem: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  }
  return out;
}
