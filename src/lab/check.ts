/**
 * `lab check`: the workspace read exactly as a node reads its files (node/ through the scenario's
 * `node.root` tree loading, cluster/ rendered as the MCO renders it), the lab's pulls run against
 * its fake registries, each judged by its goal, and the traps a missed pull fell into.
 */
import * as path from 'node:path';
import { explain } from '../explain/explain.js';
import { explainText } from '../explain/explain-text.js';
import { explainContext } from '../explain/node-context.js';
import { judge } from '../run/expect.js';
import { layOutNode, scenarioNodeFiles } from '../run/node-files.js';
import type { JudgedPull } from '../run/outcome.js';
import { runScenario } from '../run/run-scenario.js';
import type { Expectation } from '../scenario/types.js';
import { matchTraps } from './traps.js';
import type { Trap } from './types.js';
import { ClusterFileError, readCluster, workspacePaths, type LabScenario, type Progress } from './workspace.js';

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
  /** `explain` of the first pull that missed its goal, on the student's node. */
  explanation?: string;
  /** A cluster/ file `oc apply` refuses: nothing ran. */
  clusterError?: string;
}

/** The lab's scenario with the workspace as its node and cluster. */
function workspaceScenario(s: LabScenario, dir: string, cluster: LabScenario['cluster']): LabScenario {
  return { ...s, node: { files: {}, root: path.resolve(dir, 'node') }, cluster, pulls: s.pulls.map(({ expect: _, ...p }) => p) };
}

export async function checkWorkspace(s: LabScenario, dir: string, progress: Pick<Progress, 'material'>): Promise<CheckResult> {
  let cluster: LabScenario['cluster'];
  try {
    cluster = readCluster(dir);
  } catch (e) {
    if (e instanceof ClusterFileError) return { pass: false, pulls: [], clusterError: e.message };
    throw e;
  }
  const ws = workspaceScenario(s, dir, cluster);
  const report = await runScenario(ws, { earlier: progress.material, previousCluster: s.cluster });
  const pulls = report.pulls.map((outcome): PullVerdict => {
    const index = outcome.pullIndex ?? 0;
    const goal = s.lab.goals[index];
    const v = judge(outcome, goal)!;
    return { index, goal, outcome, pass: v.met, misses: v.failures ?? [], traps: [] };
  });
  const missed = pulls.filter((p) => !p.pass);
  if (missed.length === 0) return { pass: true, pulls };
  const fs = layOutNode(ws, scenarioNodeFiles(ws, {}), (name) => progress.material.caPems[name] ?? '', s.cluster).fs;
  const hits = matchTraps(s.lab.traps, missed.map((p) => p.outcome), { runtime: s.runtime, fs, paths: workspacePaths(dir), cluster });
  for (const p of missed) p.traps = hits.get(p.outcome) ?? [];
  return { pass: false, pulls, explanation: explainText(explain(fs, explainContext(s.runtime), missed[0].outcome.image)) };
}
