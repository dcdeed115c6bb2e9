import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import selfsigned from 'selfsigned';
import { startLab, type Lab } from '../../sim/lab.js';
import { certsFor } from '../../src/certs/certs-dir.js';
import { MemoryFS } from '../../src/node-fs.js';
import { openEndpoint } from '../../src/pull/endpoint.js';
import { pullContext } from '../../src/pull/pull-context.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { scenario } from '../sim/helpers.js';
import { defaultSystemContext, type SystemContext } from '../../src/system-context.js';

const sys = (over: Partial<SystemContext> = {}): SystemContext => ({ ...defaultSystemContext('skopeo'), ...over });

const pairA = await selfsigned.generate([{ name: 'commonName', value: 'a' }], { keySize: 1024 });
const pairB = await selfsigned.generate([{ name: 'commonName', value: 'b' }], { keySize: 1024 });
const CA = pairA.cert;

describe('which directory (dockerCertDir)', () => {
  it.each([
    ['/etc/containers/certs.d', { '/etc/containers/certs.d/h.test/ca.crt': CA }, {}, '/etc/containers/certs.d/h.test'],
    ['home shadows etc (https-home-certsd-shadows-etc)', { '/root/.config/containers/certs.d/h.test/other.crt': CA, '/etc/containers/certs.d/h.test/ca.crt': CA }, {}, '/root/.config/containers/certs.d/h.test'],
    ['/etc/docker/certs.d last', { '/etc/docker/certs.d/h.test/ca.crt': CA }, {}, '/etc/docker/certs.d/h.test'],
    ['--cert-dir replaces all (https-cert-dir-flag-overrides-certsd)', { '/root/trust/x.crt': CA, '/etc/containers/certs.d/h.test/ca.crt': CA }, { dockerCertPath: '/root/trust' }, '/root/trust'],
  ])('%s', (_name, files, over, want) => {
    expect(certsFor(new MemoryFS(files), sys(over), 'h.test').dir).toBe(want);
  });

  it('an empty per-user directory still shadows the system one', () => {
    const fs = new MemoryFS({ '/etc/containers/certs.d/h.test/ca.crt': CA });
    fs.mkdir('/root/.config/containers/certs.d/h.test');
    const r = certsFor(fs, sys(), 'h.test');
    expect([r.dir, r.cas]).toEqual(['/root/.config/containers/certs.d/h.test', []]);
  });

  it('the host is used as written: a :443 directory is not used for a portless reference (https-ca-certsd-port-dir-for-443)', () => {
    const r = certsFor(new MemoryFS({ '/etc/containers/certs.d/h.test:443/ca.crt': CA }), sys(), 'h.test');
    expect(r.dir).toBeUndefined();
    expect(r.tried).toEqual(['/root/.config/containers/certs.d/h.test', '/etc/containers/certs.d/h.test', '/etc/docker/certs.d/h.test']);
  });

  it('a port is part of the directory name', () => {
    expect(certsFor(new MemoryFS({ '/etc/containers/certs.d/h.test:5443/ca.crt': CA }), sys(), 'h.test:5443').cas).toHaveLength(1);
  });
});

describe('files (SetupCertificates)', () => {
  it('only *.crt are CAs, and only their CERTIFICATE blocks count', () => {
    const fs = new MemoryFS({
      '/etc/containers/certs.d/h/ca.crt': `junk\n${CA}`,
      '/etc/containers/certs.d/h/ca.pem': CA,
      '/etc/containers/certs.d/h/garbage.crt': 'not a cert',
    });
    const r = certsFor(fs, sys(), 'h');
    expect(r.cas.map((c) => c.path)).toEqual(['/etc/containers/certs.d/h/ca.crt', '/etc/containers/certs.d/h/garbage.crt']);
    expect(r.cas[0].pem).toContain('BEGIN CERTIFICATE');
    expect(r.cas[0].pem).not.toContain('junk');
    expect(r.cas[1].pem).toBe('');
  });

  it('a .cert/.key pair is a client certificate', () => {
    const r = certsFor(new MemoryFS({ '/etc/containers/certs.d/h/client.cert': pairA.cert, '/etc/containers/certs.d/h/client.key': pairA.private }), sys(), 'h');
    expect(r.error).toBeUndefined();
    expect(r.clientCerts.map((c) => [c.certPath, c.keyPath])).toEqual([['/etc/containers/certs.d/h/client.cert', '/etc/containers/certs.d/h/client.key']]);
  });

  it.each([
    ['.cert without .key', { 'client.cert': pairA.cert }, 'missing key client.key for client certificate client.cert. Note that CA certificates should use the extension .crt'],
    ['.key without .cert', { 'client.key': pairA.private }, 'missing client certificate client.cert for key client.key'],
    ['key of another certificate', { 'c.cert': pairA.cert, 'c.key': pairB.private }, 'tls: private key does not match public key'],
    ['empty certificate', { 'c.cert': '', 'c.key': pairA.private }, 'tls: failed to find any PEM data in certificate input'],
    ['cert and key swapped', { 'c.cert': pairA.private, 'c.key': pairA.cert }, 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched'],
    ['certificate as key', { 'c.cert': pairA.cert, 'c.key': pairA.cert }, 'tls: found a certificate rather than a key in the PEM for the private key'],
    ['empty key', { 'c.cert': pairA.cert, 'c.key': 'nothing' }, 'tls: failed to find any PEM data in key input'],
    ['public key in the cert file', { 'c.cert': pairA.public, 'c.key': pairA.private }, 'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PUBLIC KEY]'],
  ])('%s', (_name, files, want) => {
    const fs = new MemoryFS(Object.fromEntries(Object.entries(files).map(([n, c]) => [`/etc/containers/certs.d/h/${n}`, c])));
    expect(certsFor(fs, sys(), 'h').error?.message).toBe(want);
  });
});

describe('a pull reads certs.d again when its files change', () => {
  const image = { 'lab/app:v1': { image: 'app', options: {}, sign: [] } };
  const s = scenario({ cas: { lab: {}, other: {} }, images: { app: {} }, registries: { secure: { host: 'secure.lab.test', tls: { ca: 'lab' }, images: image } } });
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab(s);
  });
  afterAll(() => lab.close());

  async function openOn(fs: MemoryFS): Promise<string> {
    const sys = defaultSystemContext('skopeo');
    const ctx = pullContext(fs, sys, { dialer: lab.dialer, registryAt: () => null });
    const opts = { insecure: false, beforeConnect: () => {}, onCredential: () => {} };
    try {
      await openEndpoint(ctx, sys, parseNormalizedNamed('secure.lab.test/lab/app:v1'), opts);
      return 'opened';
    } catch (e) {
      return (e as Error).message;
    }
  }

  it('the wrong CA, then the right one written in its place: the second pull trusts the new file', async () => {
    const fs = new MemoryFS({ '/etc/containers/certs.d/secure.lab.test/ca.crt': lab.caPems.other! });
    expect(await openOn(fs)).toMatch(/x509: certificate signed by unknown authority/);
    fs.write('/etc/containers/certs.d/secure.lab.test/ca.crt', lab.caPems.lab!);
    expect(await openOn(fs)).toBe('opened');
    fs.write('/etc/containers/certs.d/secure.lab.test/ca.crt', lab.caPems.other!);
    expect(await openOn(fs)).toMatch(/x509: certificate signed by unknown authority/);
  });
});
