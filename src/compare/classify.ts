/** One image's old and new decisions (or outcomes) → its class, with the facts that changed. */

export type ChangeClass = 'breaks' | 'fixes' | 'changes source' | 'changes decisions only';
export const CLASSES: readonly ChangeClass[] = ['breaks', 'fixes', 'changes source', 'changes decisions only'];

export interface SideView {
  /** Failure text (certain failure offline; the final error with a world), or null. */
  failure: string | null;
  /** Sources tried in order (offline), or the serving source (with a world). */
  sources: string[];
  /** Equal digests: equal facts. */
  digest: string;
  facts(): Map<string, string>;
}

export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

export interface Classified {
  class: ChangeClass;
  fields: FieldChange[];
}

export function classify(a: SideView, b: SideView): Classified | null {
  if (a.digest === b.digest && a.failure === b.failure && a.sources.join('\n') === b.sources.join('\n')) return null;
  const fields: FieldChange[] = [];
  const fa = a.facts();
  const fb = b.facts();
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    const o = fa.get(k) ?? null;
    const n = fb.get(k) ?? null;
    if (o !== n) fields.push({ field: k, old: o, new: n });
  }
  if (fields.length === 0 && a.failure === b.failure && a.sources.join('\n') === b.sources.join('\n')) return null;
  let cls: ChangeClass;
  if (a.failure === null && b.failure !== null) cls = 'breaks';
  else if (a.failure !== null && b.failure === null) cls = 'fixes';
  else if (b.failure === null && a.sources.join('\n') !== b.sources.join('\n')) cls = 'changes source';
  else cls = 'changes decisions only';
  return { class: cls, fields };
}
