/**
 * Runs a comparison. Without a world the images are streamed: each is explained on both sides,
 * classified, handed to `onImage` (the JUnit writer) and dropped unless it changed, so memory does
 * not grow with the number of images. With a world, the pulls run against the fake registries.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { DEFAULT_OPENSHIFT, pullSecretsFor, renderDiff, rolloutImpact } from '../openshift/index.js';
import { explainContext } from '../explain/node-context.js';
import { runScenarios } from '../run/run-many.js';
import type { PullOutcome } from '../run/outcome.js';
import type { PullSpec, Scenario } from '../scenario/types.js';
import { classify, type SideView } from './classify.js';
import { decide } from './decisions.js';
import type { ImageEntry } from './images-list.js';
import { prepareSide, renderSide, type Side } from './inputs.js';
import { count, emptyReport, finish, type CompareReport, type ImageChange } from './report.js';
import { inShard, type Shard } from './shard.js';

export interface CompareInput {
  old: Side;
  new: Side;
  /** Undefined: the pulls of the two scenarios (world mode only). */
  images?: AsyncIterable<ImageEntry>;
  shard?: Shard;
  onImage?: (entry: ImageEntry, change: ImageChange | null) => void;
}

export function entryChange(e: ImageEntry, a: SideView, b: SideView): ImageChange | null {
  const c = classify(a, b);
  if (c === null) return null;
  return {
    image: e.image,
    ...(e.namespace !== undefined && { namespace: e.namespace }),
    ...(e.serviceAccount !== undefined && { serviceAccount: e.serviceAccount }),
    ...(e.from !== undefined && { from: e.from }),
    class: c.class,
    old: { failure: a.failure, sources: a.sources },
    new: { failure: b.failure, sources: b.sources },
    fields: c.fields,
  };
}

/** The pools a change can touch: master and worker always, and every role a MachineConfig names. */
function pools(a: Scenario, b: Scenario): string[] {
  const roles = new Set(['master', 'worker']);
  for (const o of [...a.cluster, ...b.cluster]) {
    const role = (o.metadata.labels as Record<string, unknown> | undefined)?.['machineconfiguration.openshift.io/role'];
    if (o.kind === 'MachineConfig' && typeof role === 'string') roles.add(role);
  }
  return [...roles].sort();
}

/** When the cluster objects differ: the rendered node-file diff (worker) and what the machine-config daemon does to each pool. */
export function clusterChange(report: CompareReport, a: Scenario, b: Scenario): void {
  if (JSON.stringify(a.cluster) === JSON.stringify(b.cluster)) return;
  const release = b.versions.openshift ?? DEFAULT_OPENSHIFT;
  report.rollout = pools(a, b).map((pool) => {
    const ra = renderSide(a, pool);
    const rb = renderSide(b, pool);
    if (pool === 'worker') report.nodeFileDiff = renderDiff(ra, rb);
    return { openshift: release, ...rolloutImpact(ra.machineConfig, rb.machineConfig, { openshift: release, pool }) };
  });
}

/**
 * The pull secrets the kubelet gives an image's pod (its own imagePullSecrets, else its ServiceAccount's),
 * from the side's cluster objects; one lookup per namespace, ServiceAccount and secret list.
 */
export function podSecretsOf(s: Scenario): (e: ImageEntry) => KeyringSource[] {
  const kept = new Map<string, KeyringSource[]>();
  return (e) => {
    if (e.namespace === undefined || s.cluster.length === 0) return [];
    const key = JSON.stringify([e.namespace, e.serviceAccount, e.pullSecrets]);
    let found = kept.get(key);
    if (!found) {
      const secrets = e.pullSecrets?.length ? e.pullSecrets : undefined;
      kept.set(key, (found = pullSecretsFor(s.cluster, { namespace: e.namespace, serviceAccount: e.serviceAccount ?? 'default', ...(secrets && { secrets }) }).sources));
    }
    return found;
  };
}

export async function compareDecisions(inp: CompareInput): Promise<CompareReport> {
  const a = prepareSide(inp.old);
  const b = prepareSide(inp.new);
  const report = emptyReport(inp.old.label, inp.new.label, 'decisions', inp.shard ?? null);
  report.notes = [...a.notes.map((n) => `old: ${n}`), ...b.notes.map((n) => `new: ${n}`)];
  clusterChange(report, inp.old.scenario, inp.new.scenario);
  const sysA = explainContext(inp.old.scenario.runtime);
  const sysB = explainContext(inp.new.scenario.runtime);
  const secretsA = podSecretsOf(inp.old.scenario);
  const secretsB = podSecretsOf(inp.new.scenario);
  for await (const e of inp.images ?? []) {
    if (!inShard(e.image, inp.shard)) continue;
    const da = decide(a.fs, sysA, e.image, secretsA(e));
    const db = decide(b.fs, sysB, e.image, secretsB(e));
    const change = entryChange(e, { failure: da.certainFailure, ...da }, { failure: db.certainFailure, ...db });
    count(report, change);
    inp.onImage?.(e, change);
  }
  return finish(report);
}

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

/** With a world: the same pulls (the scenarios' own, or the images given) run under both; outcomes compared. */
export async function compareOutcomes(inp: CompareInput): Promise<CompareReport> {
  let entries: ImageEntry[] | undefined;
  if (inp.images) {
    entries = [];
    for await (const e of inp.images) if (inShard(e.image, inp.shard)) entries.push(e);
  }
  const [oldS, newS] = [inp.old.scenario, inp.new.scenario].map((s) => (entries ? withImages(s, entries) : s));
  const [ra, rb] = await runScenarios([oldS, newS], 2);
  const report = emptyReport(inp.old.label, inp.new.label, 'outcomes', inp.shard ?? null);
  for (const [side, r] of [['old', ra], ['new', rb]] as const) if (r.error !== undefined) report.notes.push(`${side}: ${r.error}`);
  clusterChange(report, oldS, newS);
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
