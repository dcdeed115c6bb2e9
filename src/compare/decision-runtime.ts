/**
 * Which runtime decides a comparison without a world, and the containerd release: settled before
 * anything is written. Apart from the containerd loop (run-containerd.ts), which compare loads only
 * for containerd nodes.
 */
import { InputError } from '../errors/index.js';
import { containerdProfile, CONTAINERD_VERSIONS, isContainerdVersion, type ContainerdProfile } from '../runtime/containerd/profiles.js';
import type { RuntimeName } from '../system-context.js';
import type { Side } from './inputs.js';

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

/**
 * The runtime a report names (`runtime` in --json): the flag, else the sides' own when they agree. A
 * podman side against a CRI-O one is decided (or pulled) as each: the report names neither.
 */
export function reportedRuntime(old: Side, nu: Side, flag: CompareRuntime | undefined): RuntimeName | undefined {
  if (flag !== undefined) return flag;
  return old.scenario.runtime === nu.scenario.runtime ? old.scenario.runtime : undefined;
}

/** `--containerd VERSION` for both sides, else each side's `versions.containerd`, else the default release. */
export function sideRelease(side: Side, flag: string | undefined): ContainerdProfile {
  if (flag !== undefined && !isContainerdVersion(flag)) throw new InputError(`compare: --containerd ${JSON.stringify(flag)} is not emulated; accepted: ${CONTAINERD_VERSIONS}`);
  return containerdProfile(flag ?? side.scenario.versions.containerd, side.scenario.file);
}
