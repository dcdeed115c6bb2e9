/**
 * The kubelet's part: which pull secrets a pod's image pulls get (ServiceAccount admission plugin, kubelet
 * getPullSecretsForPod, credentialprovider/secrets MakeDockerKeyring's type/key rules). Keyring matching is
 * src/auth/kubelet-keyring.ts's; this returns the secrets' texts in the order the kubelet adds them.
 */
import { text } from '../errors/index.js';
import type { ClusterObject } from '../scenario/types.js';
import { describeObject, parseCluster } from './objects.js';

export interface PullSecretSource {
  /** "Secret test/nexus-pull": no secret values. */
  description: string;
  kind: 'dockerconfigjson' | 'dockercfg';
  text: string;
}

export interface PullContext {
  namespace: string;
  serviceAccount: string;
  /** imagePullSecrets named by the pod itself. */
  secrets?: string[];
  /** A Pod or Deployment in the cluster: its serviceAccountName and imagePullSecrets apply when the fields above are not given. */
  pod?: string;
}

export function pullSecretsFor(objects: ClusterObject[], pull: PullContext): { sources: PullSecretSource[]; warnings: string[] } {
  const { model } = parseCluster(objects);
  const warnings: string[] = [];
  const pod = pull.pod !== undefined ? model.pods.get(`${pull.namespace}/${pull.pod}`) : undefined;
  const saName = pod && pull.serviceAccount === 'default' ? pod.serviceAccount : pull.serviceAccount;
  let names = pull.secrets ?? pod?.imagePullSecrets ?? [];
  const sa = model.serviceAccounts.get(`${pull.namespace}/${saName}`);
  if (sa === undefined && saName !== 'default') {
    warnings.push(text('api.sa-not-found', pull.pod ?? '', pull.namespace, saName, saName));
  }
  // Admission copies the ServiceAccount's pull secrets only into pods that name none of their own.
  if (names.length === 0) names = sa ?? [];

  const sources: PullSecretSource[] = [];
  const missing: string[] = [];
  for (const name of names) {
    // API validation let empty names through; the kubelet skips them without a warning.
    if (name === '') continue;
    const secret = model.secrets.get(`${pull.namespace}/${name}`);
    if (!secret) {
      missing.push(name);
      continue;
    }
    const description = describeObject('Secret', name, pull.namespace);
    const json = secret.data['.dockerconfigjson'];
    const cfg = secret.data['.dockercfg'];
    if (secret.type === 'kubernetes.io/dockerconfigjson' && json !== undefined && json.length > 0) sources.push({ description, kind: 'dockerconfigjson', text: json });
    else if (secret.type === 'kubernetes.io/dockercfg' && cfg !== undefined && cfg.length > 0) sources.push({ description, kind: 'dockercfg', text: cfg });
    else warnings.push(`${description} (type ${secret.type}) carries no pull credentials the kubelet reads; ignored`);
  }
  if (missing.length > 0) warnings.push(text('kubelet.pull-secrets-missing', missing.join(', ')));
  return { sources, warnings };
}
