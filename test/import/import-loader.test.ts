/** The new scenario keys load strictly: a wrong import key or type is exit-2 input, naming the key. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

function loadError(yaml: string): string {
  try {
    loadScenarioText(yaml, 'bad.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  throw new Error('loaded');
}

describe('import pull keys', () => {
  it.each([
    ['a misspelt key', '  - { import: app, importmode: Legacy }', "unknown field 'importmode'; did you mean 'importMode'?"],
    ['a node-pull key', '  - { import: app, secrets: [x] }', "unknown field 'secrets'"],
    ['a wrong type', '  - { import: app, insecure: "yes" }', 'expected true or false'],
    ['an unknown importer', '  - { import: app, as: admin }', '"admin" is not accepted; use one of: developer, cluster-admin'],
    ['a digest as the stream tag', '  - { import: "app@sha256:00" }', 'is not an ImageStreamTag'],
    ['a dangling digest placeholder in from', '  - { import: app, from: "r.example.com/a@${digest:nope}" }', "${digest:nope} names unknown image 'nope'"],
    ['result pulled for an import', '  - { import: app, expect: { result: pulled } }', '"pulled" is not accepted; use one of: imported, failed'],
  ])('%s', (_what, pull, message) => {
    const msg = loadError(`name: x\npulls:\n${pull}\n`);
    expect(msg).toContain(message);
    expect(msg).toMatch(/^bad\.yaml, line 3, key pulls\[0\]/);
  });

  it('reads every key with its default', () => {
    const s = loadScenarioText('name: x\npulls:\n  - { import: "app:v1", namespace: ns, from: "quay.io/a/b:1", insecure: true, importMode: PreserveOriginal, referencePolicy: local, scheduled: true, as: cluster-admin }\n  - { import: web }\n', 'ok.yaml');
    expect(s.pulls.map((p) => [p.namespace, p.import])).toEqual([
      ['ns', { stream: 'app', tag: 'v1', from: 'quay.io/a/b:1', insecure: true, importMode: 'PreserveOriginal', referencePolicy: 'local', scheduled: true, confirm: true, as: 'cluster-admin' }],
      ['default', { stream: 'web', tag: 'latest', confirm: true, as: 'developer' }],
    ]);
  });
});

describe('cas.trusted, registries.openshift and saProvisioned', () => {
  it.each([
    ['cas: { public: { trusted: "yes" } }', 'expected true or false'],
    ['cas: { public: { trust: true } }', "unknown field 'trust'"],
    ['registries: { r: { host: r.example.com, tls: false, openshift: true, auth: { type: basic } } }', "an 'openshift: true' registry authorizes like OpenShift's image registry"],
  ])('%s', (section, message) => {
    expect(loadError(`name: x\n${section}\npulls:\n  - { image: x }\n`)).toContain(message);
  });

  it('saProvisioned is a node-pull key taking a boolean', () => {
    expect(loadError('name: x\npulls:\n  - { image: x, saProvisioned: no-way }\n')).toContain('saProvisioned');
    expect(loadScenarioText('name: x\ncas: { p: { trusted: true } }\npulls:\n  - { image: x, saProvisioned: false }\n', 'ok.yaml').pulls[0]!.saProvisioned).toBe(false);
  });
});
