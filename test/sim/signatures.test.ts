import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { ACCEPT_ALL, get, scenario } from './helpers.js';

const s = scenario({
  cas: { lab: {} },
  keys: { 'signer-a': { type: 'gpg', email: 'signer-a@lab.test' }, cosign: { type: 'sigstore' } },
  images: { app: {} },
  node: { files: { '/etc/containers/keys/signer-a.pub': { publicKey: 'signer-a' }, '/etc/pki/cosign.pub': { publicKey: 'cosign' }, '/etc/containers/certs.d/harbor.lab.test/ca.crt': { ca: 'lab' }, '/etc/containers/policy.json': '{}' } },
  registries: {
    harbor: {
      host: 'harbor.lab.test',
      tls: {},
      lookaside: 'file:///srv/lookaside/harbor',
      images: {
        'signed/app:v1': { image: 'app', options: {}, sign: [{ key: 'signer-a' }, { key: 'signer-a', identity: 'harbor.lab.test/signed/other:v1' }] },
        'cosigned/app:v1': { image: 'app', options: {}, sign: [{ key: 'cosign' }] },
      },
    },
  },
});

let lab: Lab;
beforeAll(async () => void (lab = await startLab(s)));
afterAll(() => lab.close());

describe('node files', () => {
  it('CA certificates, public keys and lookaside signatures; literal files are the loader’s', () => {
    const files = lab.nodeFiles();
    const hex = lab.digests.app!.slice('sha256:'.length);
    expect(Object.keys(files).sort()).toEqual([
      '/etc/containers/certs.d/harbor.lab.test/ca.crt',
      '/etc/containers/keys/signer-a.pub',
      '/etc/pki/cosign.pub',
      `/srv/lookaside/harbor/signed/app@sha256=${hex}/signature-1`,
      `/srv/lookaside/harbor/signed/app@sha256=${hex}/signature-2`,
    ]);
    expect(files['/etc/containers/certs.d/harbor.lab.test/ca.crt']).toBe(lab.caPems.lab);
    expect(files['/etc/containers/keys/signer-a.pub']).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(files['/etc/pki/cosign.pub']).toContain('BEGIN PUBLIC KEY');
    expect(files[`/srv/lookaside/harbor/signed/app@sha256=${hex}/signature-1`]!.length).toBeGreaterThan(50);
    expect(Object.keys(lab.keyData).sort()).toEqual(['cosign', 'signer-a']);
  });
  it.each([
    [{ '/x': { ca: 'nope' } }, /unknown CA "nope"/],
    [{ '/x': { publicKey: 'nope' } }, /unknown key "nope"/],
  ])('%j is an input error', async (files, msg) => {
    await expect(startLab({ ...s, node: { files } })).rejects.toThrow(msg);
  });
});

describe('sigstore attachments', () => {
  it('are served as sha256-<hex>.sig in the signed image’s repository', async () => {
    const tag = `${lab.digests.app!.replace(':', '-')}.sig`;
    const r = await get(lab, `https://harbor.lab.test/v2/cosigned/app/manifests/${tag}`, { ca: lab.caPems.lab, headers: { accept: ACCEPT_ALL } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
    const m = JSON.parse(r.body.toString());
    expect(m.layers[0].mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    expect(m.layers[0].annotations['dev.cosignproject.cosign/signature']).toMatch(/^[A-Za-z0-9+/=]+$/);
    const payload = await get(lab, `https://harbor.lab.test/v2/cosigned/app/blobs/${m.layers[0].digest}`, { ca: lab.caPems.lab });
    expect(JSON.parse(payload.body.toString()).critical.image['docker-manifest-digest']).toBe(lab.digests.app);
  });
  it('an unsigned repository has no attachment', async () => {
    const tag = `${lab.digests.app!.replace(':', '-')}.sig`;
    const r = await get(lab, `https://harbor.lab.test/v2/signed/app/manifests/${tag}`, { ca: lab.caPems.lab, headers: { accept: ACCEPT_ALL } });
    expect(r.status).toBe(404);
  });
});
