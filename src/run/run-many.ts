/**
 * Runs many scenarios: every file is loaded and validated first (one invalid file stops the run
 * before anything starts), then they run a few at a time, each with its own isolated lab.
 */
import { collectScenarioFiles, loadScenarioFile } from '../scenario/index.js';
import type { Scenario } from '../scenario/types.js';
import type { ScenarioReport } from './outcome.js';
import { runScenario } from './run-scenario.js';

export function loadScenarios(paths: string[]): Scenario[] {
  return collectScenarioFiles(paths).map((f) => loadScenarioFile(f));
}

export async function runScenarios(scenarios: Scenario[], jobs: number, onDone?: (r: ScenarioReport, done: number) => void): Promise<ScenarioReport[]> {
  const reports = new Array<ScenarioReport>(scenarios.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      reports[i] = await runScenario(scenarios[i]);
      onDone?.(reports[i], ++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, scenarios.length)) }, worker));
  return reports;
}
