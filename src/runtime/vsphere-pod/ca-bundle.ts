/**
 * The image fetcher's trust: the kube-system ConfigMap image-fetcher-ca-bundle, key ca-bundle,
 * PEM certificates concatenated. A value written { ca: NAME } is a CA generated for the scenario.
 */
import { certificateBlocks } from '../../certs/certs-dir.js';
import { parseCluster } from '../../openshift/objects.js';
import type { ClusterObject } from '../../scenario/types.js';

export const CA_BUNDLE_CONFIGMAP = 'kube-system/image-fetcher-ca-bundle';
export const CA_BUNDLE_KEY = 'ca-bundle';

export function fetcherCaBundle(cluster: ClusterObject[], caPem: (name: string) => string | undefined): string[] {
  if (cluster.length === 0) return [];
  const value = parseCluster(cluster).model.configMaps.get(CA_BUNDLE_CONFIGMAP)?.data[CA_BUNDLE_KEY];
  if (value === undefined) return [];
  return certificateBlocks(typeof value === 'string' ? value : (caPem(value.ca) ?? ''));
}
