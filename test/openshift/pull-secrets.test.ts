import { describe, expect, it } from 'vitest';
import { podContainers, pullSecretsFor } from '../../src/openshift/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';

const cfgJson = '{"auths":{"nexus.example.com":{"username":"alice","password":"s3cret","email":"a@example.com","auth":"YWxpY2U6czNjcmV0"}}}';
const cfg = '{"nexus.example.com":{"auth":"YWxpY2U6czNjcmV0"}}';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, type: string, data: Record<string, string>, via: 'data' | 'stringData' = 'data', namespace = 'test'): ClusterObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  type,
  [via]: via === 'data' ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) : data,
});
const sa = (name: string, secrets: string[], namespace = 'test'): ClusterObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, imagePullSecrets: secrets.map((n) => ({ name: n })) });

describe('secret shapes the kubelet reads', () => {
  it.each<[string, ClusterObject, 'dockerconfigjson' | 'dockercfg' | undefined]>([
    ['oc create secret docker-registry', secret('s', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': cfgJson }), 'dockerconfigjson'],
    ['--from-file=.dockerconfigjson --type=kubernetes.io/dockerconfigjson as stringData', secret('s', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': cfgJson }, 'stringData'), 'dockerconfigjson'],
    ['--from-file=.dockercfg --type=kubernetes.io/dockercfg', secret('s', 'kubernetes.io/dockercfg', { '.dockercfg': cfg }), 'dockercfg'],
    ['Opaque with a .dockerconfigjson key', secret('s', 'Opaque', { '.dockerconfigjson': cfgJson }), undefined],
    ['dockerconfigjson type carrying also a .dockercfg key', secret('s', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': cfgJson, '.dockercfg': cfg }), 'dockerconfigjson'],
  ])('%s', (_n, obj, kind) => {
    const r = pullSecretsFor([obj], { namespace: 'test', serviceAccount: 'default', secrets: ['s'] });
    expect(r.sources.map((s) => s.kind)).toEqual(kind ? [kind] : []);
    if (kind) expect(r.sources[0].description).toBe('Secret test/s');
    else expect(r.warnings).toEqual(['Secret test/s (type Opaque) carries no pull credentials the kubelet reads; ignored']);
    expect(r.sources[0]?.text ?? cfgJson).toContain('nexus.example.com');
    expect(JSON.stringify(r.warnings)).not.toContain('s3cret');
  });
});

describe('which secrets a pod gets', () => {
  const objs = [secret('pod-own', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': cfgJson }), secret('linked', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': cfgJson }), sa('default', ['linked'])];
  it.each<[string, string[] | undefined, string[]]>([
    ['the ServiceAccount secrets when the pod names none', undefined, ['Secret test/linked']],
    ['only the pod secrets when it names some', ['pod-own'], ['Secret test/pod-own']],
    ['in the pod order', ['linked', 'pod-own'], ['Secret test/linked', 'Secret test/pod-own']],
  ])('%s', (_n, secrets, want) => {
    expect(pullSecretsFor(objs, { namespace: 'test', serviceAccount: 'default', secrets }).sources.map((s) => s.description)).toEqual(want);
  });
  it('gives the implicit default ServiceAccount no secrets', () => {
    expect(pullSecretsFor([secret('linked', 'kubernetes.io/dockercfg', { '.dockercfg': cfg })], { namespace: 'test', serviceAccount: 'default' })).toEqual({ sources: [], warnings: [] });
  });
  it('reads a ServiceAccount of another namespace never', () => {
    expect(pullSecretsFor(objs, { namespace: 'other', serviceAccount: 'default' }).sources).toEqual([]);
  });
  it('warns like the kubelet about missing secrets and pulls with the rest', () => {
    const r = pullSecretsFor(objs, { namespace: 'test', serviceAccount: 'default', secrets: ['gone', 'pod-own', 'also-gone'] });
    expect(r.sources.map((s) => s.description)).toEqual(['Secret test/pod-own']);
    expect(r.warnings).toEqual(['Unable to retrieve some image pull secrets (gone, also-gone); attempting to pull the image may not succeed.']);
  });
  it('refuses a pod whose ServiceAccount does not exist', () => {
    expect(pullSecretsFor([], { namespace: 'test', serviceAccount: 'builder', pod: 'p' }).warnings).toEqual([
      'pods "p" is forbidden: error looking up service account test/builder: serviceaccount "builder" not found',
    ]);
  });
  it('takes a Deployment pod template secrets and ServiceAccount', () => {
    const dep: ClusterObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'test' },
      spec: { template: { spec: { serviceAccountName: 'deployer', containers: [{ name: 'c', image: 'nexus.example.com/app:1' }] } } },
    };
    expect(pullSecretsFor([...objs, dep, sa('deployer', ['pod-own'])], { namespace: 'test', serviceAccount: 'default', pod: 'web' }).sources.map((s) => s.description)).toEqual(['Secret test/pod-own']);
  });
});

describe('pod containers and the default pull policy', () => {
  const pod: ClusterObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'echo', namespace: 'test' },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'a', image: 'quay.io/x/app:latest' },
        { name: 'b', image: 'quay.io/x/app:1.0' },
        { name: 'c', image: 'quay.io/x/app@sha256:' + 'a'.repeat(64) },
        { name: 'd', image: 'localhost:5000/app' },
        { name: 'e', image: 'quay.io/x/app:1.0', imagePullPolicy: 'Never' },
      ],
    },
  };
  it('lists init containers first with defaulted policies', () => {
    expect(podContainers([pod], 'echo', 'test').map((c) => [c.name, c.imagePullPolicy, c.init])).toEqual([
      ['init', 'Always', true],
      ['a', 'Always', false],
      ['b', 'IfNotPresent', false],
      ['c', 'IfNotPresent', false],
      ['d', 'Always', false],
      ['e', 'Never', false],
    ]);
  });
  it('finds nothing in another namespace', () => {
    expect(podContainers([pod], 'echo', 'default')).toEqual([]);
  });
});
