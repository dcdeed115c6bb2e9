/**
 * ImageStream lookup (spec.lookupPolicy.local: true): the API server's image policy admission
 * rewrites a pod's bare `name[:tag]` image to the tag's current pull spec when a stream of that
 * name in the pod's namespace has the tag imported: the internal registry's `<ns>/<name>@<digest>`
 * for referencePolicy Local, the source's `<repo>@<digest>` otherwise.
 */
import type { ClusterObject } from '../../scenario/types.js';
import { findImageStream } from './image-streams.js';

export interface ImportedTag {
  digest: string;
  dockerImageReference: string;
  referencePolicy: 'Source' | 'Local';
}

export function importedKey(namespace: string, stream: string, tag: string): string {
  return `${namespace}/${stream}:${tag}`;
}

export function resolveImageLookup(image: string, namespace: string, cluster: ClusterObject[], imported: Map<string, ImportedTag>, internalHost: string | undefined): string {
  const m = /^([a-z0-9][a-z0-9._-]*)(?::([\w][\w.-]*))?$/.exec(image);
  if (!m) return image;
  const stream = findImageStream(cluster, namespace, m[1]!);
  const lookup = (stream?.spec as { lookupPolicy?: { local?: unknown } } | undefined)?.lookupPolicy?.local;
  const tag = imported.get(importedKey(namespace, m[1]!, m[2] ?? 'latest'));
  if (lookup !== true || !tag) return image;
  if (tag.referencePolicy === 'Local' && internalHost !== undefined) return `${internalHost}/${namespace}/${m[1]}@${tag.digest}`;
  return tag.dockerImageReference;
}
