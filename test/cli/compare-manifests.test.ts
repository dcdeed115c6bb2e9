/** compare on OpenShift manifests kept in git (a GitOps repository): cluster objects rendered by the MCO on both sides. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli-harness.js';
import { tempRepo } from '../compare/git-repo.js';

const SECRET = 'pull-s3cr3t';
const pullSecret = (user: string) => `apiVersion: v1
kind: Secret
metadata: { name: pull-secret, namespace: openshift-config, resourceVersion: "4711" }
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"quay.io":{"auth":"${Buffer.from(`${user}:${SECRET}`).toString('base64')}"}}}'
`;
const imageCr = (blocked: string[]) => `apiVersion: config.openshift.io/v1
kind: Image
metadata: { name: cluster, managedFields: [{ manager: cluster-version-operator }] }
spec:
  registrySources:
    blockedRegistries: [${blocked.join(', ')}]
status: { internalRegistryHostname: image-registry.openshift-image-registry.svc:5000 }
`;
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n';

const repo = tempRepo();
repo.write({
  'clusters/prod/image.yaml': imageCr(['registry.bad.example.com']),
  'clusters/prod/pull-secret.yaml': pullSecret('robot'),
  'clusters/prod/namespace.yaml': NAMESPACE,
  'workloads.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team }\nspec:\n  template:\n    spec:\n      containers:\n      - { name: web, image: docker.io/library/nginx:1.25 }\n      - { name: side, image: quay.io/team/side:1 }\n`,
});
repo.commit('base');
repo.write({ 'clusters/prod/image.yaml': imageCr(['registry.bad.example.com', 'docker.io']), 'clusters/prod/pull-secret.yaml': pullSecret('robot2') });
const d = repo.dir;
const args = ['compare', '--git-base', 'HEAD', '--manifests', join(d, 'clusters/prod'), '--images', join(d, 'workloads.yaml')];

describe('compare --manifests: an Image CR change in a GitOps repository', () => {
  it('the blocked registry breaks the Deployment container that pulls from it', async () => {
    const r = await cli([...args, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string; from: string }) => [c.image, c.class, c.from])).toEqual([
      ['docker.io/library/nginx:1.25', 'breaks', 'Deployment team/web, container web'],
      // The global pull secret's user changed: the credential chosen for quay.io is another one.
      ['quay.io/team/side:1', 'changes decisions only', 'Deployment team/web, container side'],
    ]);
    expect(doc.changes[1].fields.map((f: { field: string }) => f.field)).toEqual(['kubeletCredentials[0]', 'candidates[0].sources[0].credential', 'candidates[0].sources[0].credentialReason']);
    expect(doc.notes.filter((n: string) => n.includes('Namespace team'))).toHaveLength(2);
  });

  it('the Markdown shows the rendered node-file diff, secret values redacted', async () => {
    const r = await cli([...args, '--markdown']);
    expect(r.stdout).toContain('Rendered node files');
    expect(r.stdout).toMatch(/\+\s*location = "docker.io"/);
    expect(r.stdout).toContain('/var/lib/kubelet/config.json');
    for (const out of [r.stdout, (await cli([...args, '--json'])).stdout, (await cli(args)).stdout]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(Buffer.from(`robot2:${SECRET}`).toString('base64'));
    }
  });

  it.each([
    ['a YAML error: file and line', { 'clusters/prod/image.yaml': 'apiVersion: v1\nkind: [\n' }, /image\.yaml, line 3: invalid YAML/],
    ['a broken field of a known kind: kind, name and field', { 'clusters/prod/image.yaml': imageCr([]).replace('blockedRegistries: []', 'blockedRegistries: docker.io') }, /image\.yaml, line 1: Image\.config\.openshift\.io "cluster" is invalid: spec\.registrySources\.blockedRegistries/],
  ])('bad input, one line and exit 2: %s', async (_what, files, message) => {
    const keep = { 'clusters/prod/image.yaml': imageCr(['registry.bad.example.com', 'docker.io']) };
    repo.write(files);
    try {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      repo.write(keep);
    }
  });
});

describe('compare: what the change does to the nodes as it rolls out', () => {
  const r2 = tempRepo();
  const mc = (name: string, role: string, body: string) => `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: ${name}
  labels: { machineconfiguration.openshift.io/role: ${role} }
spec:
  config:
    ignition: { version: 3.2.0 }
    storage:
      files:
      - path: /etc/containers/registries.conf.d/50-team.conf
        mode: 420
        contents: { source: "data:,${encodeURIComponent(body)}" }
`;
  r2.write({ 'm/image.yaml': imageCr(['registry.bad.example.com']), 'images.txt': 'quay.io/a/b:1\n' });
  r2.commit('base');
  const cmd = ['compare', '--git-base', 'HEAD', '--manifests', join(r2.dir, 'm'), '--images', join(r2.dir, 'images.txt')];

  it('an Image CR change reloads CRI-O on every pool, with the drain verdict; the Markdown starts with it', async () => {
    r2.write({ 'm/image.yaml': imageCr(['registry.bad.example.com', 'docker.io']) });
    const doc = JSON.parse((await cli([...cmd, '--json'])).stdout);
    expect(doc.rollout.map((i: { pool: string; action: string; drain: boolean }) => [i.pool, i.action, i.drain])).toEqual([['master', 'reload crio', true], ['worker', 'reload crio', true]]);
    expect(doc.rollout[1].changedFiles).toEqual(['/etc/containers/policy.json', '/etc/containers/registries.conf']);
    expect(doc.rollout[1].drainReason).toBeTruthy();
    const md = (await cli([...cmd, '--markdown'])).stdout;
    expect(md.split('\n')[0]).toMatch(/^reloads CRI-O on every node of pool master, draining each first.*; reloads CRI-O on every node of pool worker/);
    expect((await cli(cmd)).stdout.split('\n')[1]).toMatch(/^rollout \(OpenShift 4\.15\): reloads CRI-O on every node of pool worker/);
  });

  it('a MachineConfig drop-in reboots its pool only', async () => {
    r2.write({ 'm/image.yaml': imageCr(['registry.bad.example.com']), 'm/mc.yaml': mc('50-team-registries', 'worker', '[[registry]]\nlocation = "quay.io/a"\ninsecure = true\n') });
    const doc = JSON.parse((await cli([...cmd, '--json'])).stdout);
    expect(doc.rollout.map((i: { pool: string; action: string }) => [i.pool, i.action])).toEqual([['master', 'none'], ['worker', 'reboot']]);
    expect(doc.rollout[1].summary).toContain('reboots every node of pool worker');
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual([['quay.io/a/b:1', 'changes decisions only']]);
  });
});

describe('docs/compare.md example: examples/compare', () => {
  it('blocking docker.io in the Image CR breaks nginx; the ImageDigestMirrorSet moves the digest pull to the mirror', async () => {
    const { packageRoot } = await import('../../src/package-root.js');
    const ex = join(packageRoot(), 'examples/compare');
    const r = await cli(['compare', join(ex, 'old-manifests'), join(ex, 'manifests'), '--images', join(ex, 'images.txt'), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image.split('@')[0], c.class])).toEqual([
      ['docker.io/library/nginx:1.25', 'breaks'],
      ['registry.example.com/team/worker', 'changes source'],
    ]);
    expect(doc.rollout.find((i: { pool: string }) => i.pool === 'worker').action).toBe('reload crio');
  });
});

describe('compare: images from workloads get their pod\'s pull secrets, as the kubelet gives them', () => {
  const PASS = 'team-pa55word';
  const secret = (registry: string) => `apiVersion: v1\nkind: Secret\nmetadata: { name: team-pull, namespace: team }\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths":{"${registry}":{"auth":"${Buffer.from(`team:${PASS}`).toString('base64')}"}}}'\n`;
  const r3 = tempRepo();
  r3.write({
    'm/secret.yaml': secret('quay.io/team'),
    'm/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: builder, namespace: team }\nimagePullSecrets: [{ name: team-pull }]\n',
    'pods.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: { name: own, namespace: team }\n  spec: { imagePullSecrets: [{ name: team-pull }], containers: [{ name: c, image: quay.io/team/a:1 }] }\n- apiVersion: v1\n  kind: Pod\n  metadata: { name: by-sa, namespace: team }\n  spec: { serviceAccountName: builder, containers: [{ name: c, image: quay.io/team/b:1 }] }\n- apiVersion: v1\n  kind: Pod\n  metadata: { name: none, namespace: other }\n  spec: { containers: [{ name: c, image: quay.io/team/c:1 }] }\n',
  });
  r3.commit('base');
  r3.write({ 'm/secret.yaml': secret('quay.io/elsewhere') });

  it('a secret that no longer matches changes the credential of its pods only, named, never shown', async () => {
    const r = await cli(['compare', '--git-base', 'HEAD', '--manifests', join(r3.dir, 'm'), '--images', join(r3.dir, 'pods.yaml'), '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { from: string; class: string }) => [c.from, c.class])).toEqual([
      ['Pod team/own, container c', 'changes decisions only'],
      ['Pod team/by-sa, container c', 'changes decisions only'],
    ]);
    expect(doc.changes[0].fields[0]).toMatchObject({ field: 'kubeletCredentials[0]', new: null });
    expect(doc.changes[0].fields[0].old).toContain('Secret team/team-pull');
    expect(r.stdout).not.toContain(PASS);
    expect(r.stdout).not.toContain(Buffer.from(`team:${PASS}`).toString('base64'));
  });
});
