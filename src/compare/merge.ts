/** `pullsim merge REPORT.json…`: the shard reports of one comparison, combined into the report an unsharded run gives. */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import { emptyReport, finish, withRuntime, type CompareReport } from './report.js';

/** A report's runtime as the refusal names it (quoted: it is read from a file); older reports, and sides of two runtimes, have none. */
function runtimeOf(r: CompareReport): string {
  return r.runtime === undefined ? 'no runtime' : `runtime ${JSON.stringify(r.runtime)}`;
}

function readReport(path: string): CompareReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`merge: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let r: CompareReport;
  try {
    r = JSON.parse(text) as CompareReport;
  } catch (e) {
    throw new InputError(`merge: ${path} is not JSON (${(e as Error).message})`);
  }
  if (r?.report !== 'pullsim-compare' || r.version !== 1 || !Array.isArray(r.changes) || typeof r.counts !== 'object' || !['undefined', 'string'].includes(typeof r.runtime)) {
    throw new InputError(`merge: ${path} is not a pullsim compare --json report (version 1)`);
  }
  return r;
}

export function mergeReports(paths: string[]): CompareReport {
  if (paths.length === 0) throw new InputError('merge: give the shard reports (pullsim compare --shard i/n --json > shard-i.json)');
  const reports = paths.map(readReport);
  const first = reports[0];
  const seen = new Set<number>();
  reports.forEach((r, i) => {
    if (r.old !== first.old || r.new !== first.new || r.mode !== first.mode) {
      throw new InputError(`merge: ${paths[i]} compares ${r.old} → ${r.new} (${r.mode}), ${paths[0]} compares ${first.old} → ${first.new} (${first.mode}); merge only shards of one comparison`);
    }
    if (r.runtime !== first.runtime) throw new InputError(`merge: ${paths[i]} has ${runtimeOf(r)}, ${paths[0]} has ${runtimeOf(first)}; merge only shards of one comparison`);
    if (r.shard === null || r.shard.count !== (first.shard?.count ?? NaN)) throw new InputError(`merge: ${paths[i]} is not a shard of ${first.shard ? `n=${first.shard.count}` : 'a sharded run'} (its --shard is ${r.shard ? `${r.shard.index}/${r.shard.count}` : 'unset'})`);
    if (seen.has(r.shard.index)) throw new InputError(`merge: shard ${r.shard.index}/${r.shard.count} is given twice (${paths[i]})`);
    seen.add(r.shard.index);
  });
  const missing = Array.from({ length: first.shard!.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new InputError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard!.count}`).join(', ')} missing`);
  const out = withRuntime(emptyReport(first.old, first.new, first.mode, null), first.runtime);
  out.nodeFileDiff = first.nodeFileDiff;
  out.rollout = first.rollout;
  out.notes = first.notes;
  for (const r of reports) {
    out.images += r.images;
    for (const k of Object.keys(out.counts) as (keyof CompareReport['counts'])[]) out.counts[k] += r.counts[k];
    out.changes.push(...r.changes);
  }
  return finish(out);
}
