/**
 * The image object a vSphere Supervisor makes for a pod's image, named in its events:
 * `<namespace>/<last path element>-<hex SHA-1 of the normalized reference>-v<version>`. The
 * reference is normalized as containerd's ParseDockerRef does (docker.io/library/…, `:latest`
 * added), e.g. harbor.example.com/library/nginx:latest → nginx-c0d9…de91-v73332 for that host.
 */
import { createHash } from 'node:crypto';
import { refString, type ImageRef } from '../../reference/reference.js';

export function imageObjectName(namespace: string, ref: ImageRef, version: number): string {
  const last = ref.path.slice(ref.path.lastIndexOf('/') + 1);
  const sha1 = createHash('sha1').update(refString(ref)).digest('hex');
  return `${namespace}/${last}-${sha1}-v${version}`;
}
