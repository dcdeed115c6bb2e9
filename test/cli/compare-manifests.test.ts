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
