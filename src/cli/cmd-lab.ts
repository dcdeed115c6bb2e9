import { join, relative } from 'node:path';
import { summarize } from '../run/report-json.js';
import { textReport } from '../run/report-text.js';
import { loadScenarios, runScenarios } from '../run/run-many.js';
import { parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';
import { packageRoot } from './package-root.js';

/**
 * `pullsim lab [FILE|DIR ...]`: for teaching. Without an argument it lists the bundled labs with
 * the first line of each story; with files, it tells each story (its `description`) and runs it.
 */
export async function labCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('lab', argv, commandFlags('lab'));
  const root = packageRoot();
  if (args.positional.length === 0) {
    for (const s of loadScenarios([join(root, 'scenarios', 'labs')])) {
      const first = (s.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
      io.out(`${relative(process.cwd(), s.file)}\n    ${s.name}${first ? `\n    ${first.trim()}` : ''}\n`);
    }
    io.out('\nrun one with: pullsim lab FILE\n');
    return 0;
  }
  const scenarios = loadScenarios(args.positional);
  for (const s of scenarios) io.out(`== ${s.name}\n\n${(s.description ?? '(no description)').trimEnd()}\n\n`);
  const reports = await runScenarios(scenarios, 4);
  const summary = summarize(reports);
  io.out(textReport(reports, summary, { color: io.isTTY }));
  return summary.expectationsFailed > 0 ? 1 : 0;
}
