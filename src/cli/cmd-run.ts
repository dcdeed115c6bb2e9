import { join } from 'node:path';
import { InputError } from '../errors/index.js';
import { jsonReport, summarize } from '../run/report-json.js';
import { textReport } from '../run/report-text.js';
import { loadScenarios, runScenarios } from '../run/run-many.js';
import { applyNodeOverrides } from '../scenario/overrides.js';
import { flagList, flagString, parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';
import { packageRoot } from '../package-root.js';

/** `pullsim run [FILE|DIR ...] [--json] [--jobs N] [--root TREE] [--manifests PATH]...`: exit 0 when every expectation is met, 1 otherwise, 2 for bad input. */
export async function runCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('run', argv, commandFlags('run'));
  const jobsText = flagString(args, 'jobs') ?? '4';
  const jobs = Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1) throw new InputError(`run: --jobs ${JSON.stringify(jobsText)} is not accepted; accepted: a whole number ≥ 1`);
  const paths = args.positional.length ? args.positional : [join(packageRoot(), 'scenarios')];
  const overrides = { root: flagString(args, 'root'), manifests: flagList(args, 'manifests') };
  const scenarios = loadScenarios(paths).map((s) => applyNodeOverrides(s, overrides));
  if (scenarios.length === 0) throw new InputError(`run: no scenario files (*.yaml, *.yml) in ${paths.join(', ')}`);
  const json = args.flags.has('json');
  const progress = !json && io.isTTY && scenarios.length > 5;
  const reports = await runScenarios(scenarios, jobs, (_r, done) => {
    if (progress) io.err(`\r${done}/${scenarios.length} scenarios`);
  });
  if (progress) io.err('\n');
  const summary = summarize(reports);
  io.out(json ? jsonReport(reports, summary) : textReport(reports, summary, { color: io.isTTY && !args.flags.has('no-color') }));
  return summary.expectationsFailed > 0 ? 1 : 0;
}
