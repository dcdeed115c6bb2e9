/**
 * The compare report: one document (`--json`, and what `pullsim merge` reads), and its text table,
 * JUnit and Markdown forms. Only changed images are kept, so the report stays small however many
 * images were compared; unchanged ones are counted.
 */
import type { ChangeClass, FieldChange } from './classify.js';
import { CLASSES } from './classify.js';
import type { RolloutImpact } from '../openshift/index.js';
import type { Shard } from './shard.js';
import type { RuntimeName } from '../system-context.js';

export interface ImageChange {
  image: string;
  namespace?: string;
  serviceAccount?: string;
  from?: string;
  class: ChangeClass;
  old: { failure: string | null; sources: string[] };
  new: { failure: string | null; sources: string[] };
  fields: FieldChange[];
}

export interface CompareReport {
  report: 'pullsim-compare';
  version: 1;
  old: string;
  new: string;
  /** decisions: offline, what explain shows; outcomes: pulls run against the scenario's fake registries. */
  mode: 'decisions' | 'outcomes';
  /** The runtime both sides were decided (or pulled) as; absent when the sides ran as different ones, and in reports older than the field. */
  runtime?: RuntimeName;
  shard: Shard | null;
  images: number;
  counts: { breaks: number; fixes: number; changesSource: number; changesDecisionsOnly: number; unchanged: number };
  changes: ImageChange[];
  /** The rendered node files of pool worker that differ (secret values redacted), when the cluster objects differ. */
  nodeFileDiff: string | null;
  /** When the cluster objects differ: what the machine-config daemon does to each pool as the change rolls out. */
  rollout: (RolloutImpact & { openshift: string })[] | null;
  notes: string[];
}

const COUNT_KEY: Record<ChangeClass, keyof CompareReport['counts']> = {
  breaks: 'breaks',
  fixes: 'fixes',
  'changes source': 'changesSource',
  'changes decisions only': 'changesDecisionsOnly',
};

export function emptyReport(old: string, nu: string, mode: CompareReport['mode'], shard: Shard | null): CompareReport {
  return { report: 'pullsim-compare', version: 1, old, new: nu, mode, shard, images: 0, counts: { breaks: 0, fixes: 0, changesSource: 0, changesDecisionsOnly: 0, unchanged: 0 }, changes: [], nodeFileDiff: null, rollout: null, notes: [] };
}

/** The report naming its runtime, the key right after `mode` (as `--json` shows it, and `merge` gives it back). */
export function withRuntime(r: CompareReport, runtime: RuntimeName | undefined): CompareReport {
  if (runtime === undefined) return r;
  const { report, version, old, new: nu, mode, ...rest } = r;
  return { report, version, old, new: nu, mode, runtime, ...rest };
}

export function count(r: CompareReport, change: ImageChange | null): void {
  r.images++;
  if (change === null) r.counts.unchanged++;
  else {
    r.counts[COUNT_KEY[change.class]]++;
    r.changes.push(change);
  }
}

function changeKey(c: ImageChange): string {
  return [c.image, c.namespace ?? '', c.serviceAccount ?? '', c.from ?? ''].join('\0');
}

/** Changes in a fixed order (by image, then where it was found), so shards merge into the unsharded report. */
export function finish(r: CompareReport): CompareReport {
  r.changes.sort((a, b) => (changeKey(a) < changeKey(b) ? -1 : changeKey(a) > changeKey(b) ? 1 : 0));
  return r;
}

export type FailOn = 'breaks' | 'changes' | 'never';

export function exitCode(r: CompareReport, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  if (failOn === 'breaks') return r.counts.breaks > 0 ? 1 : 0;
  return r.changes.length > 0 ? 1 : 0;
}

export function summaryLine(r: CompareReport): string {
  const c = r.counts;
  const changed = r.changes.length;
  return `${r.old} → ${r.new}${r.runtime === undefined ? '' : ` (${r.runtime})`}: ${changed} of ${r.images} image${r.images === 1 ? '' : 's'} changed (${c.breaks} break, ${c.fixes} fixed, ${c.changesSource} change source, ${c.changesDecisionsOnly} change decisions only)`;
}

function who(c: ImageChange): string {
  return c.namespace !== undefined ? `${c.image} (${c.from ?? `namespace ${c.namespace}`})` : c.image;
}

function state(s: ImageChange['old']): string {
  if (s.failure !== null) return `fails: ${s.failure}`;
  return s.sources.length ? s.sources.join(', ') : 'no source';
}

/** "rollout (OpenShift 4.15): reboots every node of pool worker: …", one line per pool that changes. */
export function rolloutLines(r: CompareReport): string[] {
  return (r.rollout ?? []).filter((i) => i.changedFiles.length > 0 || i.decidedBy || i.error).map((i) => `rollout (OpenShift ${i.openshift}): ${i.summary}`);
}

export function textTable(r: CompareReport): string {
  const out = [...rolloutLines(r), summaryLine(r)];
  for (const n of r.notes) out.push(`  note: ${n}`);
  if (r.changes.length) {
    const w = Math.max(...CLASSES.map((c) => c.length));
    out.push('', `${'CLASS'.padEnd(w)}  IMAGE`);
    for (const c of r.changes) {
      out.push(`${c.class.padEnd(w)}  ${who(c)}`);
      out.push(`${''.padEnd(w)}    old: ${state(c.old)}`);
      out.push(`${''.padEnd(w)}    new: ${state(c.new)}`);
    }
  }
  return out.join('\n') + '\n';
}

export function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fieldLines(c: ImageChange): string {
  return c.fields.map((f) => `${f.field}: ${f.old ?? '—'} → ${f.new ?? '—'}`).join('\n');
}

/** One JUnit testcase: a failure for a break (old and new texts), the changes as system-out otherwise. */
export function junitCase(suite: string, image: string, change: ImageChange | null, name = image): string {
  const head = `    <testcase classname="${xml(suite)}" name="${xml(name)}">`;
  if (change === null) return `${head}</testcase>\n`;
  const body = `old: ${state(change.old)}\nnew: ${state(change.new)}\n${fieldLines(change)}`;
  if (change.class === 'breaks') return `${head}\n      <failure message="${xml(`breaks: ${state(change.new)}`)}" type="breaks">${xml(body)}</failure>\n    </testcase>\n`;
  return `${head}\n      <system-out>${xml(`${change.class}\n${body}`)}</system-out>\n    </testcase>\n`;
}

/** The suite every testcase of a comparison belongs to. */
export function junitSuite(old: string, nu: string): string {
  return `pullsim compare ${old} → ${nu}`;
}

/** Up to the testsuite's opening tag; `pad` blanks before its '>' (a header rewritten in place keeps its length). */
export function junitHeader(r: Pick<CompareReport, 'old' | 'new' | 'counts'>, tests: number, pad = 0): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${xml(junitSuite(r.old, r.new))}" tests="${tests}" failures="${r.counts.breaks}" errors="0"${' '.repeat(pad)}>\n`;
}

export const JUNIT_FOOTER = '  </testsuite>\n</testsuites>\n';

/** JUnit from a report alone (after `merge`): its changed images, and the unchanged ones as one counted case. */
export function junitFromReport(r: CompareReport): string {
  const suite = junitSuite(r.old, r.new);
  const cases = r.changes.map((c) => junitCase(suite, c.image, c, who(c)));
  if (r.counts.unchanged) cases.push(junitCase(suite, '', null, `${r.counts.unchanged} unchanged image${r.counts.unchanged === 1 ? '' : 's'}`));
  return junitHeader(r, cases.length) + cases.join('') + JUNIT_FOOTER;
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fence(s: string, lang = ''): string {
  const ticks = s.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${s.replace(/\n$/, '')}\n${ticks}`;
}

/** A pull-request comment: one summary line, a table of changed images, details folded. */
export function markdown(r: CompareReport): string {
  const c = r.counts;
  const mark = c.breaks ? '❌' : r.changes.length ? '⚠️' : '✅';
  const rollout = rolloutLines(r);
  const out = [...(rollout.length ? [`${rollout.map((l) => md(l.replace(/^rollout \(OpenShift [^)]*\): /, ''))).join('; ')} (OpenShift ${r.rollout![0].openshift})`, ''] : []), `${mark} **pullsim compare**: ${r.changes.length} of ${r.images} images changed — ${c.breaks} break, ${c.fixes} fixed, ${c.changesSource} change source, ${c.changesDecisionsOnly} change decisions only (\`${md(r.old)}\` → \`${md(r.new)}\`, ${r.mode}${r.runtime === undefined ? '' : `, ${md(r.runtime)}`})`, ''];
  if (r.changes.length) {
    out.push('| class | image | old | new |', '|---|---|---|---|');
    for (const ch of r.changes) out.push(`| ${ch.class} | \`${md(who(ch))}\` | ${md(state(ch.old))} | ${md(state(ch.new))} |`);
    out.push('', '<details><summary>What changed, per image</summary>', '');
    for (const ch of r.changes) out.push(`**${ch.class}**: \`${md(who(ch))}\``, '', fence(fieldLines(ch) || '(outcome fields only)'), '');
    out.push('</details>', '');
  }
  if (r.nodeFileDiff !== null) out.push('<details><summary>Rendered node files (the cluster objects changed)</summary>', '', fence(r.nodeFileDiff, 'diff'), '', '</details>', '');
  if (r.notes.length) out.push('<details><summary>Notes</summary>', '', ...r.notes.map((n) => `- ${md(n)}`), '', '</details>', '');
  return out.join('\n');
}
