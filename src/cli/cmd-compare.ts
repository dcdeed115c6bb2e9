import { InputError } from '../errors/index.js';
import { comparePulls, comparisonText } from '../run/compare.js';
import { runScenarios } from '../run/run-many.js';
import { loadScenarioFile } from '../scenario/index.js';
import { statSync } from 'node:fs';
import { parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';

/** `pullsim compare OLD NEW [--json]`: exit 0 when every pull behaves the same, 1 when one changed, 2 for bad input. */
export async function compareCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('compare', argv, commandFlags('compare'));
  if (args.positional.length !== 2) throw new InputError('compare: give two scenario files, the old configuration first');
  // One file per side, loaded separately: a file compared with itself is valid (nothing changed).
  if (args.positional.some((p) => isDirectory(p))) throw new InputError('compare: give two scenario files, not folders');
  const scenarios = args.positional.map((p) => loadScenarioFile(p));
  const [before, after] = await runScenarios(scenarios, 2);
  const c = comparePulls(before, after);
  io.out(args.flags.has('json') ? JSON.stringify(c, null, 2) + '\n' : comparisonText(c));
  return c.changed.length || c.unmatched.length ? 1 : 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
