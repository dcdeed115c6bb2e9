/**
 * `lab check`: the workspace read exactly as a node reads its files (node/ through the scenario's
 * `node.root` tree loading, cluster/ rendered as the MCO renders it), the lab's pulls run against
 * its fake registries, each judged by its goal, and the traps a missed pull fell into.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { text } from '../errors/index.js';
import { parseCluster } from '../openshift/objects.js';
import { explain } from '../explain/explain.js';
import { explainText } from '../explain/explain-text.js';
import { explainContainerd, explainContainerdText } from '../explain/explain-containerd.js';
import { explainContext } from '../explain/node-context.js';
import { judge } from '../run/expect.js';
import { layOutNode } from '../run/lay-out-node.js';
import { scenarioNodeFiles } from '../run/node-files.js';
import type { JudgedPull } from '../run/outcome.js';
import { runScenario } from '../run/run-scenario.js';
import { containerdProfile } from '../runtime/containerd/profiles.js';
import type { NodeFS } from '../node-fs.js';
import type { Expectation } from '../scenario/types.js';
import { matchTraps } from './traps.js';
import type { Trap } from './types.js';
import { ClusterFileError, readCluster, startingFiles, workspacePaths, type LabScenario, type Progress } from './workspace.js';

export interface PullVerdict {
  index: number;
  goal: Expectation;
  outcome: JudgedPull;
  pass: boolean;
  /** What differs from the goal, one line each. */
  misses: string[];
  traps: Trap[];
}

export interface CheckResult {
  pass: boolean;
  pulls: PullVerdict[];
  /** Goals whose pod is gone from cluster/: nothing was pulled for them. */
  absent: Array<{ index: number; message: string }>;
  /** Workspace files changed (added, edited, removed) outside the lab's editable paths. */
  outsideEditable: string[];
  /** `explain` of the first pull that missed its goal, on the student's node. */
  explanation?: string;
  /** A cluster/ file `oc apply` refuses: nothing ran. */
  clusterError?: string;
  /** Objects of cluster/ of kinds pullsim does not read: "cluster/ns.yaml line 1: Namespace team (v1; not used by pullsim)". */
  ignored: string[];
}

/** The lab's scenario with the workspace as its node (an absent node/ is a node without files) and cluster. */
function workspaceScenario(s: LabScenario, dir: string, cluster: LabScenario['cluster']): LabScenario {
  const root = path.resolve(dir, 'node');
  return { ...s, node: { files: {}, ...(fs.existsSync(root) && { root }) }, cluster, pulls: s.pulls.map(({ expect: _, ...p }) => p) };
}

/** A judged pod that pulled nothing: gone from cluster/, or refused by the API server (its own error). */
function podsWithoutPulls(s: LabScenario, cluster: LabScenario['cluster'], pulls: PullVerdict[]): CheckResult['absent'] {
  const apiErrors = parseCluster(cluster).errors.map((e) => e.message);
  return s.pulls.flatMap((p, index) => {
    if (p.pod === undefined || pulls.some((v) => v.index === index)) return [];
    const refused = apiErrors.find((m) => m.startsWith(`Pod "${p.pod}" is invalid`) || m.startsWith(`Deployment "${p.pod}" is invalid`));
    return [{ index, message: refused ?? text('oc.pod-not-found', p.pod) }];
  });
}

function editable(s: LabScenario, rel: string): boolean {
  return s.lab.editable.some((e) => (e.endsWith('/') ? rel.startsWith(e) : rel === e));
}

/** A fix must stay inside the paths the lab lets the student edit; TASK.md and the handout are the student's to keep notes in. */
function changedOutside(s: LabScenario, dir: string, m: Progress['material']): string[] {
  const start = startingFiles(s, m);
  const now = new Set(workspacePaths(dir));
  const free = (rel: string) => editable(s, rel) || rel === 'TASK.md' || rel in s.lab.handout;
  const out = new Set<string>();
  for (const rel of now) if (!free(rel) && (start[rel] === undefined || fs.readFileSync(path.join(dir, rel), 'utf8') !== start[rel])) out.add(rel);
  for (const rel of Object.keys(start)) if (!free(rel) && !now.has(rel)) out.add(rel);
  return [...out].sort();
}

export async function checkWorkspace(s: LabScenario, dir: string, progress: Pick<Progress, 'material'>): Promise<CheckResult> {
  let cluster: LabScenario['cluster'];
  let ignored: string[];
  try {
    ({ objects: cluster, ignored } = readCluster(dir));
  } catch (e) {
    if (e instanceof ClusterFileError) return { pass: false, pulls: [], absent: [], outsideEditable: [], clusterError: e.message, ignored: [] };
    throw e;
  }
  const ws = workspaceScenario(s, dir, cluster);
  const report = await runScenario(ws, { earlier: progress.material, previousCluster: s.cluster });
  const outsideEditable = changedOutside(s, dir, progress.material);
  const pulls = report.pulls.map((outcome): PullVerdict => {
    const index = outcome.pullIndex ?? 0;
    const goal = s.lab.goals[index];
    const v = judge(outcome, goal)!;
    return { index, goal, outcome, pass: v.met, misses: v.failures ?? [], traps: [] };
  });
  const absent = podsWithoutPulls(s, cluster, pulls);
  const missed = pulls.filter((p) => !p.pass);
  if (missed.length === 0) return { pass: absent.length === 0 && outsideEditable.length === 0, pulls, absent, outsideEditable, ignored };
  const fs = layOutNode(ws, scenarioNodeFiles(ws, {}), (name) => progress.material.caPems[name] ?? '', s.cluster).fs;
  const hits = matchTraps(s.lab.traps, missed.map((p) => p.outcome), { runtime: s.runtime, fs, paths: workspacePaths(dir), cluster });
  for (const p of missed) p.traps = hits.get(p.outcome) ?? [];
  // An import is the control plane's, not the node's: no node explanation applies to it.
  const first = missed.find((p) => !p.outcome.import);
  return { pass: false, pulls, absent, outsideEditable, ignored, ...(first && { explanation: explanationOf(s, fs, first.outcome.image) }) };
}

/** `pullsim explain` of the image on the student's node, by the runtime's own rules (containerd reads no registries.conf). */
function explanationOf(s: LabScenario, fs: NodeFS, image: string): string {
  if (s.runtime === 'containerd') return explainContainerdText(explainContainerd(fs, containerdProfile(s.versions.containerd), image));
  return explainText(explain(fs, explainContext(s.runtime), image));
}
