import { describe, expect, it } from 'vitest';
import { renderCluster, rolloutImpact } from '../../src/openshift/index.js';
import { registriesChangeVerdict } from '../../src/openshift/registries-drain.js';
import type { ClusterObject } from '../../src/scenario/types.js';

const image = (registrySources: Record<string, unknown>): ClusterObject => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources } });

const mc = (name: string, files: Record<string, string>, spec: Record<string, unknown> = {}, role = 'worker'): ClusterObject => ({
  apiVersion: 'machineconfiguration.openshift.io/v1',
  kind: 'MachineConfig',
  metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } },
  spec: {
    ...spec,
    config: { ignition: { version: '3.2.0' }, storage: { files: Object.entries(files).map(([path, text]) => ({ path, mode: 420, contents: { source: `data:,${encodeURIComponent(text)}` } })) } },
  },
});

const idms = (source: string, mirrors: string[]): ClusterObject => ({
  apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: `m-${source.replace(/\W/g, '-')}` },
  spec: { imageDigestMirrors: [{ source, mirrors }] },
});

const icsp = (source: string, mirrors: string[]): ClusterObject => ({
  apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name: 'icsp' },
  spec: { repositoryDigestMirrors: [{ source, mirrors }] },
});

const pullSecret = (auth: string): ClusterObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull-secret', namespace: 'openshift-config' }, type: 'kubernetes.io/dockerconfigjson',
  stringData: { '.dockerconfigjson': JSON.stringify({ auths: { 'quay.io': { auth } } }) },
});

const drainOverride: ClusterObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'image-registry-override-drain', namespace: 'openshift-machine-config-operator' }, data: {} };

function impact(before: ClusterObject[], after: ClusterObject[], openshift: string, pool = 'worker') {
  const a = renderCluster(before, {}, { openshift, role: pool });
  const b = renderCluster(after, {}, { openshift, role: pool });
  expect([...a.errors, ...b.errors]).toEqual([]);
  return rolloutImpact(a.machineConfig, b.machineConfig, { openshift, pool });
}

const DROPIN = '/etc/containers/registries.conf.d/99-nexus.conf';
const CA_BUNDLE = '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt';

describe('the daemon reboots for files outside its lists, reloads CRI-O for registries files (file lists, before 4.17)', () => {
  it.each([
    ['4.15', [], [image({ insecureRegistries: ['nexus.example.com'] })], 'reload crio', '/etc/containers/registries.conf'],
    ['4.15', [], [image({ blockedRegistries: ['bad.example.com'] })], 'reload crio', '/etc/containers/policy.json'],
    ['4.15', [], [image({ allowedRegistries: ['quay.io', 'registry.example.com'] })], 'reload crio', '/etc/containers/policy.json'],
    ['4.15', [], [mc('99-worker-nexus', { [DROPIN]: '[[registry]]\nlocation = "nexus:5001"\ninsecure = true\n' })], 'reboot', DROPIN],
    ['4.15', [pullSecret('YTpi')], [pullSecret('YzpkZQ==')], 'none', undefined],
    ['4.13', [], [mc('99-ca', { [CA_BUNDLE]: 'PEM' })], 'reboot', CA_BUNDLE],
    ['4.14', [], [mc('99-ca', { [CA_BUNDLE]: 'PEM' })], 'restart crio', CA_BUNDLE],
    ['4.15', [], [mc('99-sig', { '/etc/containers/registries.d/quay.yaml': 'docker: {}\n' })], 'reboot', '/etc/containers/registries.d/quay.yaml'],
    ['4.16', [], [mc('99-sig', { '/etc/containers/registries.d/quay.yaml': 'docker: {}\n' })], 'reload crio', '/etc/containers/registries.d/quay.yaml'],
  ])('%s: %#', (release, before, after, action, decidedBy) => {
    const r = impact(before as ClusterObject[], after as ClusterObject[], release as string);
    expect(r.mode).toBe('file lists');
    expect(r.action).toBe(action);
    expect(r.decidedBy).toBe(decidedBy);
  });

  it('a pull secret change alone does nothing', () => {
    const r = impact([pullSecret('YTpi')], [pullSecret('YzpkZQ==')], '4.15');
    expect(r.changedFiles).toEqual(['/var/lib/kubelet/config.json']);
    expect(r.summary).toBe('nothing to do on the nodes of pool worker');
    expect(r.summary).not.toContain('YzpkZQ');
  });

  it('a machine config of another pool leaves this one alone', () => {
    const r = impact([], [mc('99-master-x', { [DROPIN]: 'x' }, {}, 'master')], '4.15');
    expect(r.summary).toBe('no change for pool worker');
  });

  it('4.14 and 4.15 keep whichever of reload and restart Go\'s map walk meets last; 4.16 lets a restart stand', () => {
    const after = [image({ insecureRegistries: ['nexus.example.com'] }), mc('99-ca', { [CA_BUNDLE]: 'PEM' })];
    expect(impact([], after, '4.15').actions).toEqual(['reload crio', 'restart crio']);
    expect(impact([], after, '4.15').summary).toContain('reloads or restarts CRI-O');
    expect(impact([], after, '4.16').actions).toEqual(['restart crio']);
  });
});

describe('machineConfigDiff: OS image, kernel arguments, FIPS, kernel type, extensions and units reboot', () => {
  it.each([
    ['spec.kernelArguments', { kernelArguments: ['nosmt'] }],
    ['spec.extensions', { extensions: ['usbguard'] }],
    ['spec.kernelType', { kernelType: 'realtime' }],
    ['spec.fips', { fips: true }],
    ['spec.osImageURL', { osImageURL: 'quay.io/x/os@sha256:1' }],
  ])('%s', (field, spec) => {
    for (const release of ['4.15', '4.17']) {
      const r = impact([mc('50-x', {})], [mc('50-x', {}, spec)], release);
      expect(r.action).toBe('reboot');
      expect(r.decidedBy).toBe(`MachineConfig ${field}`);
      expect(r.drain).toBe(true);
    }
  });
});

describe('a CRI-O reload drains only when registries.conf changed unsafely (isSafeContainerRegistryConfChanges)', () => {
  it.each([
    ['4.15', [], [idms('quay.io/team', ['mirror.example.com/team'])], false, 'changes made are safe to skip drain'],
    ['4.15', [idms('quay.io/team', ['m1.example.com/team', 'm2.example.com/team'])], [idms('quay.io/team', ['m1.example.com/team'])], true, 'mirror m2.example.com/team has been removed in registry quay.io/team'],
    ['4.15', [], [image({ insecureRegistries: ['nexus.example.com'] })], true, 'registry nexus.example.com has been added with mirror does not set pull-from-mirror=digest-only'],
    ['4.15', [image({ insecureRegistries: ['a.example.com', 'b.example.com'] })], [image({ insecureRegistries: ['a.example.com'] })], true, 'registry b.example.com has been removed'],
    ['4.12', [], [icsp('quay.io/team', ['mirror.example.com/team'])], false, 'changes made are safe to skip drain'],
  ])('%s %#', (release, before, after, drain, reason) => {
    const r = impact(before as ClusterObject[], after as ClusterObject[], release as string);
    expect(r.action).toBe('reload crio');
    expect(r.drain).toBe(drain);
    expect(r.drainReason).toBe(`/etc/containers/registries.conf: ${reason}`);
  });

  it('the image-registry-override-drain ConfigMap skips the drain, with the daemon\'s warning', () => {
    const r = impact([], [image({ insecureRegistries: ['nexus.example.com'] }), drainOverride], '4.15');
    expect(r.drain).toBe(false);
    expect(r.drainReason).toBe('Drain was skipped for this image registry update due to the configmap image-registry-override-drain being present. This may not be a safe change');
  });
});

describe('registriesChangeVerdict reads the files as the daemon decodes them', () => {
  const reg = (body: string) => `[[registry]]\n${body}\n`;
  it.each([
    ['search registries appended', 'unqualified-search-registries = ["a"]', 'unqualified-search-registries = ["a", "b"]', true, true],
    ['search registries reordered', 'unqualified-search-registries = ["a", "b"]', 'unqualified-search-registries = ["b", "a"]', true, false],
    ['blocked flips', reg('location = "x.io"'), reg('location = "x.io"\nblocked = true'), true, false],
    ['a digest-only mirror added to a registry', reg('location = "x.io"'), reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "digest-only"'), true, true],
    ['a mirror for all pulls added', reg('location = "x.io"'), reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"'), true, false],
    ['a mirror loosened from digest-only', reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "digest-only"'), reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "all"'), true, false],
    ['a mirror made digest-only', reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"'), reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "digest-only"'), true, true],
    ['a mirror\'s insecure flag is not compared', reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"'), reg('location = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\ninsecure = true'), true, true],
    ['pre-4.13: a mirror added under mirror-by-digest-only', reg('location = "x.io"\nmirror-by-digest-only = true'), reg('location = "x.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"'), false, true],
    ['pre-4.13: mirror-by-digest-only turned off', reg('location = "x.io"\nmirror-by-digest-only = true'), reg('location = "x.io"'), false, false],
  ])('%s', (_name, before, after, perMirror, safe) => {
    expect(registriesChangeVerdict(before, after, perMirror).safe).toBe(safe);
  });

  it('a file that does not decode fails the update with the daemon\'s error', () => {
    expect(() => registriesChangeVerdict('', 'unqualified-search-registries = [', true)).toThrow(/^failed decoding TOML content from file \/etc\/containers\/registries.conf: toml: /);
  });
});

describe('node disruption policies decide from 4.17 (MachineConfiguration cluster over the MCO defaults)', () => {
  const policy = (files: Array<{ path: string; actions: unknown[] }>): ClusterObject => ({
    apiVersion: 'operator.openshift.io/v1', kind: 'MachineConfiguration', metadata: { name: 'cluster' }, spec: { nodeDisruptionPolicy: { files } },
  });

  it.each([
    ['registries.conf: Special → reload CRI-O, drain judged', [image({ insecureRegistries: ['nexus.example.com'] })], 'reload crio', true, ['Special']],
    ['a drop-in without a policy reboots', [mc('99-worker-nexus', { [DROPIN]: 'x' })], 'reboot', true, ['Reboot']],
    ['a user policy for registries.conf.d reloads CRI-O', [mc('99-worker-nexus', { [DROPIN]: 'x' }), policy([{ path: '/etc/containers/registries.conf.d', actions: [{ type: 'Reload', reload: { serviceName: 'crio.service' } }] }])], 'reload crio', false, ['Reload crio.service']],
    ['the user CA bundle restarts two services', [mc('99-ca', { [CA_BUNDLE]: 'PEM' })], 'restart crio', false, ['Restart coreos-update-ca-trust.service', 'Restart crio.service']],
    ['a user None policy replaces the default for the same path', [image({ insecureRegistries: ['nexus.example.com'] }), policy([{ path: '/etc/containers/registries.conf', actions: [{ type: 'None' }] }])], 'none', false, ['None']],
  ])('%s', (_name, after, action, drain, actions) => {
    const r = impact([], after as ClusterObject[], '4.17');
    expect(r.mode).toBe('node disruption policies');
    expect(r.action).toBe(action);
    expect(r.drain).toBe(drain);
    expect(r.actions).toEqual(actions);
  });

  it('4.16 still uses the file lists (the feature gate is tech preview there)', () => {
    expect(impact([], [mc('99-worker-nexus', { [DROPIN]: 'x' })], '4.16').mode).toBe('file lists');
  });

  it('an unknown action type is refused by the API server, naming the field', () => {
    const r = renderCluster([policy([{ path: '/etc/x', actions: [{ type: 'Explode' }] }])], {}, { openshift: '4.17' });
    expect(r.errors.map((e) => e.message).join('\n')).toContain('spec.nodeDisruptionPolicy.files[0].actions[0].type');
  });
});
