/**
 * Old config vs new config: the same pulls run under two scenarios, matched by position and image,
 * and every difference in outcome (result, serving registry, digest, final error) listed — what a
 * CI job reviewing a registries.conf / Image CR change wants to know before the rollout.
 */
import type { PullOutcome, ScenarioReport } from './outcome.js';

export interface PullChange {
  image: string;
  container?: string;
  fields: { field: 'result' | 'from' | 'digest' | 'error'; before: string | null; after: string | null }[];
}

export interface Comparison {
  before: string;
  after: string;
  pulls: number;
  changed: PullChange[];
  /** Pulls present in only one of the two scenarios. */
  unmatched: string[];
}

function key(p: PullOutcome): string {
  return p.container !== undefined ? `${p.image} (container ${p.container})` : p.image;
}

export function comparePulls(before: ScenarioReport, after: ScenarioReport): Comparison {
  const changed: PullChange[] = [];
  const unmatched: string[] = [];
  const n = Math.max(before.pulls.length, after.pulls.length);
  for (let i = 0; i < n; i++) {
    const a = before.pulls[i];
    const b = after.pulls[i];
    if (!a || !b || key(a) !== key(b)) {
      if (a) unmatched.push(`${key(a)} (only in ${before.file})`);
      if (b) unmatched.push(`${key(b)} (only in ${after.file})`);
      continue;
    }
    const fields: PullChange['fields'] = [];
    for (const field of ['result', 'from', 'digest', 'error'] as const) {
      if (a[field] !== b[field]) fields.push({ field, before: a[field], after: b[field] });
    }
    if (fields.length) changed.push({ image: a.image, ...(a.container !== undefined ? { container: a.container } : {}), fields });
  }
  return { before: before.file, after: after.file, pulls: n, changed, unmatched };
}

export function comparisonText(c: Comparison): string {
  const out = [`${c.before} → ${c.after}: ${c.changed.length} of ${c.pulls} pulls changed`];
  for (const ch of c.changed) {
    out.push(`  ${ch.container !== undefined ? `${ch.image} (container ${ch.container})` : ch.image}`);
    for (const f of ch.fields) out.push(`    ${f.field}: ${f.before ?? '—'}\n      → ${f.after ?? '—'}`);
  }
  for (const u of c.unmatched) out.push(`  not compared: ${u}`);
  return out.join('\n') + '\n';
}
