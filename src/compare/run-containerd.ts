/**
 * compare without a world on containerd nodes: the streamed loop over the images with containerd's
 * decisions on both sides (the report, JUnit and classes are the CRI-O path's).
 */
import { containerdViews, decideContainerd } from './containerd-decisions.js';
import { sideRelease } from './decision-runtime.js';
import { prepareSide } from './inputs.js';
import { count, emptyReport, finish, type CompareReport } from './report.js';
import { clusterChange, entryChange, podSecretsOf, type CompareInput } from './run-compare.js';
import { inShard } from './shard.js';

export async function compareContainerdDecisions(inp: CompareInput, release?: string): Promise<CompareReport> {
  const profA = sideRelease(inp.old, release);
  const profB = sideRelease(inp.new, release);
  const a = await prepareSide(inp.old);
  const b = await prepareSide(inp.new);
  const report = emptyReport(inp.old.label, inp.new.label, 'decisions', inp.shard ?? null);
  report.notes = [...a.notes.map((n) => `old: ${n}`), ...b.notes.map((n) => `new: ${n}`)];
  await clusterChange(report, inp.old.scenario, inp.new.scenario);
  const secretsA = await podSecretsOf(inp.old.scenario);
  const secretsB = await podSecretsOf(inp.new.scenario);
  for await (const batch of inp.images ?? []) {
    for (const e of batch) {
      if (!inShard(e.image, inp.shard)) continue;
      const [va, vb] = containerdViews(decideContainerd(a.fs, profA, e.image, secretsA(e)), decideContainerd(b.fs, profB, e.image, secretsB(e)));
      const change = entryChange(e, va, vb);
      count(report, change);
      inp.onImage?.(e, change);
    }
  }
  return finish(report);
}
