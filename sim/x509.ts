/**
 * X.509 v3 certificates with ECDSA P-256 keys, built with node:crypto (key generation and signing
 * take well under a millisecond, so every scenario gets fresh CAs and leaves).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface Issuer {
  commonName: string;
  keys: KeyPair;
}

export interface CertRequest {
  commonName: string;
  keys: KeyPair;
  /** undefined: self-signed. */
  issuer?: Issuer;
  isCA: boolean;
  dnsNames: string[];
  ips: string[];
  notBefore: Date;
  notAfter: Date;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

function name(commonName: string): Buffer {
  const rdn = (type: string, value: string) => der.set(der.sequence(der.oid(type), der.utf8String(value)));
  return der.sequence(rdn(OID.organization, 'pullsim'), rdn(OID.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const full = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head, tail = ''] = full.includes('::') ? full.split('::') : [full, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = full.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

function extensions(req: CertRequest): Buffer {
  const issuerKey = (req.issuer ?? { keys: req.keys }).keys.publicKey;
  const list = [
    extension(OID.basicConstraints, true, req.isCA ? der.sequence(der.boolean(true)) : der.sequence()),
    // digitalSignature (+ keyCertSign, cRLSign for a CA)
    extension(OID.keyUsage, true, req.isCA ? der.bitString(Buffer.from([0x86]), 1) : der.bitString(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyId(req.keys.publicKey))),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyId(issuerKey)))),
  ];
  if (!req.isCA) list.push(extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))));
  const altNames = [
    ...req.dnsNames.map((n) => der.implicitPrimitive(2, Buffer.from(n, 'ascii'))),
    ...req.ips.map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
  ];
  if (altNames.length) list.push(extension(OID.subjectAltName, false, der.sequence(...altNames)));
  return der.explicit(3, der.sequence(...list));
}

/** A PEM certificate. */
export function createCertificate(req: CertRequest): string {
  const signer = req.issuer ?? { commonName: req.commonName, keys: req.keys };
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name(signer.commonName),
    der.sequence(der.time(req.notBefore), der.time(req.notAfter)),
    name(req.commonName),
    req.keys.publicKey.export({ type: 'spki', format: 'der' }),
    extensions(req),
  );
  const signature = sign('sha256', tbs, signer.keys.privateKey);
  const cert = der.sequence(tbs, algorithm, der.bitString(signature));
  const b64 = cert.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export function privateKeyPem(keys: KeyPair): string {
  return keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
