/**
 * CA certificates and signing keys are generated anew by every run, so files written by an earlier
 * run (a lab workspace handed to a student) hold that run's copies. Where such a copy appears, this
 * run's material stands in for it: the student placed "the CA", not a particular key pair.
 */
import type { ClusterObject } from '../scenario/types.js';

export interface GeneratedMaterial {
  caPems: Record<string, string>;
  publicKeys: Record<string, string>;
  keyData: Record<string, string>;
}

export function standIns(earlier: GeneratedMaterial, now: GeneratedMaterial): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const kind of ['caPems', 'publicKeys', 'keyData'] as const) {
    for (const [name, old] of Object.entries(earlier[kind])) {
      const current = now[kind][name];
      if (current !== undefined && old.trim() !== '') pairs.push([old.trim(), current.trim()]);
    }
  }
  return pairs;
}

export function replaceIn(text: string, pairs: Array<[string, string]>): string {
  return pairs.reduce((t, [old, current]) => t.split(old).join(current), text);
}

function replaceDeep(v: unknown, pairs: Array<[string, string]>): unknown {
  if (typeof v === 'string') return replaceIn(v, pairs);
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, pairs));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, pairs)]));
  return v;
}

export function replaceInObjects(objects: ClusterObject[], pairs: Array<[string, string]>): ClusterObject[] {
  return pairs.length ? (objects.map((o) => replaceDeep(o, pairs)) as ClusterObject[]) : objects;
}
