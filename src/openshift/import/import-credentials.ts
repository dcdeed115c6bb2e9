/**
 * The credentials an import uses (openshift-apiserver imagesecret/rest.go, importer/staticcredentials.go):
 * every dockercfg/dockerconfigjson Secret of the namespace in name order, except those annotated
 * openshift.io/image.excludeSecret: "true", then the control plane's node pull secret; matched with
 * the kubelet's keyring rules, and only the first match is used. One malformed secret fails the
 * keyring, so every import of the namespace fails.
 *
 * OpenShift ≤ 4.4 looked credentials up per request URL instead (importer/credentials.go
 * basicCredentialsFromKeyring), from the namespace's secrets only: over plain HTTP the lookup key
 * was host:80/… when the host had no port, which is where the documentation's `:80` advice comes from.
 */
import { buildKeyring, type KeyringSource } from '../../auth/kubelet-keyring.js';
import type { NodeFS } from '../../node-fs.js';
import type { ClusterObject } from '../../scenario/types.js';
import type { Credential } from '../../system-context.js';
import { describeObject, parseCluster } from '../objects.js';

export const EXCLUDE_SECRET_ANNOTATION = 'openshift.io/image.excludeSecret';
const NODE_PULL_SECRET = '/var/lib/kubelet/config.json';

export interface ImportKeyring {
  /** The credential for a repository (host[:port]/path), or undefined: anonymous. */
  lookup(repository: string): Credential | undefined;
}

/** The namespace's pull secrets as imagestreams/secrets lists them. */
export function namespaceImageSecrets(cluster: ClusterObject[], namespace: string): KeyringSource[] {
  const { model } = parseCluster(cluster);
  const excluded = new Set(
    cluster
      .filter((o) => o.kind === 'Secret' && (o.metadata.namespace ?? 'default') === namespace)
      .filter((o) => (o.metadata.annotations as Record<string, unknown> | undefined)?.[EXCLUDE_SECRET_ANNOTATION] === 'true')
      .map((o) => o.metadata.name),
  );
  const out: KeyringSource[] = [];
  const secrets = [...model.secrets.values()].filter((s) => s.namespace === namespace && !excluded.has(s.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const s of secrets) {
    const description = describeObject('Secret', s.name, namespace);
    if (s.type === 'kubernetes.io/dockerconfigjson') out.push({ description, kind: 'dockerconfigjson', text: s.data['.dockerconfigjson'] ?? '' });
    else if (s.type === 'kubernetes.io/dockercfg') out.push({ description, kind: 'dockercfg', text: s.data['.dockercfg'] ?? '' });
  }
  return out;
}

/** MakeDockerKeyring(secrets, node): throws AuthError (the JSON or base64 error) for a malformed secret. */
export function importKeyring(secrets: KeyringSource[], controlPlane: NodeFS | undefined): ImportKeyring {
  const text = controlPlane?.read(NODE_PULL_SECRET);
  const node = text !== undefined ? { description: NODE_PULL_SECRET, kind: 'dockerconfigjson' as const, text } : undefined;
  const ring = buildKeyring(secrets, node);
  return { lookup: (repository) => ring.lookup(repository)[0] };
}

/** The ≤ 4.4 lookup value for a request to `host` over `scheme`: HTTP without a port looks under host:80. */
export function legacyLookupHost(host: string, scheme: 'https' | 'http'): string {
  return scheme === 'http' && !host.includes(':') ? `${host}:80` : host;
}
