/**
 * What each side of `pullsim compare` is: a scenario file, a node tree (a folder laid out like `/`),
 * a manifests folder or file, or any of those at `git:REV[:PATH]`; with `--git-base REV`, the same
 * `--root`/`--manifests` paths read from REV (old) and from the working tree (new).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { InputError } from '../errors/index.js';
import { yaml } from '../yaml-lazy.js';
import { offlineNode } from '../explain/scenario-fs.js';
import type { NodeFS } from '../node-fs.js';
import { applyNodeOverrides, configOnlyScenario, treeArgument, type NodeOverrides } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/types.js';
import { describeGitSpec, gitFiles, gitSpecParts, isGitSpec, resolveTreeSpec } from './git-tree.js';

export interface Side {
  label: string;
  scenario: Scenario;
  /** A scenario with fake registries and pulls: outcomes can be compared. */
  world: boolean;
  /** Decided as its scenario's runtime because no --runtime named one (a tree or manifests: CRI-O). */
  runtimeByDefault?: boolean;
}

/** Top-level folders of a node's `/` that hold container configuration. */
const NODE_DIRS = ['etc', 'var', 'usr', 'run', 'root'];

function isNodeTree(topNames: string[]): boolean {
  return topNames.some((n) => NODE_DIRS.includes(n));
}

function looksLikeScenario(path: string): boolean {
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(path, 'utf8'), { prettyErrors: false, logLevel: 'error' });
  } catch {
    return false; // the manifests reader reports the YAML error with its line
  }
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'name' in doc && !('apiVersion' in doc);
}

/** A path as reports name it: relative to the current folder when below it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** One positional side of compare; the scenario loader is loaded only for a scenario file. */
export async function loadSide(spec: string, overrides: NodeOverrides): Promise<Side> {
  const canonical = resolveTreeSpec(spec, process.cwd());
  if (isGitSpec(canonical)) {
    const label = describeGitSpec(canonical);
    const found = gitFiles(canonical);
    if (!found) throw new InputError(`compare: ${label} does not exist in that revision`);
    const top = [...new Set(found.entries.map((e) => e.path.split('/')[0]))];
    const tree = found.kind === 'tree' && isNodeTree(top);
    return { label, scenario: configOnlyScenario(label, tree ? canonical : undefined, tree ? [] : [canonical]), world: false };
  }
  let st;
  try {
    st = statSync(canonical);
  } catch {
    throw new InputError(`compare: ${spec} does not exist (accepted: a scenario file, a node tree, a manifests folder or file, git:REV[:PATH])`);
  }
  const label = shown(canonical);
  if (st.isDirectory()) {
    const tree = isNodeTree(readdirSync(canonical));
    return { label, scenario: configOnlyScenario(label, tree ? canonical : undefined, tree ? [] : [canonical]), world: false };
  }
  if (!looksLikeScenario(canonical)) return { label, scenario: configOnlyScenario(label, undefined, [canonical]), world: false };
  const { loadScenarioFile } = await import('../scenario/index.js');
  const scenario = applyNodeOverrides(loadScenarioFile(spec), overrides);
  return { label: spec, scenario, world: Object.keys(scenario.registries).length > 0 };
}

/** `--git-base REV`: the --root tree and --manifests paths at REV, against the same paths in the working tree. */
export function gitBaseSides(rev: string, overrides: NodeOverrides): [Side, Side] {
  const root = overrides.root ?? (overrides.manifests.length ? undefined : '.');
  const newRoot = root === undefined ? undefined : treeArgument('--root', root);
  const newManifests = overrides.manifests.map((m) => resolveTreeSpec(m, process.cwd()));
  const atRev = (p: string) => `git:${rev}:${isGitSpec(p) ? gitSpecParts(p).abs : p}`;
  const oldRoot = newRoot === undefined ? undefined : atRev(newRoot);
  if (oldRoot !== undefined && gitFiles(oldRoot)?.kind !== 'tree') throw new InputError(`--root ${describeGitSpec(oldRoot)}: no such folder in that revision`);
  const oldManifests = newManifests.map(atRev);
  const label = (what: string) => [newRoot && `--root ${shown(newRoot)}`, ...newManifests.map((m) => `--manifests ${shown(m)}`)].filter(Boolean).join(' ') + what;
  return [
    { label: label(` at ${rev}`), scenario: configOnlyScenario(`git:${rev}`, oldRoot, oldManifests), world: false },
    { label: label(' in the working tree'), scenario: configOnlyScenario('working tree', newRoot, newManifests), world: false },
  ];
}

export interface PreparedSide {
  side: Side;
  fs: NodeFS;
  notes: string[];
}

/**
 * A node with containerd's configuration and none of the containers/image family's, decided as
 * CRI-O only because nothing said otherwise: CRI-O reads no containerd file, so every image would
 * compare unchanged whatever the change. Said, with the flag that decides it as containerd.
 */
function runtimeHint(side: Side, fs: NodeFS): string[] {
  if (!side.runtimeByDefault || side.scenario.runtime !== 'crio' || !fs.isDir('/etc/containerd') || fs.isDir('/etc/containers')) return [];
  return ['the node has /etc/containerd/ and no /etc/containers/, so it looks like a containerd node; it was decided as CRI-O, which reads no containerd file: give --runtime containerd'];
}

export async function prepareSide(side: Side): Promise<PreparedSide> {
  const { fs, notes } = await offlineNode(side.scenario);
  return { side, fs, notes: [...runtimeHint(side, fs), ...(side.scenario.ignoredObjects ?? []).map((l) => `ignored: ${l}`), ...notes] };
}
