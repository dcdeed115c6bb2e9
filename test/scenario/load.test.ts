import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/index.js';

const P = 'pulls:\n  - image: a/b:c\n';
const load = (source: string) => loadScenarioText(source, 'dir/s.yaml');

describe('defaults fill what a file leaves out', () => {
  it('a scenario with only a name and a pull', () => {
    expect(load('name: t\n' + P)).toEqual({
      file: 'dir/s.yaml',
      name: 't',
      runtime: 'crio',
      versions: {},
      cas: {},
      keys: {},
      images: {},
      hosts: {},
      registries: {},
      node: { files: {} },
      cluster: [],
      pulls: [{ image: 'a/b:c', namespace: 'default', serviceAccount: 'default', platform: 'linux/amd64', options: {}, line: 3 }],
    });
  });

  it('a registry with only a host gets HTTPS from the CA, no faults and nothing served', () => {
    const s = load('name: t\ncas: {lab: }\nregistries:\n  r: {host: r.example.com}\n' + P);
    expect(s.cas).toEqual({ lab: {} });
    expect(s.registries.r).toEqual({ handle: 'r', host: 'r.example.com', tls: {}, images: {}, faults: {} });
  });
});

describe('tls: false | true | { … }', () => {
  it.each([
    ['false', false],
    ['true', {}],
    ['{}', {}],
    ['{selfSigned: true}', { selfSigned: true }],
    ['{ca: lab, names: ["*.example.com", h.example.com], ips: ["10.0.0.1", "::1"], expired: true}', { ca: 'lab', names: ['*.example.com', 'h.example.com'], ips: ['10.0.0.1', '::1'], expired: true }],
  ])('tls: %s', (tls, want) => {
    expect(load(`name: t\ncas: {lab: {}}\nregistries:\n  r: {host: r.example.com, tls: ${tls}}\n` + P).registries.r.tls).toEqual(want);
  });
});

describe('served image shorthands', () => {
  const s = load(`name: t
keys: {rel: {type: sigstore}, g: {type: gpg, email: g@example.com}}
images: {base: {layers: 2}}
registries:
  r:
    host: r.example.com:5000
    tls: false
    lookaside: file:///srv/sigs
    images:
      a/inline:v1: {}
      a/empty:v1:
      a/catalog:v1: base
      a/long:v1: {image: base}
      a/layers:v1: {layers: 3}
      a/multi:v1: {platforms: [linux/amd64, linux/arm64/v8]}
      a/signed:v1: {sign: [rel]}
      a/both:v1: {image: base, sign: [g, {key: rel, identity: other.example.com/x:y}]}
${P}`);
  it.each([
    ['a/inline:v1', { options: {}, sign: [] }],
    ['a/empty:v1', { options: {}, sign: [] }],
    ['a/catalog:v1', { image: 'base', options: { layers: 2 }, sign: [] }],
    ['a/long:v1', { image: 'base', options: { layers: 2 }, sign: [] }],
    ['a/layers:v1', { options: { layers: 3 }, sign: [] }],
    ['a/multi:v1', { options: { platforms: ['linux/amd64', 'linux/arm64/v8'] }, sign: [] }],
    ['a/signed:v1', { options: {}, sign: [{ key: 'rel' }] }],
    ['a/both:v1', { image: 'base', options: { layers: 2 }, sign: [{ key: 'g' }, { key: 'rel', identity: 'other.example.com/x:y' }] }],
  ])('%s', (repoTag, want) => {
    expect(s.registries.r.images[repoTag]).toEqual(want);
  });
});

describe('pull entries', () => {
  it.each([
    ['90s', 90],
    ['10m', 600],
    ['1h30m', 5400],
    ['2m30s', 150],
  ])('retryFor %s is %d seconds', (d, seconds) => {
    expect(load(`name: t\npulls:\n  - image: a/b:c\n    retryFor: ${d}\n`).pulls[0].retryForSeconds).toBe(seconds);
  });

  it('retrySeed seeds the jitter of retryFor', () => {
    expect(load('name: t\npulls:\n  - image: a/b:c\n    retryFor: 1m\n    retrySeed: 42\n').pulls[0].retrySeed).toBe(42);
  });

  it('carries every field and the line of each entry', () => {
    const s = load(`name: t
runtime: podman
registries: {nexus: {host: n.example.com, tls: false}}
images: {tools: {platforms: [linux/amd64, linux/arm64/v8]}}
pulls:
  - image: n.example.com/a/b@\${digest:tools/linux/arm64/v8}
    namespace: test
    serviceAccount: builder
    secrets: [nexus-pull]
    platform: linux/arm64/v8
    options: {tlsVerify: false, certDir: /root/certs, authfile: /root/auth.json, creds: "alice:s3cret", arch: arm64, platform: linux/s390x, registriesConf: /root/r.conf, signaturePolicy: /root/p.json}
    expect:
      result: pulled
      from: nexus
      digest: \${digest:tools}
      error: \${digest:tools}
      attempts: [n.example.com/a/b]

  - image: other
`);
    expect(s.pulls).toEqual([
      {
        image: 'n.example.com/a/b@${digest:tools/linux/arm64/v8}',
        namespace: 'test',
        serviceAccount: 'builder',
        secrets: ['nexus-pull'],
        platform: 'linux/arm64/v8',
        options: {
          tlsVerify: false,
          certDir: '/root/certs',
          authfile: '/root/auth.json',
          creds: 'alice:s3cret',
          arch: 'arm64',
          platform: 'linux/s390x',
          registriesConf: '/root/r.conf',
          signaturePolicy: '/root/p.json',
        },
        expect: { result: 'pulled', from: 'nexus', digest: '${digest:tools}', error: '${digest:tools}', attempts: ['n.example.com/a/b'] },
        line: 6,
      },
      { image: 'other', namespace: 'default', serviceAccount: 'default', platform: 'linux/amd64', options: {}, line: 19 },
    ]);
  });

  it('a pod entry names a Pod or Deployment in cluster, kept as plain objects', () => {
    const s = load(`name: t
cluster:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: echoserver, namespace: test}
    spec: {template: {spec: {containers: [{name: c, image: a/b:c}]}}}
pulls:
  - pod: echoserver
    namespace: test
`);
    expect(s.cluster[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echoserver', namespace: 'test' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'a/b:c' }] } } },
    });
    expect(s.pulls[0]).toMatchObject({ pod: 'echoserver', namespace: 'test', line: 8 });
    expect(s.pulls[0].image).toBeUndefined();
  });
});

describe('node files and node.root', () => {
  it('literal contents, generated material and keyData placeholders', () => {
    const s = load(`name: t
cas: {lab: {}}
keys: {g: {type: gpg}}
node:
  files:
    /etc/containers/certs.d/h/ca.crt: {ca: lab}
    /etc/keys/g.gpg: {publicKey: g}
    /etc/containers/policy.json: '{"keyData": "\${keyData:g}"}'
    /etc/empty: ""
    /etc/script.sh: echo \${HOME}
${P}`);
    expect(s.node.files).toEqual({
      '/etc/containers/certs.d/h/ca.crt': { ca: 'lab' },
      '/etc/keys/g.gpg': { publicKey: 'g' },
      '/etc/containers/policy.json': '{"keyData": "${keyData:g}"}',
      '/etc/empty': '',
      '/etc/script.sh': 'echo ${HOME}',
    });
  });

  it('root is resolved against the scenario file, not the working directory', () => {
    expect(load('name: t\nnode: {root: ./node-root}\n' + P).node.root).toBe(resolve('dir/node-root'));
  });

  it('loadScenarioFile checks that root exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullsim-scenario-'));
    mkdirSync(join(dir, 'node-root'));
    writeFileSync(join(dir, 'ok.yaml'), 'name: t\nnode: {root: node-root}\n' + P);
    writeFileSync(join(dir, 'bad.yaml'), 'name: t\nnode:\n  root: missing\n' + P);
    expect(loadScenarioFile(join(dir, 'ok.yaml')).node.root).toBe(join(dir, 'node-root'));
    expect(() => loadScenarioFile(join(dir, 'bad.yaml'))).toThrow(InputError);
    try {
      loadScenarioFile(join(dir, 'bad.yaml'));
    } catch (e) {
      expect((e as InputError).format()).toBe(`${join(dir, 'bad.yaml')}, line 3, key node.root: node.root folder ${join(dir, 'missing')} does not exist`);
    }
  });

  it('an unreadable file is an InputError naming it', () => {
    expect(() => loadScenarioFile('/nonexistent/s.yaml')).toThrow(InputError);
    try {
      loadScenarioFile('/nonexistent/s.yaml');
    } catch (e) {
      expect((e as InputError).format()).toBe('/nonexistent/s.yaml: cannot read the file: ENOENT');
    }
  });
});

describe('YAML conveniences that stay allowed', () => {
  it('anchors and aliases resolve', () => {
    const s = load('name: &n t\ndescription: *n\n' + P);
    expect(s.description).toBe('t');
  });
});

describe('configuration-only scenarios and cluster.manifests', () => {
  it.each([
    ['no pulls key', 'name: t\n'],
    ['pulls: []', 'name: t\npulls: []\n'],
  ])('%s: a scenario with no pulls', (_what, text) => {
    expect(loadScenarioText(text, '/x/s.yaml').pulls).toEqual([]);
  });

  it.each([
    ['a list of objects', 'name: t\ncluster:\n  - { apiVersion: v1, kind: Secret, metadata: { name: s } }\n', undefined, 1],
    ['manifests paths, resolved against the scenario folder', 'name: t\ncluster:\n  manifests: [./m, /abs/n]\n', ['/x/m', '/abs/n'], 0],
    ['manifests next to inline objects', 'name: t\ncluster:\n  manifests: [m]\n  objects:\n    - { apiVersion: v1, kind: Secret, metadata: { name: s } }\n', ['/x/m'], 1],
  ])('cluster: %s', (_what, text, manifests, inline) => {
    const s = loadScenarioText(text, '/x/s.yaml');
    expect(s.manifests).toEqual(manifests);
    expect(s.cluster).toHaveLength(inline);
  });

  it('cluster map without manifests is refused with its line', () => {
    expect(() => loadScenarioText('name: t\ncluster:\n  objects: []\n', '/x/s.yaml')).toThrow("missing required field 'manifests'");
  });
});
