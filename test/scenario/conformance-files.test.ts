import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectScenarioFiles, loadScenarioFile } from '../../src/scenario/index.js';

const conformance = collectScenarioFiles(['test/conformance']);
const written = existsSync('scenarios') ? collectScenarioFiles(['scenarios']) : [];
const byName = new Map(conformance.map((f) => [f.split('/').pop()!, f]));

describe('every observed scenario and every shipped scenario loads', () => {
  it('finds the conformance corpus', () => {
    expect(conformance.length).toBeGreaterThan(100);
  });

  it.each([...conformance, ...written])('%s', (file) => {
    const s = loadScenarioFile(file);
    expect(s.file).toBe(file);
    expect(s.pulls.length).toBeGreaterThan(0);
  });
});

describe('conformance files come out typed as written', () => {
  it('an HTTP-only registry, skopeo, a catalog image and a failed expectation', () => {
    const s = loadScenarioFile(byName.get('001-http-no-insecure.yaml')!);
    expect(s.runtime).toBe('skopeo');
    expect(s.registries.nexus).toEqual({
      handle: 'nexus',
      host: 'nexus.lab.test:5001',
      ip: '127.0.0.11',
      tls: false,
      images: { 'lab/app:v1': { image: 'app', options: {}, sign: [] } },
      faults: {},
    });
    expect(s.registries.harbor.tls).toEqual({ ca: 'lab', names: ['harbor.lab.test'], ips: [] });
    expect(s.node.files['/etc/containers/certs.d/harbor.lab.test/ca.crt']).toEqual({ ca: 'lab' });
    expect(s.pulls[0]).toMatchObject({
      image: 'nexus.lab.test:5001/lab/app:v1',
      namespace: 'default',
      serviceAccount: 'default',
      platform: 'linux/amd64',
      options: {},
      expect: { result: 'failed', attempts: ['nexus.lab.test:5001/lab/app:v1'] },
    });
    expect(s.pulls[0].line).toBe(39);
  });

  it('gpg signing through a lookaside keeps the placeholder for later substitution', () => {
    const s = loadScenarioFile(byName.get('133-gpg-signed-accepted.yaml')!);
    expect(s.keys['signer-a']).toEqual({ type: 'gpg', email: 'signer-a@lab.test' });
    expect(s.registries.harbor.lookaside).toBe('file:///srv/lookaside/harbor');
    expect(s.registries.harbor.images['signed/app:v1'].sign).toEqual([{ key: 'signer-a' }]);
    expect(s.pulls[0].expect).toEqual({
      result: 'pulled',
      from: 'harbor',
      digest: '${digest:app}',
      attempts: ['harbor.lab.test/signed/app:v1'],
    });
  });

  it('podman flags under options', () => {
    const s = loadScenarioFile(byName.get('196-multiarch-missing-arch-podman.yaml')!);
    expect(s.runtime).toBe('podman');
    expect(s.images.multi).toEqual({ platforms: ['linux/amd64', 'linux/arm64/v8'] });
    expect(s.registries.harbor.images['lab/multi:v1']).toEqual({ image: 'multi', options: s.images.multi, sign: [] });
    expect(s.pulls[0].options).toEqual({ platform: 'linux/s390x' });
    expect(s.pulls[0].line).toBe(34);
  });
});
