/**
 * Go 1.19's crypto/x509 Certificate.Verify as crypto/tls calls it for a client: validity of the
 * leaf, then the host name, then a chain to one of the trusted roots, then the key usage. The
 * order decides which error a user sees when several things are wrong, so it is kept exactly.
 */
import { fail, text, TransportError } from '../errors/index.js';
import { formatIp, ipEqual, parseIp, type ParsedCert } from './x509-cert.js';

export interface VerifyOptions {
  /** What the server sent, leaf first. */
  chain: ParsedCert[];
  /** The only trusted roots (no system pool). */
  roots: ParsedCert[];
  /** The host name or IP literal from the URL (tls.Config.ServerName as net/http sets it). */
  serverName: string;
  now: Date;
}

const MAX_SIGNATURE_CHECKS = 100;
const EKU_ANY = '2.5.29.37.0';
const EKU_SERVER_AUTH = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.4.1.311.10.3.3', '2.16.840.1.113730.4.1'];
const KEY_USAGE_CERT_SIGN = 1 << 5;

/** Returns the error Go's Verify reports, or undefined when the chain is trusted for serverName. */
export function verifyServerChain(opts: VerifyOptions): TransportError | undefined {
  const [leaf, ...intermediates] = opts.chain;
  if (!leaf) return fail(TransportError, 'net.x509-malformed');
  const validity = checkValidity(leaf, opts.now);
  if (validity) return validity;
  const hostErr = verifyHostname(leaf, opts.serverName);
  if (hostErr) return hostErr;

  let chains: ParsedCert[][];
  if (opts.roots.some((r) => r.der.equals(leaf.der))) chains = [[leaf]];
  else {
    const built = buildChains(leaf, [leaf], { count: 0 }, opts.roots, intermediates, opts.now, new Map());
    if (built.err) return built.err;
    chains = built.chains;
  }
  if (!chains.some(chainAllowsServerAuth)) return fail(TransportError, 'net.x509-incompatible-usage');
  return undefined;
}

function checkValidity(c: ParsedCert, now: Date): TransportError | undefined {
  if (now < c.notBefore) return fail(TransportError, 'net.x509-not-yet-valid', rfc3339(now), rfc3339(c.notBefore));
  if (now > c.notAfter) return fail(TransportError, 'net.x509-expired', rfc3339(now), rfc3339(c.notAfter));
  return undefined;
}

/** time.Format(time.RFC3339) of a UTC time (a node's clock runs in UTC). */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function verifyHostname(c: ParsedCert, host: string): TransportError | undefined {
  const candidateIp = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ip = parseIp(candidateIp);
  if (ip) {
    if (c.ipAddresses.some((san) => ipEqual(san, ip))) return undefined;
    return hostnameError(c, candidateIp);
  }
  const name = host.toLowerCase();
  const validName = validHostname(name, false);
  for (const match of c.dnsNames) {
    if (validName && validHostname(match, true) ? matchHostnames(match, name) : matchExactly(match, name)) return undefined;
  }
  return hostnameError(c, host);
}

function hostnameError(c: ParsedCert, host: string): TransportError {
  if (!c.hasSANExtension && matchHostnames(c.commonName, host)) return fail(TransportError, 'net.x509-legacy-cn');
  let valid: string;
  if (parseIp(host)) {
    if (c.ipAddresses.length === 0) return fail(TransportError, 'net.x509-no-ip-sans', host);
    valid = c.ipAddresses.map(formatIp).join(', ');
  } else valid = c.dnsNames.join(', ');
  if (valid === '') return fail(TransportError, 'net.x509-no-names', host);
  return fail(TransportError, 'net.x509-name-mismatch', valid, host);
}

function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern && host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0) return false;
  return host.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return [...part].every((ch, j) => /[a-zA-Z0-9_]/.test(ch) || (ch === '-' && j !== 0));
  });
}

function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return a.toLowerCase() === b.toLowerCase();
}

function matchHostnames(pattern: string, host: string): boolean {
  pattern = pattern.toLowerCase();
  host = host.toLowerCase().replace(/\.$/, '');
  if (pattern.length === 0 || host.length === 0) return false;
  const pp = pattern.split('.');
  const hp = host.split('.');
  if (pp.length !== hp.length) return false;
  return pp.every((p, i) => (i === 0 && p === '*') || p === hp[i]);
}

interface Built {
  chains: ParsedCert[][];
  err?: TransportError;
}

function buildChains(
  c: ParsedCert,
  current: ParsedCert[],
  sigChecks: { count: number },
  roots: ParsedCert[],
  intermediates: ParsedCert[],
  now: Date,
  cache: Map<ParsedCert, ParsedCert[][]>,
): Built {
  const chains: ParsedCert[][] = [];
  let err: TransportError | undefined;
  let hint: { text: string; cert: ParsedCert } | undefined;
  const consider = (isRoot: boolean, candidate: ParsedCert) => {
    if (current.some((x) => x.der.equals(candidate.der))) return;
    if (++sigChecks.count > MAX_SIGNATURE_CHECKS) {
      err = fail(TransportError, 'net.x509-sig-limit');
      return;
    }
    const sigErr = checkSignatureFrom(c, candidate);
    if (sigErr) {
      hint ??= { text: sigErr, cert: candidate };
      return;
    }
    const invalid = checkValidity(candidate, now) ?? (!isRoot && (!candidate.basicConstraintsValid || !candidate.isCA) ? notAuthorizedToSign() : undefined);
    if (invalid) {
      err = invalid;
      return;
    }
    if (isRoot) chains.push([...current, candidate]);
    else {
      let child = cache.get(candidate);
      if (!child) {
        const built = buildChains(candidate, [...current, candidate], sigChecks, roots, intermediates, now, cache);
        child = built.chains;
        err = built.err;
        cache.set(candidate, child);
      }
      chains.push(...child);
    }
  };
  for (const r of roots) if (r.rawSubject === c.rawIssuer) consider(true, r);
  for (const i of intermediates) if (i.rawSubject === c.rawIssuer) consider(false, i);
  if (chains.length > 0) err = undefined;
  if (chains.length === 0 && !err) {
    err = hint
      ? fail(TransportError, 'net.x509-unknown-authority-hint', hint.text, hintName(hint.cert))
      : fail(TransportError, 'net.x509-unknown-authority');
  }
  return { chains, err };
}

function notAuthorizedToSign(): TransportError {
  return fail(TransportError, 'net.x509-not-authorized');
}

function hintName(c: ParsedCert): string {
  if (c.commonName) return c.commonName;
  if (c.organization.length > 0) return c.organization[0];
  return 'serial:' + c.serialNumber.toString();
}

/** Go's CheckSignatureFrom: the error text, or undefined when parent signed c. */
function checkSignatureFrom(c: ParsedCert, parent: ParsedCert): string | undefined {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) return text('net.x509-not-ca');
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) return text('net.x509-not-ca');
  let ok = false;
  try {
    ok = c.node.verify(parent.node.publicKey);
  } catch {
    ok = false;
  }
  if (ok) return undefined;
  switch (parent.node.publicKey.asymmetricKeyType) {
    case 'ec':
      return text('net.x509-ecdsa-verification');
    case 'ed25519':
      return text('net.x509-ed25519-verification');
    default:
      return text('net.x509-rsa-verification');
  }
}

function chainAllowsServerAuth(chain: ParsedCert[]): boolean {
  return chain.every((cert) => {
    const eku = cert.extKeyUsage;
    if (!eku || eku.length === 0 || eku.includes(EKU_ANY)) return true;
    return eku.some((o) => EKU_SERVER_AUTH.includes(o));
  });
}
