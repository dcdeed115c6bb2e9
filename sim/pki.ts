/**
 * A scenario's certificate authorities and the server certificates its registries and token
 * servers present. Keys are ECDSA P-256 and fresh per lab, so labs running side by side never
 * trust each other's CAs.
 */
import { isIP } from 'node:net';
import { InputError } from '../src/errors/index.js';
import type { Scenario, TlsSpec } from '../src/scenario/types.js';
import { createCertificate, newKeyPair, privateKeyPem, type Issuer } from './x509.js';

/** Fixed validity keeps certificates reproducible in shape; the expired window ended long ago. */
const VALID_FROM = new Date('2024-01-01T00:00:00Z');
const VALID_UNTIL = new Date('2049-12-31T23:59:59Z');
const EXPIRED_UNTIL = new Date('2024-01-02T00:00:00Z');

export interface ServerCert {
  certPem: string;
  keyPem: string;
  /** The CA that issued it; undefined for a self-signed leaf. */
  ca?: string;
  dnsNames: string[];
  ips: string[];
  notAfter: Date;
}

export interface ScenarioPki {
  /** CA name → PEM certificate, for node files `{ca: NAME}`. */
  caPems: Record<string, string>;
  /** The certificate a server presents under `tls`; without explicit SANs it names `hosts` (names or IPs, without port). */
  serverCert(tls: Exclude<TlsSpec, false>, hosts: string[], where: string): ServerCert;
}

export function buildPki(scenario: Pick<Scenario, 'cas' | 'file'>): ScenarioPki {
  const issuers = new Map<string, Issuer>();
  const caPems: Record<string, string> = {};
  for (const name of Object.keys(scenario.cas)) {
    const issuer = { commonName: `${name} CA`, keys: newKeyPair() };
    issuers.set(name, issuer);
    caPems[name] = createCertificate({
      commonName: issuer.commonName,
      keys: issuer.keys,
      isCA: true,
      dnsNames: [],
      ips: [],
      notBefore: VALID_FROM,
      notAfter: VALID_UNTIL,
    });
  }
  const firstCa = Object.keys(scenario.cas)[0];

  return {
    caPems,
    serverCert(tls, hosts, where) {
      const explicitSans = tls.names !== undefined || tls.ips !== undefined;
      const dnsNames = explicitSans ? (tls.names ?? []) : hosts.filter((h) => !isIP(h));
      const ips = explicitSans ? (tls.ips ?? []) : hosts.filter((h) => isIP(h));
      const keys = newKeyPair();
      const notAfter = tls.expired ? EXPIRED_UNTIL : VALID_UNTIL;
      let issuer: Issuer | undefined;
      let ca: string | undefined;
      if (!tls.selfSigned) {
        ca = tls.ca ?? firstCa;
        if (ca === undefined) throw new InputError(`${where}: tls needs a certificate authority, and cas: is empty`, scenario.file);
        issuer = issuers.get(ca);
        if (!issuer) throw new InputError(`${where}: unknown CA ${JSON.stringify(ca)} (cas: ${Object.keys(scenario.cas).join(', ')})`, scenario.file);
      }
      const certPem = createCertificate({
        commonName: dnsNames[0] ?? ips[0] ?? hosts[0] ?? 'pullsim',
        keys,
        issuer,
        isCA: false,
        dnsNames,
        ips,
        notBefore: VALID_FROM,
        notAfter,
      });
      return { certPem, keyPem: privateKeyPem(keys), ca, dnsNames, ips, notAfter };
    },
  };
}
