/**
 * compare without a world on containerd nodes: which runtime's decisions a comparison shows, and
 * the streamed loop over the images with containerd's decisions on both sides (the report, JUnit
 * and classes are the CRI-O path's).
 */
import { InputError } from '../errors/index.js';
import { containerdProfile, CONTAINERD_VERSIONS, isContainerdVersion, type ContainerdProfile } from '../runtime/containerd/profiles.js';
import type { RuntimeName } from '../system-context.js';
import { containerdViews, decideContainerd } from './containerd-decisions.js';
import { prepareSide, type Side } from './inputs.js';
import { count, emptyReport, finish, type CompareReport } from './report.js';
import { clusterChange, entryChange, podSecretsOf, type CompareInput } from './run-compare.js';
import { inShard } from './shard.js';

/** The runtimes `compare --runtime` accepts: the containers/image family as CRI-O decides, or containerd. */
export type CompareRuntime = 'crio' | 'containerd';

/**
 * `--runtime` wins over the sides' own (a scenario's `runtime:`; a tree or manifests are CRI-O's), as in
 * explain. A containerd side against a containers/image one compares two different runtimes' decisions:
 * refused, naming the flag that settles it.
 */
export function decisionRuntime(old: Side, nu: Side, flag: CompareRuntime | undefined): RuntimeName {
  if (flag !== undefined) return flag;
  const [a, b] = [old.scenario.runtime, nu.scenario.runtime];
  if ((a === 'containerd') !== (b === 'containerd')) {
    throw new InputError(`compare: ${old.label} is a ${a} node and ${nu.label} a ${b} node; give --runtime crio or --runtime containerd to decide both sides as one runtime`);
  }
  return a;
}

/** `--containerd VERSION` for both sides, else each side's `versions.containerd`, else the default release. */
export function sideRelease(side: Side, flag: string | undefined): ContainerdProfile {
  if (flag !== undefined && !isContainerdVersion(flag)) throw new InputError(`compare: --containerd ${JSON.stringify(flag)} is not emulated; accepted: ${CONTAINERD_VERSIONS}`);
  return containerdProfile(flag ?? side.scenario.versions.containerd, side.scenario.file);
}

export async function compareContainerdDecisions(inp: CompareInput, release?: string): Promise<CompareReport> {
  const profA = sideRelease(inp.old, release);
  const profB = sideRelease(inp.new, release);
  const a = prepareSide(inp.old);
  const b = prepareSide(inp.new);
  const report = emptyReport(inp.old.label, inp.new.label, 'decisions', inp.shard ?? null);
  report.notes = [...a.notes.map((n) => `old: ${n}`), ...b.notes.map((n) => `new: ${n}`)];
  clusterChange(report, inp.old.scenario, inp.new.scenario);
  const secretsA = podSecretsOf(inp.old.scenario);
  const secretsB = podSecretsOf(inp.new.scenario);
  for await (const e of inp.images ?? []) {
    if (!inShard(e.image, inp.shard)) continue;
    const [va, vb] = containerdViews(decideContainerd(a.fs, profA, e.image, secretsA(e)), decideContainerd(b.fs, profB, e.image, secretsB(e)));
    const change = entryChange(e, va, vb);
    count(report, change);
    inp.onImage?.(e, change);
  }
  return finish(report);
}
