import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { buildPki } from '../../sim/pki.js';

function handshake(certPem: string, keyPem: string, servername: string, ca: string): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end());
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const client = tls.connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
        resolve({ authorized: client.authorized, error: client.authorizationError?.toString() });
        client.destroy();
        server.close();
      });
    });
  });
}

describe('server certificates carry the SANs the scenario gives', () => {
  const pki = buildPki({ file: 's.yaml', cas: { lab: {}, other: {} } });
  it.each([
    [{}, 'harbor.lab.test', 'DNS:harbor.lab.test'],
    [{}, '192.168.10.11', 'IP Address:192.168.10.11'],
    [{ names: ['a.test', 'b.test'], ips: ['127.0.0.12', '::1'] }, 'harbor.lab.test', 'DNS:a.test, DNS:b.test, IP Address:127.0.0.12, IP Address:0:0:0:0:0:0:0:1'],
    [{ names: ['harbor.lab.test'], ips: [] }, 'harbor.lab.test', 'DNS:harbor.lab.test'],
    [{ ips: ['10.0.0.1'] }, 'harbor.lab.test', 'IP Address:10.0.0.1'],
  ])('%j for %s', (spec, host, sans) => {
    const cert = new X509Certificate(pki.serverCert(spec, [host], 'registries.r').certPem);
    expect(cert.subjectAltName).toBe(sans);
    expect(cert.ca).toBe(false);
  });
});

describe('issuers', () => {
  const pki = buildPki({ file: 's.yaml', cas: { lab: {}, other: {} } });
  const lab = new X509Certificate(pki.caPems.lab!);
  const other = new X509Certificate(pki.caPems.other!);

  it('CA certificates are CAs', () => {
    expect(lab.ca).toBe(true);
    expect(lab.checkIssued(lab)).toBe(true);
  });
  it.each([
    [{}, 'lab'],
    [{ ca: 'other' }, 'other'],
  ])('%j is issued by %s only', (spec, ca) => {
    const leaf = new X509Certificate(pki.serverCert(spec, ['h.test'], 'r').certPem);
    expect(leaf.verify((ca === 'lab' ? lab : other).publicKey)).toBe(true);
    expect(leaf.verify((ca === 'lab' ? other : lab).publicKey)).toBe(false);
  });
  it('a self-signed leaf is issued by itself', () => {
    const leaf = new X509Certificate(pki.serverCert({ selfSigned: true }, ['h.test'], 'r').certPem);
    expect(leaf.verify(leaf.publicKey)).toBe(true);
    expect(leaf.issuer).toBe(leaf.subject);
    expect(leaf.verify(lab.publicKey)).toBe(false);
  });
  it('an expired certificate ended in the past', () => {
    const leaf = new X509Certificate(pki.serverCert({ expired: true }, ['h.test'], 'r').certPem);
    expect(new Date(leaf.validTo).getTime()).toBeLessThan(Date.now());
  });
  it('each scenario has its own CA keys', () => {
    const again = new X509Certificate(buildPki({ file: 's.yaml', cas: { lab: {} } }).caPems.lab!);
    expect(again.publicKey.export({ type: 'spki', format: 'der' })).not.toEqual(lab.publicKey.export({ type: 'spki', format: 'der' }));
  });
  it.each([
    [{ cas: {} }, {}, /cas: is empty/],
    [{ cas: { lab: {} } }, { ca: 'nope' }, /unknown CA "nope"/],
  ])('bad CA reference %j %j', (s, spec, msg) => {
    const p = buildPki({ file: 's.yaml', ...s });
    expect(() => p.serverCert(spec, ['h'], 'registries.r')).toThrow(InputError);
    expect(() => p.serverCert(spec, ['h'], 'registries.r')).toThrow(msg);
  });
});

describe('TLS handshakes with the generated chain', () => {
  const pki = buildPki({ file: 's.yaml', cas: { lab: {}, other: {} } });
  it.each([
    [{}, 'harbor.lab.test', 'lab', true, undefined],
    [{}, 'harbor.lab.test', 'other', false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [{}, 'other.lab.test', 'lab', false, 'ERR_TLS_CERT_ALTNAME_INVALID'],
    [{ selfSigned: true }, 'harbor.lab.test', 'lab', false, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    [{ expired: true }, 'harbor.lab.test', 'lab', false, 'CERT_HAS_EXPIRED'],
  ])('%j as %s trusting %s', async (spec, servername, ca, authorized, error) => {
    const cert = pki.serverCert(spec, ['harbor.lab.test'], 'r');
    const r = await handshake(cert.certPem, cert.keyPem, servername, pki.caPems[ca]!);
    if (authorized) expect(r).toEqual({ authorized: true, error: undefined });
    else expect(r.authorized).toBe(false);
    if (error && error !== 'ERR_TLS_CERT_ALTNAME_INVALID') expect(r.error).toBe(error);
  });
});
