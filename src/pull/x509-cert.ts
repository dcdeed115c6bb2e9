/**
 * The fields of an X.509 certificate that Go's crypto/x509 Verify looks at, read straight from
 * the DER. node:crypto's X509Certificate hides the order of SANs and the raw names Go compares
 * byte for byte, so we decode the few structures ourselves and keep node:crypto for signatures.
 */
import { X509Certificate } from 'node:crypto';

export interface ParsedCert {
  der: Buffer;
  /** Raw DER of the issuer and subject Names: Go matches parents by these bytes. */
  rawIssuer: string;
  rawSubject: string;
  commonName: string;
  organization: string[];
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
  hasSANExtension: boolean;
  dnsNames: string[];
  /** IP SANs as raw bytes (4 or 16), in certificate order. */
  ipAddresses: Buffer[];
  basicConstraintsValid: boolean;
  isCA: boolean;
  version: number;
  /** KeyUsage bits as Go numbers them (bit 0 = digitalSignature); 0 when absent. */
  keyUsage: number;
  /** Extended key usage OIDs (dotted); undefined when the extension is absent. */
  extKeyUsage?: string[];
  node: X509Certificate;
}

export class CertParseError extends Error {}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(buf: Buffer, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new CertParseError('truncated element');
  const tag = buf[pos];
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new CertParseError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new CertParseError('truncated element');
  return { tag, start: pos, contentStart: p, end: p + len };
}

function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

function oidString(bytes: Buffer): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    v = v * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

function parseTime(buf: Buffer, t: Tlv): Date {
  const s = buf.toString('latin1', t.contentStart, t.end);
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new CertParseError('bad time');
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_SAN = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EKU = '2.5.29.37';

function readName(buf: Buffer, name: Tlv): { cn: string; org: string[] } {
  let cn = '';
  const org: string[] = [];
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [type, value] = children(buf, atv);
      if (!type || !value) continue;
      const oid = oidString(buf.subarray(type.contentStart, type.end));
      const str = buf.toString(value.tag === 0x1e ? 'utf16le' : 'utf8', value.contentStart, value.end);
      if (oid === OID_CN) cn = str;
      else if (oid === OID_O) org.push(str);
    }
  }
  return { cn, org };
}

/** Parses one DER certificate; throws CertParseError when it is not one. */
export function parseCert(der: Buffer): ParsedCert {
  const cert = readTlv(der, 0, der.length);
  const [tbs] = children(der, cert);
  if (!tbs) throw new CertParseError('no tbsCertificate');
  const f = children(der, tbs);
  let i = 0;
  let version = 1;
  if (f[i]?.tag === 0xa0) {
    const [v] = children(der, f[i]);
    version = der[v.end - 1] + 1;
    i++;
  }
  const serial = f[i++];
  i++; // signature algorithm
  const issuer = f[i++];
  const validity = f[i++];
  const subject = f[i++];
  i++; // subjectPublicKeyInfo
  if (!serial || !issuer || !validity || !subject) throw new CertParseError('short tbsCertificate');
  const [nb, na] = children(der, validity);
  const parsed: ParsedCert = {
    der,
    rawIssuer: der.toString('hex', issuer.start, issuer.end),
    rawSubject: der.toString('hex', subject.start, subject.end),
    commonName: '',
    organization: [],
    serialNumber: BigInt('0x' + (der.toString('hex', serial.contentStart, serial.end) || '0')),
    notBefore: parseTime(der, nb),
    notAfter: parseTime(der, na),
    hasSANExtension: false,
    dnsNames: [],
    ipAddresses: [],
    basicConstraintsValid: false,
    isCA: false,
    version,
    keyUsage: 0,
    node: new X509Certificate(der),
  };
  const subj = readName(der, subject);
  parsed.commonName = subj.cn;
  parsed.organization = subj.org;
  const extWrapper = f.slice(i).find((t) => t.tag === 0xa3);
  if (extWrapper) {
    const [extSeq] = children(der, extWrapper);
    for (const ext of children(der, extSeq)) readExtension(der, ext, parsed);
  }
  return parsed;
}

function readExtension(der: Buffer, ext: Tlv, out: ParsedCert): void {
  const parts = children(der, ext);
  const oid = oidString(der.subarray(parts[0].contentStart, parts[0].end));
  const value = parts[parts.length - 1];
  const inner = readTlv(der, value.contentStart, value.end);
  switch (oid) {
    case OID_SAN:
      out.hasSANExtension = true;
      for (const gn of children(der, inner)) {
        if (gn.tag === 0x82) out.dnsNames.push(der.toString('latin1', gn.contentStart, gn.end));
        else if (gn.tag === 0x87) out.ipAddresses.push(Buffer.from(der.subarray(gn.contentStart, gn.end)));
      }
      break;
    case OID_BASIC_CONSTRAINTS: {
      out.basicConstraintsValid = true;
      const [first] = children(der, inner);
      out.isCA = first?.tag === 0x01 && der[first.contentStart] !== 0;
      break;
    }
    case OID_KEY_USAGE: {
      const unused = der[inner.contentStart];
      let bits = 0;
      const bytes = der.subarray(inner.contentStart + 1, inner.end);
      for (let b = 0; b < bytes.length * 8 - unused; b++) if (bytes[b >> 3] & (0x80 >> (b & 7))) bits |= 1 << b;
      out.keyUsage = bits;
      break;
    }
    case OID_EKU:
      out.extKeyUsage = children(der, inner).map((t) => oidString(der.subarray(t.contentStart, t.end)));
      break;
  }
}

/** Go's net.IP.String(): dotted quad for IPv4 (and v4-mapped), RFC 5952 for IPv6. */
export function formatIp(ip: Buffer): string {
  if (ip.length === 4) return [...ip].join('.');
  if (ip.length !== 16) return '?' + ip.toString('hex');
  if (ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff) return [...ip.subarray(12)].join('.');
  const groups: number[] = [];
  for (let g = 0; g < 8; g++) groups.push(ip.readUInt16BE(g * 2));
  let bestStart = -1;
  let bestLen = 0;
  for (let g = 0; g < 8; ) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let e = g;
    while (e < 8 && groups[e] === 0) e++;
    if (e - g > bestLen && e - g >= 2) {
      bestStart = g;
      bestLen = e - g;
    }
    g = e;
  }
  const hex = groups.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

/** Go's net.ParseIP for the host forms a URL can carry; undefined when not an IP literal. */
export function parseIp(s: string): Buffer | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x, k) => x > 255 || (v4[k + 1].length > 1 && v4[k + 1][0] === '0'))) return undefined;
    return Buffer.from(b);
  }
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const buf = Buffer.alloc(16);
  groups.forEach((g, k) => buf.writeUInt16BE(g, k * 2));
  return buf;
}

/** Go's net.IP.Equal: an IPv4 address equals its v4-mapped IPv6 form. */
export function ipEqual(a: Buffer, b: Buffer): boolean {
  const norm = (x: Buffer) => (x.length === 4 ? Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), x]) : x);
  return norm(a).equals(norm(b));
}
