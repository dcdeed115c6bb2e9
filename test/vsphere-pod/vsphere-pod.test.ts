/**
 * runtime vsphere-pod: the image object's name, the scenario keys, the image fetcher's CA bundle,
 * and the Harbor story's two events word for word (with the `kubelet, <node>` From column).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseDockerRef } from '../../src/runtime/containerd/cri.js';
import { fetcherCaBundle } from '../../src/runtime/vsphere-pod/ca-bundle.js';
import { imageObjectName } from '../../src/runtime/vsphere-pod/image-object.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';
import { buildPki } from '../../sim/pki.js';

describe('the image object is <namespace>/<last path element>-<SHA-1 of the normalized reference>-v<version>', () => {
  it.each<[string, string, number, string]>([
    ['the Harbor story', 'harbor-vm.haas-401.pez.vmware.com/library/nginx:latest', 73332, 'ns1/nginx-c0d9174b8abccc88a02a1bf4858fffdfea17de91-v73332'],
    ['no tag: :latest is hashed', 'harbor-vm.haas-401.pez.vmware.com/library/nginx', 73332, 'ns1/nginx-c0d9174b8abccc88a02a1bf4858fffdfea17de91-v73332'],
    // sha1("docker.io/library/nginx:latest")
    ['a short name is docker.io/library/…', 'nginx', 1, 'ns1/nginx-483640c55b8c28b65fdcc27be449ab8bf2454dd9-v1'],
  ])('%s', (_name, image, version, want) => {
    expect(imageObjectName('ns1', parseDockerRef(image), version)).toBe(want);
  });
});

const scenario = (runtime: string, extra: string) => `
name: t
runtime: ${runtime}
${extra}
pulls:
  - image: harbor.example.com/library/nginx
`;

function load(text: string): string {
  try {
    return JSON.stringify(loadScenarioText(text, 't.yaml').vsphere ?? null);
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
}

describe('the vsphere scenario section: node, resolvingHost, imageVersion', () => {
  it.each<[string, string, string, string]>([
    ['all three', 'vsphere-pod', 'vsphere: { node: pacific-esxi-2, resolvingHost: pacific-esxi-1, imageVersion: 73332 }', '{"node":"pacific-esxi-2","resolvingHost":"pacific-esxi-1","imageVersion":73332}'],
    ['the resolving host defaults to the node', 'vsphere-pod', 'vsphere: { node: 10.0.0.12 }', '{"node":"10.0.0.12","resolvingHost":"10.0.0.12","imageVersion":1}'],
    ['left out: one node esxi-1, version 1', 'vsphere-pod', '', '{"node":"esxi-1","resolvingHost":"esxi-1","imageVersion":1}'],
    ['on another runtime', 'containerd', 'vsphere: { node: esxi-2 }', "t.yaml, line 4, key vsphere: 'vsphere' names the Supervisor's node, resolving host and image version; it needs runtime vsphere-pod, this scenario's runtime is containerd"],
    ['a typo', 'vsphere-pod', 'vsphere: { resolvingNode: esxi-2 }', "t.yaml, line 4, key vsphere.resolvingNode: unknown field 'resolvingNode'; did you mean 'resolvingHost'?"],
    ['a host with a space', 'vsphere-pod', 'vsphere: { node: "esxi 2" }', 't.yaml, line 4, key vsphere.node: "esxi 2" is not an ESXi host name; use a DNS name or IP address, e.g. pacific-esxi-1'],
    ['version 0', 'vsphere-pod', 'vsphere: { imageVersion: 0 }', 'INTEGER'],
  ])('%s', (name, runtime, extra, want) => {
    const got = load(scenario(runtime, extra));
    if (want === 'INTEGER') expect(got).toMatch(/^t\.yaml, line 4, key vsphere\.imageVersion: /);
    else expect(got).toBe(want);
  });

  it('command-line options are not a vSphere Pod\'s', () => {
    expect(load(`${scenario('vsphere-pod', '')}    options: { tlsVerify: false }\n`)).toMatch(/'options' are podman or skopeo command-line flags.*runtime is vsphere-pod/);
  });
});

describe('the image fetcher trusts every PEM certificate in kube-system/image-fetcher-ca-bundle key ca-bundle', () => {
  const pems = buildPki({ cas: { a: {}, b: {} }, file: 't.yaml' }).caPems;
  const configMap = (namespace: string, name: string, data: Record<string, unknown>): ClusterObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
  it.each<[string, ClusterObject[], string[]]>([
    ['several concatenated', [configMap('kube-system', 'image-fetcher-ca-bundle', { 'ca-bundle': `${pems.a}\n${pems.b}` })], [pems.a, pems.b]],
    ['a generated CA', [configMap('kube-system', 'image-fetcher-ca-bundle', { 'ca-bundle': { ca: 'b' } })], [pems.b]],
    ['another key is not read', [configMap('kube-system', 'image-fetcher-ca-bundle', { 'ca.crt': pems.a })], []],
    ['another namespace is not read', [configMap('default', 'image-fetcher-ca-bundle', { 'ca-bundle': pems.a })], []],
    ['no cluster objects', [], []],
  ])('%s', (_name, cluster, want) => {
    expect(fetcherCaBundle(cluster, (n) => pems[n]).map((p) => p.trim())).toEqual(want.map((p) => p.trim()));
  });
});

const harbor = (bundle: string) => `
name: harbor
runtime: vsphere-pod
vsphere: { node: pacific-esxi-2, resolvingHost: pacific-esxi-1, imageVersion: 73332 }
cas: { harbor: {}, other: {} }
images: { nginx: {} }
registries:
  harbor:
    host: harbor-vm.haas-401.pez.vmware.com
    tls: { ca: harbor }
    images: { library/nginx:latest: nginx }
cluster:
${bundle}
  - apiVersion: v1
    kind: Pod
    metadata: { name: nginx, namespace: ns1 }
    spec: { containers: [{ name: nginx, image: harbor-vm.haas-401.pez.vmware.com/library/nginx }] }
pulls:
  - pod: nginx
    namespace: ns1
`;
const bundleOf = (ca: string) => `  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: image-fetcher-ca-bundle, namespace: kube-system }
    data: { ca-bundle: { ca: ${ca} } }`;

describe('the Harbor story as kubectl describe pod shows it', () => {
  const object = 'ns1/nginx-c0d9174b8abccc88a02a1bf4858fffdfea17de91-v73332';
  const failed = `failed to get images: Image ${object} has failed. Error: Failed to resolve on node pacific-esxi-1. Reason: Http request failed. Code 400: ErrorType(2) failed to do request: Head https://harbor-vm.haas-401.pez.vmware.com/v2/library/nginx/manifests/latest: x509: certificate signed by unknown authority`;
  it.each<[string, string, string[]]>([
    ['no CA bundle', '', [`Normal Pulling kubelet, pacific-esxi-2 Waiting for Image ${object}`, `Warning Failed kubelet, pacific-esxi-2 ${failed}`]],
    ['a bundle with another CA', bundleOf('other'), [`Normal Pulling kubelet, pacific-esxi-2 Waiting for Image ${object}`, `Warning Failed kubelet, pacific-esxi-2 ${failed}`]],
    ['the Harbor CA in the bundle', bundleOf('harbor'), [`Normal Pulling kubelet, pacific-esxi-2 Waiting for Image ${object}`]],
  ])('%s', async (_name, bundle, want) => {
    const report = await runScenario(loadScenarioText(harbor(bundle), 't.yaml'));
    const p = report.pulls[0]!;
    expect(p.eventTable!.map((e) => `${e.type} ${e.reason} ${e.from} ${e.message}`)).toEqual(want);
    expect(p.result).toBe(want.length === 1 ? 'pulled' : 'failed');
    expect(p.error).toBe(want.length === 1 ? null : failed);
  });
});
