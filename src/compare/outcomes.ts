/**
 * Compare with a world: the same pulls (the scenarios' own, or the images given) run under both
 * sides against the fake registries, and their outcomes are compared. Loaded only when a world is
 * compared: the runner brings the registries, the HTTP stack and OpenPGP.
 */
import { runScenarios } from '../run/run-many.js';
import type { PullOutcome } from '../run/outcome.js';
import type { PullSpec, Scenario } from '../scenario/types.js';
import type { SideView } from './classify.js';
import type { ImageEntry } from './images-list.js';
import { count, emptyReport, finish, type CompareReport } from './report.js';
import { clusterChange, entryChange, type CompareInput } from './run-compare.js';
import { inShard } from './shard.js';

function outcomeView(p: PullOutcome): SideView {
  const facts = new Map<string, string>();
  for (const k of ['result', 'from', 'digest', 'error'] as const) if (p[k] !== null) facts.set(k, p[k]);
  return { failure: p.result === 'failed' ? p.error ?? 'failed' : null, sources: p.from === null ? [] : [p.from], digest: JSON.stringify([...facts]), facts: () => facts };
}

function withImages(s: Scenario, images: ImageEntry[]): Scenario {
  const pulls: PullSpec[] = images.map((e) => ({
    image: e.image,
    namespace: e.namespace ?? 'default',
    serviceAccount: e.serviceAccount ?? 'default',
    ...(e.pullSecrets?.length && { secrets: e.pullSecrets }),
    platform: 'linux/amd64',
    options: {},
  }));
  return { ...s, pulls };
}

export async function compareOutcomes(inp: CompareInput): Promise<CompareReport> {
  let entries: ImageEntry[] | undefined;
  if (inp.images) {
    entries = [];
    for await (const batch of inp.images) for (const e of batch) if (inShard(e.image, inp.shard)) entries.push(e);
  }
  const [oldS, newS] = [inp.old.scenario, inp.new.scenario].map((s) => (entries ? withImages(s, entries) : s));
  const [ra, rb] = await runScenarios([oldS, newS], 2);
  const report = emptyReport(inp.old.label, inp.new.label, 'outcomes', inp.shard ?? null);
  for (const [side, r] of [['old', ra], ['new', rb]] as const) if (r.error !== undefined) report.notes.push(`${side}: ${r.error}`);
  await clusterChange(report, oldS, newS);
  const n = Math.max(ra.pulls.length, rb.pulls.length);
  for (let i = 0; i < n; i++) {
    const pa = ra.pulls[i];
    const pb = rb.pulls[i];
    const name = (p: PullOutcome) => (p.container !== undefined ? `${p.image} (container ${p.container})` : p.image);
    if (!pa || !pb || name(pa) !== name(pb)) {
      if (pa) report.notes.push(`not compared: ${name(pa)} (only in ${inp.old.label})`);
      if (pb) report.notes.push(`not compared: ${name(pb)} (only in ${inp.new.label})`);
      continue;
    }
    if (!inShard(pa.image, entries ? undefined : inp.shard)) continue;
    const e: ImageEntry = entries?.[i] ?? { image: name(pa) };
    const change = entryChange(e, outcomeView(pa), outcomeView(pb));
    count(report, change);
    inp.onImage?.(e, change);
  }
  return finish(report);
}
