/**
 * The ServiceAccounts of a scenario and what openshift-controller-manager gives each one when the
 * cluster has an internal registry: a `<sa>-dockercfg-<suffix>` Secret of type kubernetes.io/dockercfg
 * whose keys are the registry's service names, holding `<token>:<SA token>`, appended to the account's
 * imagePullSecrets (pkg/internalregistry/controllers). Every namespace has a `default` account.
 */
import { createHash } from 'node:crypto';
import type { ClusterObject, PullSpec } from '../scenario/types.js';

export interface AccountRef {
  namespace: string;
  name: string;
}

/** Kubernetes' utilrand alphabet (no vowels, no confusable digits). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function accountKey(a: AccountRef): string {
  return `${a.namespace}/${a.name}`;
}

/** Every account a scenario names: `default` in each namespace seen, ServiceAccount objects, and the pulls' accounts. */
export function scenarioAccounts(cluster: ClusterObject[], pulls: PullSpec[]): AccountRef[] {
  const seen = new Map<string, AccountRef>();
  const add = (namespace: string, name: string) => seen.set(accountKey({ namespace, name }), { namespace, name });
  for (const o of cluster) {
    if (o.kind === 'Namespace' || o.kind === 'Project') add(o.metadata.name, 'default');
    if (o.metadata.namespace !== undefined) add(o.metadata.namespace, 'default');
    if (o.kind === 'ServiceAccount') add(o.metadata.namespace ?? 'default', o.metadata.name);
    if (o.kind === 'Pod' || o.kind === 'Deployment') {
      const spec = (o.kind === 'Pod' ? o.spec : (o.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec) as { serviceAccountName?: unknown } | undefined;
      if (typeof spec?.serviceAccountName === 'string') add(o.metadata.namespace ?? 'default', spec.serviceAccountName);
    }
  }
  for (const p of pulls) {
    add(p.namespace, 'default');
    if (p.import === undefined) add(p.namespace, p.serviceAccount);
  }
  return [...seen.values()];
}

/** The generated name's suffix: stable per account, so reports read the same run after run. */
export function dockercfgSecretName(a: AccountRef): string {
  const h = createHash('sha256').update(accountKey(a)).digest();
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET[h[i]! % ALPHABET.length];
  return `${a.name}-dockercfg-${suffix}`;
}

/** The registry's names in the secret: the service name, its cluster.local form (same port). */
function registryKeys(host: string): string[] {
  const m = /^([^:]+)\.svc(:\d+)?$/.exec(host);
  return m ? [host, `${m[1]}.svc.cluster.local${m[2] ?? ''}`] : [host];
}

/**
 * The cluster after provisioning: a dockercfg Secret per account, listed in the account's
 * imagePullSecrets (a ServiceAccount object is created where the scenario has none).
 */
export function provisionAccounts(cluster: ClusterObject[], accounts: AccountRef[], registryHosts: string[], tokenOf: (a: AccountRef) => string): ClusterObject[] {
  if (registryHosts.length === 0) return cluster;
  const out = [...cluster];
  for (const a of accounts) {
    const secretName = dockercfgSecretName(a);
    const auth = Buffer.from(`<token>:${tokenOf(a)}`).toString('base64');
    const cfg: Record<string, { username: string; password: string; email: string; auth: string }> = {};
    for (const host of registryHosts) for (const key of registryKeys(host)) cfg[key] = { username: '<token>', password: tokenOf(a), email: 'serviceaccount@example.org', auth };
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace: a.namespace, annotations: { 'kubernetes.io/service-account.name': a.name } },
      type: 'kubernetes.io/dockercfg',
      stringData: { '.dockercfg': JSON.stringify(cfg) },
    });
    const at = out.findIndex((o) => o.kind === 'ServiceAccount' && o.metadata.name === a.name && (o.metadata.namespace ?? 'default') === a.namespace);
    const sa = at >= 0 ? out[at]! : { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: a.name, namespace: a.namespace } };
    const pullSecrets = Array.isArray(sa.imagePullSecrets) ? (sa.imagePullSecrets as unknown[]) : [];
    const updated = { ...sa, imagePullSecrets: [...pullSecrets, { name: secretName }] };
    if (at >= 0) out[at] = updated;
    else out.push(updated);
  }
  return out;
}
