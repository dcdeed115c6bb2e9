/**
 * OpenShift's image registry as the fake serves it (openshift: true): challenges, the token
 * endpoint, the image-puller check, and what missing streams and tags answer; then pods pulling
 * through the kubelet with their ServiceAccount's provisioned secret, in every CRI-O profile.
 */
import { describe, expect, it } from 'vitest';
import { TokenStore } from '../../sim/auth.js';
import { openShiftAuthz } from '../../sim/openshift-registry.js';
import { registryResponse, type RegistryContext } from '../../sim/registry-api.js';
import { crioProfiles } from '../../src/runtime/crio-profiles.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';
import { runInline } from './helpers.js';

const REG = 'image-registry.openshift-image-registry.svc:5000';

function binding(namespace: string, subject: string): ClusterObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'system:image-puller', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-puller' },
    subjects: [JSON.parse(subject)],
  } as ClusterObject;
}

function context(cluster: ClusterObject[]): { ctx: RegistryContext; tokenOf: (key: string) => string } {
  const s = loadScenarioText(`name: x\nregistries: { internal: { host: "${REG}", openshift: true, tls: false, images: { "project-b/app:latest": {} } } }\npulls:\n  - { image: x, namespace: project-a }\n  - { image: x, namespace: project-b }\n`, 'x.yaml');
  const authz = openShiftAuthz({ cluster, pulls: s.pulls });
  const ctx = { content: new Map([['project-b/app', { tags: new Map([['latest', 'sha256:0']]), manifests: new Map(), blobs: new Map() }]]), tokens: new TokenStore(), corruptBlob: false, openshift: { authz, realm: `https://${REG}/openshift/token` } } as unknown as RegistryContext;
  return { ctx, tokenOf: (key) => authz.tokens.get(key)! };
}

const basic = (password: string) => `Basic ${Buffer.from(`<token>:${password}`).toString('base64')}`;

describe('the registry authorizes get imagestreams/layers in the image namespace', () => {
  it('no credentials: a Bearer challenge to the token endpoint', () => {
    const { ctx } = context([]);
    const res = registryResponse(ctx, { method: 'GET', path: '/v2/project-b/app/manifests/latest' })!;
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="https://${REG}/openshift/token"`);
  });

  it('the token endpoint hands back the Basic password, or "anonymous"', () => {
    const { ctx } = context([]);
    expect(JSON.parse(registryResponse(ctx, { method: 'GET', path: '/openshift/token', authorization: basic('tok') })!.body.toString())).toEqual({ token: 'tok' });
    expect(JSON.parse(registryResponse(ctx, { method: 'GET', path: '/openshift/token' })!.body.toString())).toEqual({ token: 'anonymous' });
  });

  it.each([
    ['another project, no binding', [], 'project-a/default', 401],
    ['its own project (the default system:image-pullers binding)', [], 'project-b/default', 200],
    ['anonymous', [], undefined, 401],
    ['a RoleBinding for the ServiceAccount', [binding('project-b', '{"kind":"ServiceAccount","name":"default","namespace":"project-a"}')], 'project-a/default', 200],
    ['a RoleBinding for the group system:serviceaccounts:project-a', [binding('project-b', '{"kind":"Group","name":"system:serviceaccounts:project-a"}')], 'project-a/default', 200],
    ['a RoleBinding as oc policy add-role-to-user writes it (a User subject)', [binding('project-b', '{"kind":"User","name":"system:serviceaccount:project-a:default"}')], 'project-a/default', 200],
    ['a RoleBinding in the wrong namespace', [binding('project-a', '{"kind":"ServiceAccount","name":"default","namespace":"project-a"}')], 'project-a/default', 401],
  ])('%s', (_what, cluster, account, status) => {
    const { ctx, tokenOf } = context(cluster as ClusterObject[]);
    const token = account === undefined ? 'anonymous' : tokenOf(account);
    const res = registryResponse(ctx, { method: 'GET', path: '/v2/project-b/app/tags/list', authorization: `Bearer ${token}` })!;
    expect(res.status).toBe(status);
    if (status === 401) {
      expect(res.headers['www-authenticate']).toBe('Basic realm=openshift,error="access denied"');
      expect(JSON.parse(res.body.toString())).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository', Class: '', Name: 'project-b/app', Action: 'pull' }] }] });
    }
  });

  it('allowed, but the stream is missing: 500 UNKNOWN; the tag missing: 404 MANIFEST_UNKNOWN', () => {
    const { ctx, tokenOf } = context([]);
    const auth = `Bearer ${tokenOf('project-b/default')}`;
    const noStream = registryResponse(ctx, { method: 'GET', path: '/v2/project-b/nosuch/manifests/latest', authorization: auth })!;
    expect([noStream.status, JSON.parse(noStream.body.toString()).errors[0].code]).toEqual([500, 'UNKNOWN']);
    const noTag = registryResponse(ctx, { method: 'GET', path: '/v2/project-b/app/manifests/v9', authorization: auth })!;
    expect([noTag.status, JSON.parse(noTag.body.toString()).errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
  });
});

const INTERNAL = `
cas: { service-ca: {} }
registries:
  internal: { host: "${REG}", openshift: true, tls: { ca: service-ca }, images: { "project-b/app:latest": {} } }
node:
  files:
    /etc/docker/certs.d/${REG}/ca.crt: { ca: service-ca }
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
`;

/** How each CRI-O release wraps the same registry answer. */
const PROFILE_PREFIX: Record<string, string> = {
  'prepare-image': 'rpc error: code = Unknown desc = reading manifest latest in ',
  copy: `initializing source docker://${REG}/project-b/app:latest: reading manifest latest in `,
  'artifact-first': 'unable to try pulling possible OCI artifact: ',
  'artifact-fallback': 'unable to pull image or OCI artifact: pull image err: ',
  'artifact-fallback-net': 'unable to pull image or OCI artifact: pull image err: ',
};

describe('pods pull with the dockercfg secret every ServiceAccount is given', () => {
  it.each(crioProfiles().map((p) => [p.version, p.pullPath] as const))('CRI-O %s: a cross-project denial reads "authentication required"', async (version, path) => {
    const [denied, own] = await runInline(`name: profiles\nversions: { crio: "${version}" }\n${INTERNAL}\npulls:\n  - { image: "${REG}/project-b/app:latest", namespace: project-a }\n  - { image: "${REG}/project-b/app:latest", namespace: project-b }\n`);
    expect(denied!.result).toBe('failed');
    expect(denied!.error).toContain(`reading manifest latest in ${REG}/project-b/app: authentication required`);
    expect(denied!.error).not.toContain('unauthorized:');
    expect(denied!.error!.startsWith(PROFILE_PREFIX[path])).toBe(true);
    expect(denied!.events.some((e) => e.startsWith(`Failed to pull image "${REG}/project-b/app:latest": `))).toBe(true);
    expect(own!.result).toBe('pulled');
    expect(own!.attempts[0]!.credential).toMatch(/^user <token> from Secret project-b\/default-dockercfg-[bcdfghjklmnpqrstvwxz2456789]{5} key image-registry/);
  });

  it('a pod created before its ServiceAccount was provisioned is denied in its own project', async () => {
    const [early, later] = await runInline(`name: early\n${INTERNAL}\npulls:\n  - { image: "${REG}/project-b/app:latest", namespace: project-b, saProvisioned: false }\n  - { image: "${REG}/project-b/app:latest", namespace: project-b }\n`);
    expect(early!.error).toContain(`reading manifest latest in ${REG}/project-b/app: authentication required`);
    expect(early!.attempts[0]!.credential).toBeNull();
    expect(later!.result).toBe('pulled');
  });
});

describe('ImageStream lookup: a pod naming stream:tag gets the imported tag pull spec', () => {
  it.each([
    ['local', true, `${REG}/shop/web@`],
    ['source', true, 'registry.example.com/team/web@'],
    ['local', false, 'web:1.0'],
  ] as const)('referencePolicy %s, lookupPolicy.local %s', async (policy, lookup, prefix) => {
    const pulls = await runInline(`name: lookup
cas: { public: { trusted: true }, service-ca: {} }
registries:
  private: { host: registry.example.com, tls: { ca: public }, images: { "team/web:1.0": {} } }
  internal: { host: "${REG}", openshift: true, tls: { ca: service-ca } }
node:
  files:
    /etc/docker/certs.d/${REG}/ca.crt: { ca: service-ca }
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
cluster:
  - { apiVersion: image.openshift.io/v1, kind: ImageStream, metadata: { name: web, namespace: shop }, spec: { lookupPolicy: { local: ${lookup} } } }
pulls:
  - { import: "web:1.0", namespace: shop, from: "registry.example.com/team/web:1.0", referencePolicy: ${policy} }
  - { image: "web:1.0", namespace: shop }
`);
    expect(pulls[1]!.image.startsWith(prefix)).toBe(true);
    if (lookup) expect(pulls[1]!.result).toBe('pulled');
  });
});
