/**
 * `lab validate`: proves a lab does what it claims. The starting state meets the scenario's own
 * expectations (the node's exact error) and misses the goal; the solution and every alternative
 * reach the goal; every trap's example wrong fix misses the goal and fires that trap.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { judge } from '../run/expect.js';
import { checkWorkspace, type CheckResult } from './check.js';
import type { WorkspaceChange } from './types.js';
import { applyChange, generateMaterial, startingFiles, writeFiles, writeProgress, type LabScenario } from './workspace.js';

export interface LabValidation {
  id: string;
  file: string;
  problems: string[];
  /** What was proven, for the report. */
  proven: string[];
}

function misses(r: CheckResult): string {
  if (r.clusterError) return r.clusterError;
  return r.pulls.filter((p) => !p.pass).map((p) => `${p.outcome.image}: ${p.misses.join('; ')}`).join(' | ');
}

export async function validateLab(s: LabScenario): Promise<LabValidation> {
  const v: LabValidation = { id: s.lab.id, file: s.file, problems: [], proven: [] };
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'pullsim-lab-validate-'));
  try {
    const material = await generateMaterial(s);
    const progress = { lab: s.lab.id, file: path.resolve(s.file), material, checks: 0, hintsUsed: 0, solutionSeen: false };
    const attempt = async (change?: WorkspaceChange): Promise<CheckResult> => {
      for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      writeFiles(dir, startingFiles(s, material));
      fs.mkdirSync(path.join(dir, 'node'), { recursive: true });
      writeProgress(dir, progress);
      if (change) applyChange(dir, change, material);
      return checkWorkspace(s, dir, progress);
    };

    const start = await attempt();
    if (start.pass) v.problems.push('the starting state already reaches every goal');
    for (const p of start.pulls) {
      const e = judge(p.outcome, s.pulls[p.index].expect);
      if (e && !e.met) v.problems.push(`starting state, pull ${p.index + 1} (${p.outcome.image}): expected ${e.failures!.join('; ')}`);
    }
    if (!start.pass) v.proven.push('start misses its goal');

    const solution = await attempt(s.lab.solution);
    if (solution.pass) v.proven.push('solution passes');
    else v.problems.push(`the solution misses the goal: ${misses(solution)}`);

    for (const alt of s.lab.alternatives) {
      const r = await attempt(alt);
      if (!r.pass) v.problems.push(`alternative "${alt.name}" misses the goal: ${misses(r)}`);
    }
    if (s.lab.alternatives.length) v.proven.push(`${s.lab.alternatives.length} alternative fix(es) pass`);

    for (const trap of s.lab.traps) {
      const r = await attempt(trap.example);
      if (r.pass) v.problems.push(`trap ${trap.id}: its example wrong fix reaches the goal`);
      else if (!r.pulls.some((p) => p.traps.includes(trap))) v.problems.push(`trap ${trap.id}: its example wrong fix does not fire it (${misses(r)})`);
    }
    if (s.lab.traps.length) v.proven.push(`${s.lab.traps.length} trap(s) fire`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return v;
}
