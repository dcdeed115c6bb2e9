/** The containers a Pod or Deployment pulls images for, with the API server's imagePullPolicy default. */
import type { ClusterObject } from '../scenario/types.js';
import { parseCluster } from './objects.js';

export interface PodContainer {
  name: string;
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  init: boolean;
}

/**
 * SetDefaults_Container: Always when the image's tag is latest, or it has neither tag nor digest
 * (parsers.ParseImageName then reports "latest"); IfNotPresent otherwise.
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  if (tag === 'latest') return 'Always';
  return tag === undefined && at === -1 ? 'Always' : 'IfNotPresent';
}

/** Init containers first, then containers; [] when no such Pod or Deployment exists in the namespace. */
export function podContainers(objects: ClusterObject[], podName: string, namespace: string): PodContainer[] {
  const pod = parseCluster(objects).model.pods.get(`${namespace}/${podName}`);
  if (!pod) return [];
  const one = (init: boolean) => (c: { name: string; image: string; imagePullPolicy?: string }): PodContainer => ({
    name: c.name,
    image: c.image,
    imagePullPolicy: (c.imagePullPolicy as PodContainer['imagePullPolicy'] | undefined) ?? defaultPullPolicy(c.image),
    init,
  });
  return [...pod.initContainers.map(one(true)), ...pod.containers.map(one(false))];
}
