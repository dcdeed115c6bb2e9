/**
 * Runs a comparison without a world: the images are streamed; each whose decision may differ is
 * explained on both sides and classified, every one is handed to `onImage` (the JUnit writer) and
 * dropped unless it changed, so memory does not grow with the number of images. Images that
 * SameDecision vouches for are unchanged without an explain. With a world see outcomes.ts.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { explainContext } from '../explain/node-context.js';
import type { Scenario } from '../scenario/types.js';
import { classify, type SideView } from './classify.js';
import { decide } from './decisions.js';
import { secretsKey, type ImageEntry } from './images-list.js';
import { prepareSide, type Side } from './inputs.js';
import { count, emptyReport, finish, type CompareReport, type ImageChange } from './report.js';
import { SameDecision } from './same-decision.js';
import { inShard, type Shard } from './shard.js';

export interface CompareInput {
  old: Side;
  new: Side;
  /** In batches (readImageBatches); undefined: the pulls of the two scenarios (world mode only). */
  images?: AsyncIterable<ImageEntry[]>;
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

/** What the machine-config daemon does to each pool, when the cluster objects differ: the OpenShift code is loaded only then. */
export async function clusterChange(report: CompareReport, a: Scenario, b: Scenario): Promise<void> {
  if (JSON.stringify(a.cluster) === JSON.stringify(b.cluster)) return;
  (await import('./cluster-change.js')).addClusterChange(report, a, b);
}

/** The pull secrets the kubelet gives an image's pod; none without cluster objects (and no OpenShift code loaded). */
export async function podSecretsOf(s: Scenario): Promise<(e: ImageEntry) => KeyringSource[]> {
  if (s.cluster.length === 0) return () => [];
  return (await import('./cluster-change.js')).podSecretsFrom(s);
}

export async function compareDecisions(inp: CompareInput): Promise<CompareReport> {
  const a = await prepareSide(inp.old);
  const b = await prepareSide(inp.new);
  const report = emptyReport(inp.old.label, inp.new.label, 'decisions', inp.shard ?? null);
  report.notes = [...a.notes.map((n) => `old: ${n}`), ...b.notes.map((n) => `new: ${n}`)];
  await clusterChange(report, inp.old.scenario, inp.new.scenario);
  const sysA = explainContext(inp.old.scenario.runtime);
  const sysB = explainContext(inp.new.scenario.runtime);
  const secretsA = await podSecretsOf(inp.old.scenario);
  const secretsB = await podSecretsOf(inp.new.scenario);
  const same = SameDecision.for({ fs: a.fs, sys: sysA }, { fs: b.fs, sys: sysB });
  const noClusters = inp.old.scenario.cluster.length === 0 && inp.new.scenario.cluster.length === 0;
  for await (const batch of inp.images ?? []) {
    for (const e of batch) {
      if (!inShard(e.image, inp.shard)) continue;
      if (same && (e.namespace === undefined || noClusters || same.sameSecrets(secretsKey(e), () => secretsA(e), () => secretsB(e))) && same.image(e.image)) {
        count(report, null);
        inp.onImage?.(e, null);
        continue;
      }
      const da = decide(a.fs, sysA, e.image, secretsA(e));
      const db = decide(b.fs, sysB, e.image, secretsB(e));
      const change = entryChange(e, { failure: da.certainFailure, ...da }, { failure: db.certainFailure, ...db });
      count(report, change);
      inp.onImage?.(e, change);
    }
  }
  return finish(report);
}

