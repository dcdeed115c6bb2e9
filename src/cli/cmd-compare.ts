import { InputError } from '../errors/index.js';
import { readImageBatches } from '../compare/images-list.js';
import { gitBaseSides, loadSide, type Side } from '../compare/inputs.js';
import { JunitFile, writeWhole } from '../compare/junit-file.js';
import { exitCode, junitFromReport, markdown, textTable, withRuntime, type CompareReport, type FailOn } from '../compare/report.js';
import { compareDecisions, type CompareInput } from '../compare/run-compare.js';
import { decisionRuntime, reportedRuntime, sideRelease, type CompareRuntime } from '../compare/decision-runtime.js';
import { parseShard } from '../compare/shard.js';
import { flagList, flagString, parseArgs, type ParsedArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';
import type { RuntimeName } from '../system-context.js';

function emit(r: CompareReport, args: ParsedArgs, io: Io, junitWritten: boolean): number {
  if (args.flags.has('json') && args.flags.has('markdown')) throw new InputError('give --json or --markdown, not both');
  const junit = flagString(args, 'junit');
  if (junit !== undefined && !junitWritten) writeWhole(junit, junitFromReport(r));
  io.out(args.flags.has('json') ? JSON.stringify(r, null, 2) + '\n' : args.flags.has('markdown') ? markdown(r) : textTable(r));
  return exitCode(r, (flagString(args, 'fail-on') ?? 'breaks') as FailOn);
}

/** The pulls of a world run as each scenario's runtime and release: a flag that says otherwise is refused. */
function checkWorldRuntime(old: Side, nu: Side, runtime: CompareRuntime | undefined, release: string | undefined): void {
  for (const s of [old, nu]) {
    if (runtime !== undefined && s.scenario.runtime !== runtime) throw new InputError(`compare: --runtime ${runtime}: ${s.label} runs its pulls as runtime: ${s.scenario.runtime}; the flag applies to decisions (trees, manifests, scenarios without registries)`);
    if (release !== undefined) throw new InputError(`compare: --containerd applies to decisions; ${s.label} runs its pulls as its versions.containerd`);
  }
}

/**
 * Without a world: which runtime decides (settled before anything is written, so a refused flag
 * leaves no JUnit file), and the containerd release when it is containerd.
 */
function decisionPlan(old: Side, nu: Side, flag: CompareRuntime | undefined, release: string | undefined): RuntimeName {
  const runtime = decisionRuntime(old, nu, flag);
  if (runtime === 'containerd') sideRelease(old, release);
  else if (release !== undefined) throw new InputError(`compare: --containerd applies to containerd nodes; these are decided as ${runtime} (give --runtime containerd)`);
  return runtime;
}

/** containerd's decisions, or the containers/image family's (CRI-O, podman, skopeo) as --runtime or the scenarios say. */
async function decisions(input: CompareInput, runtime: RuntimeName, flag: CompareRuntime | undefined, release: string | undefined): Promise<CompareReport> {
  if (runtime === 'containerd') return (await import('../compare/run-containerd.js')).compareContainerdDecisions(input, release);
  if (flag === undefined) {
    // Nothing named the runtime: a side that looks like a containerd node is noted (prepareSide).
    const byDefault = (s: Side): Side => ({ ...s, runtimeByDefault: true });
    return compareDecisions({ ...input, old: byDefault(input.old), new: byDefault(input.new) });
  }
  const as = (s: Side): Side => ({ ...s, scenario: { ...s.scenario, runtime: flag } });
  return compareDecisions({ ...input, old: as(input.old), new: as(input.new) });
}

/**
 * `pullsim compare OLD NEW | --git-base REV [--root TREE] [--manifests PATH]... [--images FILE]
 * [--runtime crio|containerd] [--containerd VERSION] [--shard i/n] [--json|--markdown] [--junit FILE] [--fail-on breaks|changes|never]`.
 */
export async function compareCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('compare', argv, commandFlags('compare'));
  if (args.flags.has('json') && args.flags.has('markdown')) throw new InputError('compare: give --json or --markdown, not both');
  const shardText = flagString(args, 'shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const overrides = { root: flagString(args, 'root'), manifests: flagList(args, 'manifests') };
  const base = flagString(args, 'git-base');
  let sides;
  if (base !== undefined) {
    if (args.positional.length) throw new InputError('compare: --git-base REV compares the --root/--manifests paths at REV with the working tree; give no OLD NEW with it');
    sides = gitBaseSides(base, overrides);
  } else {
    if (args.positional.length !== 2) throw new InputError('compare: give two scenario files, trees, manifests or git:REV[:PATH] specs, the old configuration first (or --git-base REV)');
    sides = [await loadSide(args.positional[0], overrides), await loadSide(args.positional[1], overrides)];
  }
  const [old, nu] = sides;
  const runtime = flagString(args, 'runtime') as CompareRuntime | undefined;
  const release = flagString(args, 'containerd');
  const imagesFile = flagString(args, 'images');
  // Fake registries on both sides, or two scenarios' own pulls (unmapped names fail as DNS does): run them.
  const world = (old.world && nu.world) || (imagesFile === undefined && old.scenario.pulls.length > 0 && nu.scenario.pulls.length > 0);
  if (!world && imagesFile === undefined) throw new InputError('compare: without fake registries or pulls on both sides there is nothing to pull; give --images FILE (the images to decide for)');
  if (world) checkWorldRuntime(old, nu, runtime, release);
  const decided = world ? undefined : decisionPlan(old, nu, runtime, release);
  const images = imagesFile === undefined ? undefined : readImageBatches(imagesFile);
  const junitPath = flagString(args, 'junit');
  const junit = junitPath === undefined ? undefined : new JunitFile(junitPath, old.label, nu.label);
  try {
    const input = { old, new: nu, images, shard, onImage: junit && ((e: Parameters<JunitFile['add']>[0], c: Parameters<JunitFile['add']>[1]) => junit.add(e, c)) };
    const compared = decided === undefined ? await (await import('../compare/outcomes.js')).compareOutcomes(input) : await decisions(input, decided, runtime, release);
    const r = withRuntime(compared, reportedRuntime(old, nu, runtime));
    junit?.finish(r);
    return emit(r, args, io, true);
  } catch (e) {
    junit?.abandon();
    throw e;
  }
}

/** `pullsim merge REPORT.json... [--json|--markdown] [--junit FILE] [--fail-on …]`. */
export async function mergeCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('merge', argv, commandFlags('merge'));
  const { mergeReports } = await import('../compare/merge.js');
  return emit(mergeReports(args.positional), args, io, false);
}
