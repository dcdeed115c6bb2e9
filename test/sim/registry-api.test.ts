import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { ACCEPT_ALL, get, scenario } from './helpers.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('distribution read path over plain HTTP', () => {
  let lab: Lab;
  const s = scenario({
    images: { app: {}, multi: { platforms: ['linux/amd64', 'linux/arm64/v8'] } },
    registries: {
      nexus: { host: 'nexus.lab.test:5001', ip: '127.0.0.11', images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] }, 'lab/multi:v1': { image: 'multi', options: {}, sign: [] }, 'lab/big:v1': { options: { layers: 3 }, sign: [] } } },
    },
  });
  beforeAll(async () => void (lab = await startLab(s)));
  afterAll(() => lab.close());
  const base = 'http://nexus.lab.test:5001';

  it('GET /v2/ answers 200 {} with the API version header', async () => {
    const r = await get(lab, `${base}/v2/`);
    expect(r.status).toBe(200);
    expect(r.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(JSON.parse(r.body.toString())).toEqual({});
  });

  it.each(['GET', 'HEAD'])('%s manifest by tag: schema 2 with digest headers', async (method) => {
    const r = await get(lab, `${base}/v2/lab/app/manifests/v1`, { method, headers: { accept: ACCEPT_ALL } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(r.headers['docker-content-digest']).toBe(lab.digests.app);
    expect(Number(r.headers['content-length'])).toBeGreaterThan(100);
    if (method === 'GET') expect(sha(r.body)).toBe(lab.digests.app);
    else expect(r.body.length).toBe(0);
  });

  it('manifest by digest, and every blob it names verifies', async () => {
    const m = await get(lab, `${base}/v2/lab/big/manifests/v1`, { headers: { accept: ACCEPT_ALL } });
    const byDigest = await get(lab, `${base}/v2/lab/big/manifests/${m.headers['docker-content-digest']}`, { headers: { accept: ACCEPT_ALL } });
    expect(byDigest.body).toEqual(m.body);
    const manifest = JSON.parse(m.body.toString());
    expect(manifest.layers).toHaveLength(3);
    for (const d of [manifest.config, ...manifest.layers]) {
      const head = await get(lab, `${base}/v2/lab/big/blobs/${d.digest}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(d.size);
      const blob = await get(lab, `${base}/v2/lab/big/blobs/${d.digest}`);
      expect(blob.headers['docker-content-digest']).toBe(d.digest);
      expect(sha(blob.body)).toBe(d.digest);
    }
    const config = JSON.parse((await get(lab, `${base}/v2/lab/big/blobs/${manifest.config.digest}`)).body.toString());
    const layer = await get(lab, `${base}/v2/lab/big/blobs/${manifest.layers[0].digest}`);
    expect(config.rootfs.diff_ids[0]).toBe(sha(gunzipSync(layer.body)));
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64' });
  });

  it('an OCI index lists each platform, and each platform manifest is served by digest', async () => {
    const r = await get(lab, `${base}/v2/lab/multi/manifests/v1`, { headers: { accept: ACCEPT_ALL } });
    expect(r.headers['content-type']).toBe('application/vnd.oci.image.index.v1+json');
    expect(sha(r.body)).toBe(lab.digests.multi);
    const index = JSON.parse(r.body.toString());
    expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(index.manifests[1].digest).toBe(lab.digests['multi/linux/arm64/v8']);
    const arm = await get(lab, `${base}/v2/lab/multi/manifests/${lab.digests['multi/linux/arm64/v8']}`, { headers: { accept: ACCEPT_ALL } });
    expect(arm.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('tags/list', async () => {
    const r = await get(lab, `${base}/v2/lab/app/tags/list`);
    expect(JSON.parse(r.body.toString())).toEqual({ name: 'lab/app', tags: ['v1'] });
  });

  it.each([
    ['unknown tag', '/v2/lab/app/manifests/nope', 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Tag: 'nope' }],
    ['unknown repository', '/v2/nope/nope/manifests/v1', 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Tag: 'v1' }],
    ['unknown digest', `/v2/lab/app/manifests/sha256:${'0'.repeat(64)}`, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Name: 'lab/app', Revision: `sha256:${'0'.repeat(64)}` }],
    ['unknown blob', `/v2/lab/app/blobs/sha256:${'1'.repeat(64)}`, 404, 'BLOB_UNKNOWN', 'blob unknown to registry', `sha256:${'1'.repeat(64)}`],
    ['unknown repository tags', '/v2/nope/tags/list', 404, 'NAME_UNKNOWN', 'repository name not known to registry', { name: 'nope' }],
  ])('%s → %d %s', async (_, path, status, code, message, detail) => {
    const r = await get(lab, `${base}${path}`, { headers: { accept: ACCEPT_ALL } });
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body.toString())).toEqual({ errors: [{ code, message, detail }] });
  });

  it('a blob of another repository is unknown in this one', async () => {
    const m = JSON.parse((await get(lab, `${base}/v2/lab/big/manifests/v1`, { headers: { accept: ACCEPT_ALL } })).body.toString());
    expect((await get(lab, `${base}/v2/lab/app/blobs/${m.layers[0].digest}`)).status).toBe(404);
  });

  it.each([
    ['application/vnd.docker.distribution.manifest.v2+json', 'OCI index found, but accept header does not support OCI indexes'],
    [undefined, 'OCI index found, but accept header does not support OCI indexes'],
  ])('an OCI index to a client accepting %s is MANIFEST_UNKNOWN', async (accept, message) => {
    const r = await get(lab, `${base}/v2/lab/multi/manifests/v1`, { headers: accept ? { accept } : {} });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString()).errors[0]).toEqual({ code: 'MANIFEST_UNKNOWN', message });
  });

  it.each(['/v1/_ping', '/v2/UPPER/manifests/v1', '/v2/lab/app/blobs/notadigest', '/'])('%s is not a route: Go 404 page', async (path) => {
    const r = await get(lab, `${base}${path}`);
    expect(r.status).toBe(404);
    expect(r.body.toString()).toBe('404 page not found\n');
  });

  it('writes are unsupported', async () => {
    const r = await get(lab, `${base}/v2/lab/app/manifests/v1`, { method: 'PUT' });
    expect(r.status).toBe(405);
    expect(JSON.parse(r.body.toString()).errors[0].code).toBe('UNSUPPORTED');
  });

  it('the access log records method, path and status', async () => {
    await get(lab, `${base}/v2/`);
    const last = lab.accessLog('nexus').at(-1);
    expect(last).toEqual({ server: 'registry', method: 'GET', path: '/v2/', status: 200, auth: 'none' });
  });
});
