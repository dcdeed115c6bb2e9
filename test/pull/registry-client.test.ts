import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackError } from '../../src/errors/index.js';
import { RegistryClient, type RegistryClientOptions, type TraceEvent } from '../../src/pull/registry-client.js';
import { digestOf, fakeRegistry, fakeTokenServer } from './fake-registry.js';
import { makeCA, makeCert, startServer, TestDialer, type KeyCert, type TestServer } from './fixtures.js';

const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { digest: 'sha256:c' }, layers: [] }));
const APP = { bytes: manifestBytes, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' };
const blob = Buffer.from('layer-bytes');
const badBlob = Buffer.from('tampered');
/** A digest that names blob's slot but differs from it. */
const wrongDigest = () => digestOf(blob).replace(/.$/, (c) => (c === '0' ? '1' : '0'));

let ca: KeyCert;
const s: Record<string, TestServer> = {};
const issued: Record<string, string[]> = {};

beforeAll(async () => {
  ca = makeCA('lab CA');
  const cert = (name: string) => {
    const c = makeCert({ cn: name, dns: [name] }, ca);
    return { cert: c.cert, key: c.key };
  };
  const images = { 'lab/app:v1': APP, [`lab/app@${digestOf(manifestBytes)}`]: APP };
  s.harbor = await startServer(fakeRegistry({ manifests: images, blobs: { [`lab/app@${digestOf(blob)}`]: blob, [`lab/app@${wrongDigest()}`]: badBlob } }), cert('harbor.lab.test'));
  s.nexus = await startServer(fakeRegistry({ manifests: images }));
  s.private = await startServer(fakeRegistry({ manifests: { 'team-a/app:v1': APP }, auth: { type: 'basic', users: { alice: 'wonderland' } } }), cert('private.lab.test'));
  s.auth = await startServer(fakeTokenServer({ alice: 'wonderland' }, { '': ['public/app'], alice: ['public/app', 'team-a/app'] }, issued), cert('auth.lab.test'));
  s.tokenreg = await startServer(
    fakeRegistry({
      manifests: { 'team-a/app:v1': APP, 'public/app:v1': APP },
      auth: { type: 'bearer', realm: 'https://auth.lab.test:5559/token', service: 'tokenreg.lab.test:5443', validTokens: issued },
    }),
    cert('tokenreg.lab.test'),
  );
  s.v1 = await startServer((req, res) => {
    res.writeHead(req.url === '/v1/_ping' ? 200 : 404);
    res.end();
  });
  s.status500 = await startServer((_req, res) => {
    res.writeHead(500);
    res.end();
  });
  let n = 0;
  s.busy = await startServer(
    fakeRegistry({
      manifests: images,
      override: (req, res) => {
        if (!req.url!.includes('/manifests/')) return false;
        if (req.url!.includes('always') || n++ < 2) {
          res.writeHead(429, { 'Content-Type': 'application/json', ...(n === 2 ? { 'Retry-After': '3' } : {}) });
          res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }));
          return true;
        }
        return false;
      },
    }),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(s).map((x) => x.close()));
});

function dialer() {
  return new TestDialer({
    'harbor.lab.test': { port: s.harbor.port, ip: '127.0.0.12' },
    'nexus.lab.test:5001': { port: s.nexus.port, ip: '127.0.0.11' },
    'nexus.lab.test': { ip: '127.0.0.11' },
    'private.lab.test:5443': { port: s.private.port, ip: '127.0.0.13' },
    'tokenreg.lab.test:5443': { port: s.tokenreg.port, ip: '127.0.0.15' },
    'auth.lab.test:5559': { port: s.auth.port, ip: '127.0.0.16' },
    'v1.lab.test': { port: s.v1.port },
    'broken.lab.test': { port: s.status500.port },
    'busy.lab.test:5000': { port: s.busy.port },
    'down.lab.test': { ip: '127.0.0.40' },
    'registry-1.docker.io': { ip: '127.0.0.1' },
  });
}

function client(registry: string, o: Partial<RegistryClientOptions> & { insecure?: boolean; trusted?: boolean } = {}) {
  const trace: TraceEvent[] = [];
  const d = dialer();
  const c = new RegistryClient({
    dialer: d,
    registry,
    tls: { insecureSkipVerify: !!o.insecure, cas: o.trusted === false ? [] : [ca.cert], clientCerts: [] },
    trace: (e) => trace.push(e),
    ...o,
  });
  const lines = () => trace.map((e) => (e.kind === 'request' ? `${e.purpose} ${e.url} ${e.status ?? 'ERR'} ${e.auth}` : `backoff ${e.delayMs}`));
  return { c, trace, lines, d };
}

async function failure(p: Promise<unknown>): Promise<StackError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StackError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('ping: https first, http only when insecure, then the v1 probe', () => {
  it('insecure plain-HTTP registry still costs an HTTPS attempt first', async () => {
    const { c, lines } = client('nexus.lab.test:5001', { insecure: true });
    const m = await c.getManifest('lab/app', 'v1', 'nexus.lab.test:5001/lab/app');
    expect(m.digest).toBe(digestOf(manifestBytes));
    expect(c.scheme).toBe('http');
    expect(lines()).toEqual([
      'ping https://nexus.lab.test:5001/v2/ ERR none',
      'ping http://nexus.lab.test:5001/v2/ 200 none',
      'manifest http://nexus.lab.test:5001/v2/lab/app/manifests/v1 200 none',
    ]);
  });

  it('plain HTTP without insecure: the v2 error, after a v1 probe over https only', async () => {
    const { c, lines } = client('nexus.lab.test:5001');
    const e = await failure(c.getManifest('lab/app', 'v1', 'nexus.lab.test:5001/lab/app'));
    expect(e.message).toBe('pinging container registry nexus.lab.test:5001: Get "https://nexus.lab.test:5001/v2/": http: server gave HTTP response to HTTPS client');
    expect(lines()).toEqual(['ping https://nexus.lab.test:5001/v2/ ERR none', 'ping-v1 https://nexus.lab.test:5001/v1/_ping ERR none']);
  });

  it('insecure and down: four attempts, the last v2 (http) error, refused detectable', async () => {
    const { c, lines } = client('down.lab.test', { insecure: true });
    const e = await failure(c.ping());
    // detectPropertiesHelper assigns the http ping's error over the https one.
    expect(e.message).toBe('pinging container registry down.lab.test: Get "http://down.lab.test/v2/": dial tcp 127.0.0.40:80: connect: connection refused');
    expect(e.code).toBe('docker.pinging');
    expect(e.is('net.connection-refused')).toBe(true);
    expect(lines()).toEqual([
      'ping https://down.lab.test/v2/ ERR none',
      'ping http://down.lab.test/v2/ ERR none',
      'ping-v1 https://down.lab.test/v1/_ping ERR none',
      'ping-v1 http://down.lab.test/v1/_ping ERR none',
    ]);
  });

  it('the ping runs once per client and its failure is remembered', async () => {
    const { c, lines } = client('down.lab.test');
    await failure(c.ping());
    const e = await failure(c.getManifest('lab/app', 'v1', 'down.lab.test/lab/app'));
    expect(e.code).toBe('docker.pinging');
    expect(lines()).toHaveLength(2);
  });

  it.each([
    ['v1.lab.test', true, "can't talk to a V1 container registry"],
    ['broken.lab.test', true, 'pinging container registry broken.lab.test: invalid status code from registry 500 (Internal Server Error)'],
    ['harbor.lab.test', false, 'pinging container registry harbor.lab.test: Get "https://harbor.lab.test/v2/": x509: certificate signed by unknown authority'],
  ])('%s', async (registry, insecure, expected) => {
    const { c } = client(registry, { insecure, trusted: registry === 'harbor.lab.test' ? false : true });
    expect((await failure(c.ping())).message).toBe(expected);
  });

  it('docker.io is contacted and named as registry-1.docker.io', async () => {
    const { c, d } = client('docker.io');
    const e = await failure(c.ping());
    expect(e.message).toBe('pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp 127.0.0.1:443: connect: connection refused');
    expect(d.dials[0]).toBe('registry-1.docker.io:443');
  });
});

describe('basic auth', () => {
  it('no credentials: the registry body text', async () => {
    const { c, lines } = client('private.lab.test:5443');
    const e = await failure(c.getManifest('team-a/app', 'v1', 'private.lab.test:5443/team-a/app'));
    expect(e.message).toBe('reading manifest v1 in private.lab.test:5443/team-a/app: unauthorized: authentication required');
    expect(lines()[1]).toBe('manifest https://private.lab.test:5443/v2/team-a/app/manifests/v1 401 basic');
  });

  it.each([
    ['right password', 'wonderland', 200],
    ['wrong password', 'nope', 401],
  ])('%s', async (_n, password, status) => {
    const { c, trace } = client('private.lab.test:5443', { credential: { username: 'alice', password } });
    const p = c.getManifest('team-a/app', 'v1', 'private.lab.test:5443/team-a/app');
    if (status === 200) await p;
    else await failure(p);
    expect(trace.map((t) => (t.kind === 'request' ? t.status : 0))).toEqual([401, status]);
    expect(JSON.stringify(trace)).not.toContain(password);
    expect(s.private.log.at(-1)!.authorization).toBe('Basic ' + Buffer.from(`alice:${password}`).toString('base64'));
  });
});

describe('bearer tokens', () => {
  it('anonymous on a public repository', async () => {
    const { c, lines } = client('tokenreg.lab.test:5443');
    await c.getManifest('public/app', 'v1', 'tokenreg.lab.test:5443/public/app');
    expect(lines()).toEqual([
      'ping https://tokenreg.lab.test:5443/v2/ 401 none',
      'token https://auth.lab.test:5559/token?scope=repository%3Apublic%2Fapp%3Apull&service=tokenreg.lab.test%3A5443 200 none',
      'manifest https://tokenreg.lab.test:5443/v2/public/app/manifests/v1 200 bearer',
    ]);
  });

  it('insufficient scope: asks again with the scope repeated, GETs the manifest twice, merges the errors', async () => {
    const { c, lines } = client('tokenreg.lab.test:5443');
    const e = await failure(c.getManifest('team-a/app', 'v1', 'tokenreg.lab.test:5443/team-a/app'));
    expect(e.message).toBe(
      'reading manifest v1 in tokenreg.lab.test:5443/team-a/app: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n',
    );
    expect(lines()).toEqual([
      'ping https://tokenreg.lab.test:5443/v2/ 401 none',
      'token https://auth.lab.test:5559/token?scope=repository%3Ateam-a%2Fapp%3Apull&service=tokenreg.lab.test%3A5443 200 none',
      'manifest https://tokenreg.lab.test:5443/v2/team-a/app/manifests/v1 401 bearer',
      'token https://auth.lab.test:5559/token?scope=repository%3Ateam-a%2Fapp%3Apull&scope=repository%3Ateam-a%2Fapp%3Apull&service=tokenreg.lab.test%3A5443 200 none',
      'manifest https://tokenreg.lab.test:5443/v2/team-a/app/manifests/v1 401 bearer',
    ]);
  });

  it('credentials: account= and Basic to the token server, token cached per client', async () => {
    const { c, lines, trace } = client('tokenreg.lab.test:5443', { credential: { username: 'alice', password: 'wonderland' } });
    await c.getManifest('team-a/app', 'v1', 'tokenreg.lab.test:5443/team-a/app');
    await c.getManifest('team-a/app', 'v1', 'tokenreg.lab.test:5443/team-a/app');
    expect(lines().filter((l) => l.startsWith('token'))).toEqual([
      'token https://auth.lab.test:5559/token?account=alice&scope=repository%3Ateam-a%2Fapp%3Apull&service=tokenreg.lab.test%3A5443 200 basic',
    ]);
    expect(JSON.stringify(trace)).not.toMatch(/wonderland|tok\d/);
  });

  it.each(['team-a/app', 'public/app'])('wrong password fails even for %s', async (repo) => {
    const { c } = client('tokenreg.lab.test:5443', { credential: { username: 'alice', password: 'not-the-password' } });
    const e = await failure(c.getManifest(repo, 'v1', `tokenreg.lab.test:5443/${repo}`));
    expect(e.message).toBe('unable to retrieve auth token: invalid username/password: unauthorized: invalid username/password');
  });

  it('the token server is reached with the registry TLS settings', async () => {
    const { c } = client('tokenreg.lab.test:5443', { trusted: false, insecure: false });
    const e = await failure(c.getManifest('public/app', 'v1', 'tokenreg.lab.test:5443/public/app'));
    expect(e.message).toContain('x509: certificate signed by unknown authority');
  });
});

describe('manifest and blob content', () => {
  it('unknown tag', async () => {
    const { c } = client('harbor.lab.test');
    const e = await failure(c.getManifest('lab/app', 'nope', 'harbor.lab.test/lab/app'));
    expect(e.message).toBe('reading manifest nope in harbor.lab.test/lab/app: manifest unknown: manifest unknown');
  });

  it('sends the Accept list c/i sends, one header line each', async () => {
    const { c } = client('harbor.lab.test');
    const m = await c.getManifest('lab/app', 'v1', 'harbor.lab.test/lab/app');
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(s.harbor.log.at(-1)!.accept).toEqual([
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      'application/vnd.docker.distribution.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.index.v1+json',
    ]);
  });

  it('digest pull verified', async () => {
    const { c } = client('harbor.lab.test');
    const m = await c.getManifest('lab/app', digestOf(manifestBytes), 'harbor.lab.test/lab/app');
    expect(m.digest).toBe(digestOf(manifestBytes));
  });

  it('blob verified against its digest', async () => {
    const { c } = client('harbor.lab.test');
    await c.ping();
    expect(Buffer.from(await c.getBlob('lab/app', digestOf(blob))).toString()).toBe('layer-bytes');
    const wrong = wrongDigest();
    expect((await failure(c.getBlob('lab/app', wrong))).message).toBe(`Digest did not match, expected ${wrong}, got ${digestOf(badBlob)}`);
  });

  it('missing blob', async () => {
    const { c } = client('harbor.lab.test');
    const e = await failure(c.getBlob('lab/app', 'sha256:' + 'a'.repeat(64)));
    expect(e.message).toBe('Error fetching blob: invalid status code from registry 404 (Not Found)');
  });

  it('no sigstore attachment → none', async () => {
    const { c } = client('harbor.lab.test');
    expect(await c.sigstoreAttachments('lab/app', digestOf(manifestBytes))).toEqual([]);
  });
});

describe('429 back-off as c/i 5.23.1: up to 5 attempts, 2s doubling, Retry-After honoured', () => {
  it('retries and succeeds', async () => {
    const waits: number[] = [];
    const { c, lines } = client('busy.lab.test:5000', { insecure: true, sleep: async (ms) => void waits.push(ms) });
    await c.getManifest('lab/app', 'v1', 'busy.lab.test:5000/lab/app');
    expect(waits).toEqual([2000, 3000]);
    expect(lines().filter((l) => l.startsWith('manifest')).map((l) => l.split(' ')[2])).toEqual(['429', '429', '200']);
  });

  it('gives up after 5 attempts with the registry text', async () => {
    const waits: number[] = [];
    const { c } = client('busy.lab.test:5000', { insecure: true, sleep: async (ms) => void waits.push(ms) });
    const e = await failure(c.getManifest('lab/app', 'always', 'busy.lab.test:5000/lab/app'));
    expect(e.message).toBe('reading manifest always in busy.lab.test:5000/lab/app: toomanyrequests: slow down');
    expect(waits).toHaveLength(4);
  });
});
