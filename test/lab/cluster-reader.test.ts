/**
 * A lab workspace's cluster/ is read by the loader of `cluster.manifests`: what a GitOps folder or
 * `oc get -o yaml` holds is accepted, kinds pullsim does not read are listed, and what `oc apply`
 * refuses is refused in oc's words.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab } from './lab-harness.js';

const IMAGE_CR_FIELDS = `apiVersion: config.openshift.io/v1
  kind: Image
  metadata:
    name: cluster
    resourceVersion: "4711"
    managedFields: [{ manager: oc, operation: Update }]
  spec:
    registrySources:
      insecureRegistries: [192.168.10.11:5001]
  status:
    internalRegistryHostname: image-registry.openshift-image-registry.svc:5000`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: team }\n';

describe('lab cluster/: a correct fix passes however the objects are written', () => {
  it.each([
    ['oc get -o yaml output: kind: List, status and managedFields', { 'cluster/01-image-cluster.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${IMAGE_CR_FIELDS}\n` }],
    ['several documents, one of a kind pullsim does not read', { 'cluster/01-image-cluster.yaml': `${SERVICE}---\n${IMAGE_CR_FIELDS.replace(/\n {2}/g, '\n')}\n` }],
  ])('%s', async (_what, files) => {
    const ws = await startLab('nexus-http');
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.stdout).toContain('PASS nexus-http');
    expect(r.code).toBe(0);
  });
});

describe('lab cluster/: objects of kinds pullsim does not read are listed, not refused', () => {
  it('a Service: a note in the text, `ignored` in --json', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'cluster/00-service.yaml': SERVICE });
    const text = await cli(['lab', 'check', ws.dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  note: cluster/00-service.yaml line 1: Service team/web (v1; not used by pullsim)');
    const json = JSON.parse((await cli(['lab', 'check', ws.dir, '--json'])).stdout);
    expect(json.ignored).toEqual(['cluster/00-service.yaml line 1: Service team/web (v1; not used by pullsim)']);
  });

  it('a kind misspelt in a group pullsim reads is not ignored: the API server has no such kind', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'cluster/01-image-cluster.yaml': `${IMAGE_CR_FIELDS.replace(/\n {2}/g, '\n').replace('kind: Image', 'kind: Images')}\n` });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cluster: no matches for kind "Images" in version "config.openshift.io/v1"');
    expect(r.stdout).not.toContain('not used by pullsim');
  });
});

describe('lab cluster/: what oc apply refuses, in oc\'s words', () => {
  it.each([
    ['a YAML error, with its line', 'apiVersion: v1\nkind: [\n', 'error: error parsing cluster/01-image-cluster.yaml: error converting YAML to JSON: yaml: line 3: '],
    ['every missing field at once', 'metadata: {}\n', 'error validating "cluster/01-image-cluster.yaml": error validating data: [apiVersion not set, kind not set, metadata.name not set]'],
    ['a kind: List whose items is not a list', 'apiVersion: v1\nkind: List\nitems: nope\n', 'error validating "cluster/01-image-cluster.yaml": error validating data: [items is not a list]'],
  ])('%s', async (_what, content, message) => {
    const ws = await startLab('nexus-http');
    ws.write({ 'cluster/01-image-cluster.yaml': content });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(message);
  });
});
