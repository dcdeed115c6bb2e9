/**
 * `--root DIR` and `--manifests PATH` (repeatable) on run, explain, render and compare: one world
 * file (registries and pulls) against any node tree or set of manifests, on disk or `git:REV[:PATH]`.
 */
import { describeGitSpec, gitFiles, isGitSpec, resolveTreeSpec } from '../compare/git-tree.js';
import { statSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import { withManifests } from './manifests.js';
import type { Scenario } from './types.js';

export interface NodeOverrides {
  root?: string;
  manifests: string[];
}

/** A tree argument made canonical, checked to exist (a folder on disk, a tree in that revision). */
export function treeArgument(flag: string, spec: string, baseDir = process.cwd()): string {
  const canonical = resolveTreeSpec(spec, baseDir);
  if (isGitSpec(canonical)) {
    if (gitFiles(canonical)?.kind !== 'tree') throw new InputError(`${flag} ${describeGitSpec(canonical)}: no such folder in that revision`);
    return canonical;
  }
  let dir = false;
  try {
    dir = statSync(canonical).isDirectory();
  } catch {
    // reported below
  }
  if (!dir) throw new InputError(`${flag} ${spec}: ${canonical} is not a readable directory`);
  return canonical;
}

export function applyNodeOverrides(s: Scenario, o: NodeOverrides): Scenario {
  if (o.root !== undefined) s.node = { ...s.node, root: treeArgument('--root', o.root) };
  if (o.manifests.length) withManifests(s, o.manifests.map((m) => resolveTreeSpec(m, process.cwd())));
  return s;
}

/** A scenario holding only a node (a tree and/or manifests, already canonical): what compare and explain read from a repository. */
export function configOnlyScenario(label: string, root: string | undefined, manifests: string[]): Scenario {
  const s: Scenario = {
    file: label,
    name: label,
    runtime: 'crio',
    versions: {},
    cas: {},
    keys: {},
    images: {},
    hosts: {},
    registries: {},
    node: { files: {}, ...(root !== undefined && { root }) },
    cluster: [],
    pulls: [],
  };
  return manifests.length ? withManifests(s, manifests) : s;
}
