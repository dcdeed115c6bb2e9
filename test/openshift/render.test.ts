import { describe, expect, it } from 'vitest';
import { renderCluster, renderDiff, renderReport } from '../../src/openshift/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';

const image = (registrySources: Record<string, unknown>, extra: Record<string, unknown> = {}): ClusterObject => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Image',
  metadata: { name: 'cluster' },
  spec: { registrySources, ...extra },
});
const icsp = (name: string, repositoryDigestMirrors: Array<{ source: string; mirrors: string[] }>): ClusterObject => ({
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'ImageContentSourcePolicy',
  metadata: { name },
  spec: { repositoryDigestMirrors },
});
const mirrorSet = (kind: 'ImageDigestMirrorSet' | 'ImageTagMirrorSet', name: string, sets: Array<Record<string, unknown>>): ClusterObject => ({
  apiVersion: 'config.openshift.io/v1',
  kind,
  metadata: { name },
  spec: { [kind === 'ImageDigestMirrorSet' ? 'imageDigestMirrors' : 'imageTagMirrors']: sets },
});
const clusterVersion = (img: string): ClusterObject => ({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, status: { desired: { image: img } } });

const file = (objects: ClusterObject[], path: string, opts: { openshift?: string } = {}, nodeFiles: Record<string, string> = {}) =>
  renderCluster(objects, nodeFiles, opts).files.get(path)?.content;

const ACCEPT = '[{"type":"insecureAcceptAnything"}]';
const REJECT = '[{"type":"reject"}]';
const BASE = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n';

describe('base files from the MCO templates', () => {
  it('writes the template registries.conf and policy.json when node.files lacks them', () => {
    const r = renderCluster([], {});
    expect(r.files.get('/etc/containers/registries.conf')?.content).toBe("unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n");
    expect(JSON.parse(r.files.get('/etc/containers/policy.json')!.content)).toEqual({ default: [{ type: 'insecureAcceptAnything' }], transports: { 'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] } } });
    expect(r.errors).toEqual([]);
  });
  it('keeps node.files for template paths no object renders', () => {
    const r = renderCluster([], { '/etc/containers/registries.conf': 'unqualified-search-registries = ["x.io"]\n' });
    expect(r.files.get('/etc/containers/registries.conf')).toEqual({ content: 'unqualified-search-registries = ["x.io"]\n', producedBy: 'node.files' });
    expect(r.mcdErrors).toEqual([]);
  });
});

describe('allowedRegistries → policy.json', () => {
  it('rejects by default and accepts each allowed scope under docker and atomic', () => {
    const scopes = ['example.com', 'quay.io', 'registry.redhat.io', 'reg1.io/myrepo/myapp:latest', 'image-registry.openshift-image-registry.svc:5000'];
    const sorted = [...scopes].sort();
    const entries = sorted.map((s) => `"${s}":${ACCEPT}`).join(',');
    expect(file([image({ allowedRegistries: scopes })], '/etc/containers/policy.json')).toBe(
      `{"default":${REJECT},"transports":{"atomic":{${entries}},"docker":{${entries}},"docker-daemon":{"":${ACCEPT}}}}`,
    );
  });
  it('leaves scopes with three or more slashes out of atomic', () => {
    const p = JSON.parse(file([image({ allowedRegistries: ['a.io/b/c/d', 'a.io/b/c'] })], '/etc/containers/policy.json')!);
    expect(Object.keys(p.transports.docker)).toEqual(['a.io/b/c', 'a.io/b/c/d']);
    expect(Object.keys(p.transports.atomic)).toEqual(['a.io/b/c']);
  });
  it('leaves registries.conf as the template', () => {
    const r = renderCluster([image({ allowedRegistries: ['quay.io'] })], {});
    expect(r.files.get('/etc/containers/registries.conf')?.producedBy).toBe('01-worker-container-runtime (MCO template)');
  });
});

describe('blockedRegistries → registries.conf and policy.json', () => {
  const objs = [image({ blockedRegistries: ['untrusted.com', 'reg1.io/myrepo/myapp:latest'] })];
  it('writes blocked entries', () => {
    expect(file(objs, '/etc/containers/registries.conf')).toBe(
      `${BASE}\n[[registry]]\n  prefix = ""\n  location = "untrusted.com"\n  blocked = true\n\n[[registry]]\n  prefix = ""\n  location = "reg1.io/myrepo/myapp:latest"\n  blocked = true\n`,
    );
  });
  it('rejects each blocked scope and accepts the rest', () => {
    const p = JSON.parse(file(objs, '/etc/containers/policy.json')!);
    expect(p.default).toEqual([{ type: 'insecureAcceptAnything' }]);
    expect(p.transports.docker).toEqual({ 'reg1.io/myrepo/myapp:latest': [{ type: 'reject' }], 'untrusted.com': [{ type: 'reject' }] });
  });
  it('writes wildcard scopes as prefix entries', () => {
    expect(file([image({ blockedRegistries: ['*.bad.io'] })], '/etc/containers/registries.conf')).toBe(`${BASE}\n[[registry]]\n  prefix = "*.bad.io"\n  blocked = true\n`);
  });
});

describe('insecureRegistries → registries.conf', () => {
  it('writes insecure entries', () => {
    expect(file([image({ insecureRegistries: ['insecure.com', 'reg4.io/myrepo/myapp:latest'] })], '/etc/containers/registries.conf')).toBe(
      `${BASE}\n[[registry]]\n  prefix = ""\n  location = "insecure.com"\n  insecure = true\n\n[[registry]]\n  prefix = ""\n  location = "reg4.io/myrepo/myapp:latest"\n  insecure = true\n`,
    );
  });
  it('spreads to nested scopes and to mirrors inside the insecure scope', () => {
    const out = file([image({ insecureRegistries: ['mirror.lab'] }), icsp('m', [{ source: 'mirror.lab/team', mirrors: ['mirror.lab/cache/team'] }])], '/etc/containers/registries.conf');
    expect(out).toBe(
      `${BASE}\n[[registry]]\n  prefix = ""\n  location = "mirror.lab/team"\n  insecure = true\n\n  [[registry.mirror]]\n    location = "mirror.lab/cache/team"\n    insecure = true\n    pull-from-mirror = "digest-only"\n\n[[registry]]\n  prefix = ""\n  location = "mirror.lab"\n  insecure = true\n`,
    );
  });
});

describe('containerRuntimeSearchRegistries → drop-in', () => {
  it('writes the search list as the Go encoder does', () => {
    expect(file([image({ containerRuntimeSearchRegistries: ['reg1.io', 'reg2.io', 'reg3.io'] })], '/etc/containers/registries.conf.d/01-image-searchRegistries.conf')).toBe(
      'unqualified-search-registries = ["reg1.io", "reg2.io", "reg3.io"]\nshort-name-mode = ""\n',
    );
  });
});

const ubi8repo = icsp('ubi8repo', [
  { mirrors: ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal'], source: 'registry.access.redhat.com/ubi8/ubi-minimal' },
  { mirrors: ['mirror.example.com/redhat'], source: 'registry.redhat.io/openshift4' },
  { mirrors: ['mirror.example.com'], source: 'registry.redhat.io' },
  { mirrors: ['mirror.example.net/image'], source: 'registry.example.com/example/myimage' },
  { mirrors: ['mirror.example.net'], source: 'registry.example.com/example' },
  { mirrors: ['mirror.example.net/registry-example-com'], source: 'registry.example.com' },
]);

const reg = (location: string, body: string, mirrors: string[], mirrorBody = '') =>
  `\n[[registry]]\n  prefix = ""\n  location = "${location}"\n${body}${mirrors.map((m) => `\n  [[registry.mirror]]\n    location = "${m}"\n${mirrorBody}`).join('')}`;

describe('ImageContentSourcePolicy → mirrors', () => {
  const order: Array<[string, string[]]> = [
    ['registry.access.redhat.com/ubi8/ubi-minimal', ['example.io/example/ubi-minimal', 'example.com/example/ubi-minimal']],
    ['registry.example.com', ['mirror.example.net/registry-example-com']],
    ['registry.example.com/example', ['mirror.example.net']],
    ['registry.example.com/example/myimage', ['mirror.example.net/image']],
    ['registry.redhat.io', ['mirror.example.com']],
    ['registry.redhat.io/openshift4', ['mirror.example.com/redhat']],
  ];
  it('4.10 writes the documented file: mirror-by-digest-only on each source', () => {
    expect(file([ubi8repo], '/etc/containers/registries.conf', { openshift: '4.10' })).toBe(BASE + order.map(([s, m]) => reg(s, '  mirror-by-digest-only = true\n', m)).join(''));
  });
  it('4.15 writes pull-from-mirror = "digest-only" per mirror', () => {
    expect(file([ubi8repo], '/etc/containers/registries.conf')).toBe(BASE + order.map(([s, m]) => reg(s, '', m, '    pull-from-mirror = "digest-only"\n')).join(''));
  });
  it('ignores entries whose mirrors only repeat the source', () => {
    expect(file([icsp('x', [{ source: 'a.io/r', mirrors: ['a.io/r'] }])], '/etc/containers/registries.conf')).toBe(BASE);
  });
  it('merges mirror sets per source in topological order', () => {
    const out = file([icsp('one', [{ source: 'src.io/r', mirrors: ['b.io/r', 'c.io/r'] }]), icsp('two', [{ source: 'src.io/r', mirrors: ['a.io/r', 'b.io/r'] }])], '/etc/containers/registries.conf');
    expect(out).toBe(BASE + reg('src.io/r', '', ['a.io/r', 'b.io/r', 'c.io/r'], '    pull-from-mirror = "digest-only"\n'));
  });
  it('copies mirrors into nested scopes that have none (4.11+), not before', () => {
    const objs = [icsp('m', [{ source: 'quay.io', mirrors: ['mirror.io/quay'] }]), image({ blockedRegistries: ['quay.io/payload'] })];
    expect(file(objs, '/etc/containers/registries.conf')).toBe(
      BASE + reg('quay.io', '', ['mirror.io/quay'], '    pull-from-mirror = "digest-only"\n') + reg('quay.io/payload', '  blocked = true\n', ['mirror.io/quay/payload'], '    pull-from-mirror = "digest-only"\n'),
    );
    expect(file(objs, '/etc/containers/registries.conf', { openshift: '4.10' })).toBe(
      BASE + reg('quay.io', '  mirror-by-digest-only = true\n', ['mirror.io/quay']) + reg('quay.io/payload', '  blocked = true\n', []),
    );
  });
});

describe('ImageDigestMirrorSet / ImageTagMirrorSet', () => {
  it('tag mirrors get tag-only, NeverContactSource blocks the source', () => {
    const out = file(
      [mirrorSet('ImageTagMirrorSet', 't', [{ source: 'tags.io/app', mirrors: ['m.io/app'] }]), mirrorSet('ImageDigestMirrorSet', 'd', [{ source: 'dig.io/app', mirrors: ['m.io/app'], mirrorSourcePolicy: 'NeverContactSource' }])],
      '/etc/containers/registries.conf',
    );
    expect(out).toBe(BASE + reg('dig.io/app', '  blocked = true\n', ['m.io/app'], '    pull-from-mirror = "digest-only"\n') + reg('tags.io/app', '', ['m.io/app'], '    pull-from-mirror = "tag-only"\n'));
  });
  it('do not exist before 4.13', () => {
    const r = renderCluster([mirrorSet('ImageDigestMirrorSet', 'd', [{ source: 'a.io', mirrors: ['b.io'] }])], {}, { openshift: '4.12' });
    expect(r.errors.map((e) => e.message)).toEqual(['no matches for kind "ImageDigestMirrorSet" in version "config.openshift.io/v1"']);
  });
});

describe('the payload repository', () => {
  it('is not blocked: the controller logs and renders the rest', () => {
    const r = renderCluster([image({ blockedRegistries: ['quay.io', 'bad.io'] })], {});
    expect(r.logs).toContain('error adding ["quay.io"] to blocked registries, cannot block the repository being used by the payload, skipping....');
    expect(r.files.get('/etc/containers/registries.conf')?.content).toBe(`${BASE}\n[[registry]]\n  prefix = ""\n  location = "bad.io"\n  blocked = true\n`);
    expect(r.errors).toEqual([]);
  });
  it('follows the ClusterVersion release image', () => {
    const r = renderCluster([clusterVersion('registry.lab/ocp/release@sha256:' + 'a'.repeat(64)), image({ blockedRegistries: ['quay.io'] })], {});
    expect(r.logs.join('\n')).not.toContain('cannot block');
  });
  it('is blocked in registries.conf but allowed in policy.json when it has an unblocked digest mirror', () => {
    const objs = [
      clusterVersion('quay.io/openshift-payload/release@sha256:' + 'b'.repeat(64)),
      icsp('payload', [{ source: 'quay.io/openshift-payload', mirrors: ['internal-mirror.io/openshift-payload'] }]),
      image({ blockedRegistries: ['quay.io/openshift-payload'] }),
    ];
    const r = renderCluster(objs, {});
    expect(r.files.get('/etc/containers/registries.conf')?.content).toBe(
      BASE + reg('quay.io/openshift-payload', '  blocked = true\n', ['internal-mirror.io/openshift-payload'], '    pull-from-mirror = "digest-only"\n'),
    );
    const p = JSON.parse(r.files.get('/etc/containers/policy.json')!.content);
    expect(p.transports.docker).toEqual({ 'quay.io/openshift-payload': [{ type: 'reject' }], 'quay.io/openshift-payload/release': [{ type: 'insecureAcceptAnything' }] });
  });
  it('4.10 writes the documented blocked source behind a mirror', () => {
    const objs = [icsp('p', [{ source: 'quay.io/openshift-payload', mirrors: ['internal-mirror.io/openshift-payload'] }]), image({ blockedRegistries: ['quay.io/openshift-payload'] })];
    expect(file(objs, '/etc/containers/registries.conf', { openshift: '4.10' })).toBe(BASE + reg('quay.io/openshift-payload', '  blocked = true\n  mirror-by-digest-only = true\n', ['internal-mirror.io/openshift-payload']));
  });
});

describe('MCO validation errors leave node files as they were', () => {
  const sync = (inner: string) => `Error syncing image config cluster: could not Create/Update MachineConfig: ${inner}`;
  it.each<[string, ClusterObject[], string, string?]>([
    ['both lists', [image({ allowedRegistries: ['a.io'], blockedRegistries: ['b.io'] })], sync('could not update policy json with new changes: invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified')],
    ['insecure scope', [image({ insecureRegistries: ['*.a.io/x'] })], sync('could not update registries config with new changes: invalid entry for insecure registries "*.a.io/x"')],
    ['blocked scope', [image({ blockedRegistries: ['a.*.io'] })], sync('could not update registries config with new changes: invalid entry for blocked registries "a.*.io"')],
    ['allowed scope', [image({ allowedRegistries: [''] })], sync('could not update policy json with new changes: invalid entry for allowed registries ""')],
    [
      'conflicting policies',
      [mirrorSet('ImageDigestMirrorSet', 'a', [{ source: 's.io', mirrors: ['m.io'], mirrorSourcePolicy: 'NeverContactSource' }]), icsp('b', [{ source: 's.io', mirrors: ['n.io'] }])],
      sync('could not update registries config with new changes: conflicting mirrorSourcePolicy is set for the same source "s.io" in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies'),
    ],
    [
      'conflicting policies (4.14 text)',
      [mirrorSet('ImageDigestMirrorSet', 'a', [{ source: 's.io', mirrors: ['m.io'], mirrorSourcePolicy: 'NeverContactSource' }]), mirrorSet('ImageTagMirrorSet', 'b', [{ source: 's.io', mirrors: ['n.io'] }])],
      sync('could not update registries config with new changes: conflicting mirrorSourcePolicy is set for the same source "s.io" in imagedigestmirrorsets and/or imagetagmirrorsets'),
      '4.14',
    ],
    ['source among its mirrors', [mirrorSet('ImageDigestMirrorSet', 'a', [{ source: 's.io', mirrors: ['m.io', 's.io'], mirrorSourcePolicy: 'NeverContactSource' }])], sync('could not update registries config with new changes: cannot set mirrorSourcePolicy: NeverContactSource if the source "s.io" is one of the mirrors')],
    ['wildcard source (4.15)', [icsp('w', [{ source: '*.s.io', mirrors: ['m.io'] }])], sync('could not update registries config with new changes: wildcard entries are not supported with mirror configuration "*.s.io"')],
    ['empty mirror (4.15)', [icsp('w', [{ source: 's.io', mirrors: [''] }])], sync('could not update registries config with new changes: invalid empty entry for mirror configuration')],
    ['bad source (4.16)', [icsp('w', [{ source: 'S.io/UPPER', mirrors: ['m.io'] }])], sync('could not update registries config with new changes: invalid format for source "S.io/UPPER"'), '4.16'],
    ['bad mirror (4.16)', [icsp('w', [{ source: 's.io', mirrors: ['*.m.io'] }])], sync('could not update registries config with new changes: invalid format for mirror "*.m.io"'), '4.16'],
    ['release image', [clusterVersion('not a reference'), image({ insecureRegistries: ['a.io'] })], 'Error syncing image config cluster: error parsing reference of release image'],
  ])('%s', (_n, objs, message, openshift) => {
    const node = { '/etc/containers/registries.conf': 'unqualified-search-registries = ["keep.io"]\n' };
    const r = renderCluster(objs, node, { openshift });
    expect(r.errors.map((e) => e.message)).toEqual([message]);
    expect(r.files.get('/etc/containers/registries.conf')?.content).toBe(node['/etc/containers/registries.conf']);
    expect(r.files.get('/etc/containers/policy.json')?.producedBy).toBe('01-worker-container-runtime (MCO template)');
  });
});

describe('objects the API server refuses name kind, name and field', () => {
  it.each<[string, ClusterObject, string]>([
    ['Image not named cluster', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'mine' }, spec: {} }, 'Image.config.openshift.io "mine" is invalid: metadata.name: Invalid value: "mine": must be cluster'],
    ['list given as string', image({ insecureRegistries: 'a.io' }), 'Image.config.openshift.io "cluster" is invalid: spec.registrySources.insecureRegistries: Invalid value: "string": spec.registrySources.insecureRegistries in body must be of type array: "string"'],
    ['typo in a field', image({ insecureRegistry: ['a.io'] }), 'Image.config.openshift.io "cluster" is invalid: strict decoding error: unknown field "spec.registrySources.insecureRegistry"'],
    ['ICSP typo', icsp('x', [{ source: 'a.io', mirror: ['b.io'] } as never]), 'ImageContentSourcePolicy.operator.openshift.io "x" is invalid: strict decoding error: unknown field "spec.repositoryDigestMirrors[0].mirror"'],
    ['bad mirrorSourcePolicy', mirrorSet('ImageDigestMirrorSet', 'd', [{ source: 'a.io', mirrors: ['b.io'], mirrorSourcePolicy: 'Never' }]), 'ImageDigestMirrorSet.config.openshift.io "d" is invalid: spec.imageDigestMirrors[0].mirrorSourcePolicy: Unsupported value: "Never": supported values: "AllowContactingSource", "NeverContactSource"'],
    ['ICSP in the wrong version', { apiVersion: 'config.openshift.io/v1', kind: 'ImageContentSourcePolicy', metadata: { name: 'x' } }, 'no matches for kind "ImageContentSourcePolicy" in version "config.openshift.io/v1"'],
    ['MachineConfig without ignition version', { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: { name: 'mc' }, spec: { config: { storage: { files: [] } } } }, 'MachineConfig.machineconfiguration.openshift.io "mc" is invalid: spec.config.ignition.version: Required value'],
    ['MachineConfig with a relative path', { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: { name: 'mc' }, spec: { config: { ignition: { version: '3.2.0' }, storage: { files: [{ path: 'etc/x', contents: { source: 'data:,x' } }] } } } }, 'MachineConfig.machineconfiguration.openshift.io "mc" is invalid: spec.config.storage.files[0].path: Invalid value: "etc/x": path not absolute'],
    ['MachineConfig with a bad data URL', { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: { name: 'mc' }, spec: { config: { ignition: { version: '3.2.0' }, storage: { files: [{ path: '/x', contents: { source: 'data:;base64,@@@' } }] } } } }, 'MachineConfig.machineconfiguration.openshift.io "mc" is invalid: spec.config.storage.files[0].contents.source: Invalid value: "data:;base64,@@@": illegal base64 data'],
    ['Secret data not base64', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'test' }, data: { x: 'not base64!' } }, 'Secret "s" is invalid: data[x]: Invalid value: "<secret contents redacted>": illegal base64 data'],
    ['dockerconfigjson without its key', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'test' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockercfg': '{}' } }, 'Secret "s" is invalid: data[.dockerconfigjson]: Required value'],
    ['Pod without containers', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } }, 'Pod "p" is invalid: spec.containers: Required value'],
    ['no metadata', { apiVersion: 'v1', kind: 'Secret' } as unknown as ClusterObject, 'Secret "" is invalid: metadata.name: Required value'],
    ['spec not an object', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: 'x' }, 'Image.config.openshift.io "cluster" is invalid: spec: Invalid value: "string": spec in body must be of type object: "string"'],
    ['Deployment container without image', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } }, 'Deployment.apps "d" is invalid: spec.template.spec.containers[0].image: Required value'],
  ])('%s', (_n, obj, message) => {
    expect(renderCluster([obj], {}).errors.map((e) => e.message)).toEqual([message]);
  });
  it('never shows secret values', () => {
    const r = renderCluster([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths": s3cret' } }], {});
    expect(r.errors[0].message).toMatch(/^Secret "s" is invalid: data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": invalid character/);
    expect(r.errors[0].message).not.toContain('s3cret');
  });
});

describe('MachineConfig files', () => {
  const mc = (name: string, role: string, path: string, source: string): ClusterObject => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } },
    spec: { config: { ignition: { version: '3.1.0' }, storage: { files: [{ contents: { source }, filesystem: 'root', mode: 420, path }] } } },
  });
  const dropin = '/etc/containers/registries.conf.d/99-worker-unqualified-search-registries.conf';
  it('decodes the documented base64 data URL onto nodes of its role', () => {
    const obj = mc('99-worker-unqualified-search-registries', 'worker', dropin, 'data:text/plain;charset=utf-8;base64,dW5xdWFsaWZpZWQtc2VhcmNoLXJlZ2lzdHJpZXMgPSBbJ3JlZ2lzdHJ5LmFjY2Vzcy5yZWRoYXQuY29tJywgJ2RvY2tlci5pbycsICcxOTIuMTY4LjIuMTE6NTAwMSdd');
    expect(renderCluster([obj], {}).files.get(dropin)).toEqual({
      content: "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io', '192.168.2.11:5001']",
      producedBy: 'MachineConfig 99-worker-unqualified-search-registries',
    });
    expect(renderCluster([obj], {}, { role: 'master' }).files.get(dropin)).toBeUndefined();
  });
  it('decodes percent-encoded data URLs', () => {
    expect(renderCluster([mc('50-x', 'worker', '/etc/x.conf', 'data:,a%20b%0A')], {}).files.get('/etc/x.conf')?.content).toBe('a b\n');
  });
  it('a later machine config name wins a path', () => {
    const files = renderCluster([mc('99-worker-z', 'worker', '/etc/containers/policy.json', 'data:,z'), image({ allowedRegistries: ['a.io'] })], {}).files;
    expect(files.get('/etc/containers/policy.json')?.content).toBe('z');
  });
});

describe('the machine-config daemon checks node files the objects render', () => {
  it('reports a content mismatch and applies nothing new', () => {
    const r = renderCluster([image({ allowedRegistries: ['a.io'], insecureRegistries: ['a.io'] })], { '/etc/containers/policy.json': '{"default":[{"type":"insecureAcceptAnything"}]}' });
    expect(r.mcdErrors).toHaveLength(1);
    expect(r.mcdErrors[0]).toMatch(/^unexpected on-disk state validating against rendered-worker-[0-9a-f]{32}: content mismatch for file "\/etc\/containers\/policy.json"$/);
    expect(r.files.get('/etc/containers/policy.json')?.producedBy).toBe('node.files');
    expect(r.files.get('/etc/containers/registries.conf')?.producedBy).toBe('01-worker-container-runtime (MCO template)');
  });
  it('is quiet when the node file already matches', () => {
    const objs = [image({ insecureRegistries: ['a.io'] })];
    const rendered = file(objs, '/etc/containers/registries.conf')!;
    expect(renderCluster(objs, { '/etc/containers/registries.conf': rendered }).mcdErrors).toEqual([]);
  });
});

describe('global pull secret and additionalTrustedCA', () => {
  it('writes openshift-config/pull-secret to /var/lib/kubelet/config.json', () => {
    const json = '{"auths":{"quay.io":{"auth":"YTpi"}}}';
    const r = renderCluster([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull-secret', namespace: 'openshift-config' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(json).toString('base64') } }], {});
    expect(r.files.get('/var/lib/kubelet/config.json')).toEqual({ content: `${json}\n`, producedBy: '00-worker (Secret openshift-config/pull-secret)' });
  });
  it('writes each ConfigMap key to /etc/docker/certs.d with .. turned into :', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const r = renderCluster(
      [image({}, { additionalTrustedCA: { name: 'registry-cas' } }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { 'registry-with-port.example.com..5000': pem, 'plain.example.com': { ca: 'lab' } } }],
      {},
      { resolveCa: (n) => `PEM of ${n}` },
    );
    expect(r.files.get('/etc/docker/certs.d/registry-with-port.example.com:5000/ca.crt')?.content).toBe(pem);
    expect(r.files.get('/etc/docker/certs.d/plain.example.com/ca.crt')?.content).toBe('PEM of lab');
  });
  it('logs a missing ConfigMap', () => {
    expect(renderCluster([image({}, { additionalTrustedCA: { name: 'nope' } })], {}).logs).toContain('could not find configmap specified in image.config.openshift.io/cluster with the name nope');
  });
});

describe('report and diff', () => {
  it('names the producer of every rendered file, not node.files', () => {
    const out = renderReport(renderCluster([image({ insecureRegistries: ['a.io'] })], { '/etc/hosts': 'x' }));
    expect(out).toContain('==> /etc/containers/registries.conf  [99-worker-generated-registries (Image cluster insecureRegistries)]');
    expect(out).not.toContain('/etc/hosts');
  });
  it('diffs two renders per file', () => {
    const a = renderCluster([], {});
    const b = renderCluster([image({ insecureRegistries: ['a.io'] })], {});
    const d = renderDiff(a, b);
    expect(d).toContain('--- a/etc/containers/registries.conf\n+++ b/etc/containers/registries.conf\n');
    expect(d).toContain('+  insecure = true');
    expect(d).toContain("-unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']");
    expect(renderDiff(a, a)).toBe('(no differences)\n');
  });
});
