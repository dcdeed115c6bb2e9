import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/scenario/manifests.js';
import type { InputError } from '../../src/errors/index.js';

const IMAGE_CR = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: { name: cluster }\nspec: { registrySources: { blockedRegistries: [docker.io] } }\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: team }\n';

describe('cluster.manifests: objects as a GitOps repository or oc get -o yaml holds them', () => {
  it.each([
    ['one object', IMAGE_CR, ['Image cluster'], []],
    ['several documents, an empty one skipped', `${SERVICE}---\n---\n${IMAGE_CR}`, ['Image cluster'], ['m.yaml line 1: Service team/web (v1; not used by pullsim)']],
    [
      'kinds read outside the node model (ImageStream imports, the internal registry\'s RBAC) are kept',
      `apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: { name: web, namespace: team }\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: { name: pull, namespace: team }\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: pull-all }\n---\n${NAMESPACE}`,
      ['ImageStream web', 'RoleBinding pull', 'ClusterRoleBinding pull-all'],
      ['m.yaml line 13: Namespace team (v1; not used by pullsim)'],
    ],
    [
      'kind: List with oc get output fields (status, managedFields, resourceVersion)',
      `apiVersion: v1\nkind: List\nitems:\n- apiVersion: config.openshift.io/v1\n  kind: Image\n  metadata:\n    name: cluster\n    resourceVersion: "123"\n    managedFields: [{ manager: oc }]\n  spec: {}\n  status: { internalRegistryHostname: image-registry.openshift-image-registry.svc:5000 }\n- apiVersion: v1\n  kind: Service\n  metadata: { name: s, namespace: team }\n`,
      ['Image cluster'],
      ['m.yaml line 12: Service team/s (v1; not used by pullsim)'],
    ],
  ])('%s', (_what, text, kept, ignored) => {
    const r = parseManifestText(text, 'm.yaml');
    expect(r.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(kept);
    expect(r.ignored).toEqual(ignored);
  });

  it.each([
    ['a YAML error, with file and line', `${NAMESPACE}---\nkind: [\n`, 'm.yaml, line 6: invalid YAML'],
    ['an object without a kind', 'apiVersion: v1\nmetadata: { name: x }\n', 'm.yaml, line 1: not a Kubernetes object: no kind'],
    ['a kind misspelt in a group pullsim reads (not ignored as another group\'s kind is)', `${NAMESPACE}---\napiVersion: config.openshift.io/v1\nkind: Images\nmetadata: { name: cluster }\n`, 'm.yaml, line 5: no matches for kind "Images" in version "config.openshift.io/v1"'],
    ['a kind pullsim reads under an apiVersion that has no such kind', 'apiVersion: v1\nkind: Deployment\nmetadata: { name: d }\n', 'm.yaml, line 1: no matches for kind "Deployment" in version "v1"'],
    [
      'a known kind with a broken field: kind, name and field',
      `${NAMESPACE}---\napiVersion: config.openshift.io/v1\nkind: Image\nmetadata: { name: cluster }\nspec: { registrySources: { blockedRegistries: docker.io } }\n`,
      'm.yaml, line 5: Image.config.openshift.io "cluster" is invalid: spec.registrySources.blockedRegistries',
    ],
  ])('refuses %s', (_what, text, message) => {
    let err: InputError | undefined;
    try {
      parseManifestText(text, 'm.yaml');
    } catch (e) {
      err = e as InputError;
    }
    expect(err?.format()).toContain(message);
  });
});
