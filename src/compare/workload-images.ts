/**
 * `--images` as Kubernetes YAML or JSON (`oc get pods -A -o yaml`, Deployments, DaemonSets,
 * StatefulSets, Jobs, CronJobs, `kind: List`): every container, init container and ephemeral
 * container with its namespace, ServiceAccount and imagePullSecrets. Apart from the plain list
 * reader so that a plain list loads no YAML code.
 */
import { InputError } from '../errors/index.js';
import { yamlDocuments } from '../scenario/manifests.js';
import type { ImageEntry } from './images-list.js';

type Json = Record<string, unknown>;

const POD_TEMPLATE: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  DeploymentConfig: ['spec', 'template', 'spec'],
};

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(file: string, line: number, what: string, path: string, detail: string): never {
  throw new InputError(`${what}: field ${path}: ${detail}`, file, line);
}

/** The images of one workload object; other kinds give none. */
export function workloadImages(o: Json, file: string, line: number): ImageEntry[] {
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const path = POD_TEMPLATE[kind];
  if (!path) return [];
  const md = isObj(o.metadata) ? o.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  const namespace = typeof md.namespace === 'string' ? md.namespace : 'default';
  const what = `${kind} ${namespace}/${name}`;
  let spec: unknown = o;
  for (const k of path) spec = isObj(spec) ? spec[k] : undefined;
  if (!isObj(spec)) field(file, line, what, path.join('.'), 'missing or not an object');
  const sa = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  if (typeof sa !== 'string') field(file, line, what, `${path.join('.')}.serviceAccountName`, 'not a string');
  const secretsRaw = spec.imagePullSecrets ?? [];
  if (!Array.isArray(secretsRaw)) field(file, line, what, `${path.join('.')}.imagePullSecrets`, 'not a list');
  const pullSecrets = secretsRaw.map((s, i) => {
    if (!isObj(s) || typeof s.name !== 'string') field(file, line, what, `${path.join('.')}.imagePullSecrets[${i}].name`, 'missing or not a string');
    return s.name;
  });
  const out: ImageEntry[] = [];
  for (const [key, label] of [['initContainers', 'init container'], ['containers', 'container'], ['ephemeralContainers', 'ephemeral container']] as const) {
    const list = spec[key] ?? [];
    if (!Array.isArray(list)) field(file, line, what, `${path.join('.')}.${key}`, 'not a list');
    list.forEach((c, i) => {
      const at = `${path.join('.')}.${key}[${i}]`;
      if (!isObj(c) || typeof c.image !== 'string' || c.image === '') field(file, line, what, `${at}.image`, 'missing or not a string');
      out.push({ image: c.image, namespace, serviceAccount: sa, pullSecrets, from: `${what}, ${label} ${typeof c.name === 'string' ? c.name : i}` });
    });
  }
  return out;
}

/** Every image of a YAML/JSON text of Kubernetes objects, in document order. */
export function kubernetesImages(source: string, file: string): ImageEntry[] {
  const out: ImageEntry[] = [];
  for (const doc of yamlDocuments(source, file)) {
    const value = doc.value;
    if (!isObj(value)) continue;
    if (Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (isObj(item)) out.push(...workloadImages(item, file, doc.itemLine(i)));
      });
    } else out.push(...workloadImages(value, file, doc.lineOf()));
  }
  return out;
}
