/**
 * A lab workspace on disk: the node's files under node/ (laid out like /), one YAML file per
 * cluster object under cluster/, what the story hands the student, TASK.md, and the progress file.
 * The registries, pulls and goals stay in the lab definition.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { InputError, text } from '../errors/index.js';
import { layOutNode } from '../run/lay-out-node.js';
import { scenarioNodeFiles } from '../run/node-files.js';
import type { GeneratedMaterial } from '../run/generated-material.js';
import { parseManifestText, type LoadedManifests, type ManifestDialect } from '../scenario/manifests.js';
import { substitutePlaceholders } from '../scenario/substitute.js';
import type { ClusterObject, Scenario } from '../scenario/types.js';
import { scenarioDigests } from '../../sim/images.js';
import { startLab } from '../../sim/lab.js';
import type { LabSpec, WorkspaceChange, WorkspaceFileSpec } from './types.js';

export const PROGRESS_FILE = '.pullsim-lab.json';

export interface Progress {
  lab: string;
  /** The definition's file, absolute. */
  file: string;
  /** The CA certificates and keys written into this workspace, which later runs stand in for. */
  material: GeneratedMaterial;
  checks: number;
  hintsUsed: number;
  solutionSeen: boolean;
  /** Number of the check that first passed. */
  firstPass?: number;
}

export type LabScenario = Scenario & { lab: LabSpec };

/** Generated material for one workspace: made once at start, kept in the progress file. */
export async function generateMaterial(s: Scenario): Promise<GeneratedMaterial> {
  const lab = await startLab(s);
  try {
    return { caPems: lab.caPems, publicKeys: lab.publicKeys, keyData: lab.keyData };
  } finally {
    await lab.close();
  }
}

function clusterFileName(o: ClusterObject, i: number): string {
  const slug = (x: string) => x.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `cluster/${String(i + 1).padStart(2, '0')}-${slug(o.kind)}-${slug(o.metadata.name)}.yaml`;
}

/**
 * A change's text may hold `${ca:NAME}` on a line of its own, for a CA pasted into a YAML block
 * (a ConfigMap for additionalTrustedCA): the PEM, each line indented like the placeholder.
 */
function pastePems(t: string, m: GeneratedMaterial): string {
  return t.replace(/^([ \t]*)\$\{ca:([^}]+)\}[ \t]*$/gm, (whole, pad: string, name: string) => {
    const pem = m.caPems[name];
    return pem === undefined ? whole : pem.trimEnd().split('\n').map((l) => pad + l).join('\n');
  });
}

export function resolveSpec(spec: WorkspaceFileSpec, m: GeneratedMaterial): string {
  if (typeof spec === 'string') return pastePems(spec, m);
  return 'ca' in spec ? m.caPems[spec.ca] : m.publicKeys[spec.publicKey];
}

/** The starting files by workspace path (TASK.md aside): the lab's broken node and cluster, and its handout. */
export function startingFiles(s: LabScenario, m: GeneratedMaterial): Record<string, string> {
  const sub = substitutePlaceholders(s, { digests: scenarioDigests(s), keyData: m.keyData });
  const generated: Record<string, string> = {};
  for (const [p, spec] of Object.entries(s.node.files)) if (typeof spec !== 'string') generated[p] = resolveSpec(spec, m);
  const out: Record<string, string> = {};
  // The node as it is: its own files, with what the MCO wrote from the starting cluster objects.
  const node = layOutNode(sub, scenarioNodeFiles(sub, generated), (name) => m.caPems[name]).fs;
  for (const p of node.paths()) out[`node${p}`] = node.read(p)!;
  s.cluster.forEach((o, i) => (out[clusterFileName(o, i)] = stringify(o)));
  for (const [p, spec] of Object.entries(s.lab.handout)) out[p] = resolveSpec(spec, m);
  return out;
}

/** Writes files (relative paths) under dir. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

export function applyChange(dir: string, change: WorkspaceChange, m: GeneratedMaterial): void {
  for (const rel of change.remove) fs.rmSync(path.join(dir, rel), { recursive: true, force: true });
  writeFiles(dir, Object.fromEntries(Object.entries(change.files).map(([p, spec]) => [p, resolveSpec(spec, m)])));
}

/** Every file of the workspace by relative path (the progress file aside), for trap conditions. */
export function workspacePaths(dir: string, rel = ''): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...workspacePaths(dir, r));
    else if (r !== PROGRESS_FILE) out.push(r);
  }
  return out.sort();
}

/** A cluster/ file `oc apply` would refuse: the student's data, reported as oc reports it. */
export class ClusterFileError extends Error {}

/** cluster/ read by the `cluster.manifests` loader, refusals worded as `oc apply` words them. */
const OC_APPLY: ManifestDialect = {
  syntax: (file, message, line) => new ClusterFileError(text('oc.parse', file, `line ${line}: ${message}`)),
  invalidKey: (file, message) => new ClusterFileError(text('oc.parse', file, message)),
  incomplete: (file, _line, problems) => new ClusterFileError(text('oc.validate', file, problems.join(', '))),
  // No `refused`: the API server refuses one object of an apply; check reports it for that object.
};

/**
 * The objects of cluster/ as `oc apply -f cluster/` reads them: every *.yaml, *.yml, *.json,
 * multi-document, `kind: List` unpacked; objects of kinds pullsim does not read are listed in
 * `ignored`.
 */
export function readCluster(dir: string): LoadedManifests {
  const into: LoadedManifests = { objects: [], ignored: [] };
  for (const rel of workspacePaths(dir).filter((p) => p.startsWith('cluster/') && /\.(ya?ml|json)$/.test(p))) {
    parseManifestText(fs.readFileSync(path.join(dir, rel), 'utf8'), rel, into, OC_APPLY);
  }
  return into;
}

export function readProgress(dir: string): Progress {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(text('lab.no-folder', dir));
  const p = path.join(dir, PROGRESS_FILE);
  if (!fs.existsSync(p)) throw new InputError(text('lab.no-workspace', dir, dir));
  try {
    const v = JSON.parse(fs.readFileSync(p, 'utf8')) as Progress;
    if (typeof v.lab !== 'string' || typeof v.file !== 'string' || !v.material) throw new Error('missing lab, file or material');
    return v;
  } catch (e) {
    throw new InputError(text('lab.progress', p, (e as Error).message));
  }
}

export function writeProgress(dir: string, p: Progress): void {
  fs.writeFileSync(path.join(dir, PROGRESS_FILE), JSON.stringify(p, null, 2) + '\n');
}
