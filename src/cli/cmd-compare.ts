import { InputError } from '../errors/index.js';
import { comparePulls, comparisonText } from '../run/compare.js';
import { loadScenarios, runScenarios } from '../run/run-many.js';
import { parseArgs } from './args.js';
import type { Io } from './main.js';

/** `pullsim compare OLD NEW [--json]`: exit 0 when every pull behaves the same, 1 when one changed, 2 for bad input. */
export async function compareCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('compare', argv, { json: { value: false } });
  if (args.positional.length !== 2) throw new InputError('compare: give two scenario files, the old configuration first');
  const scenarios = loadScenarios(args.positional);
  if (scenarios.length !== 2) throw new InputError('compare: give two scenario files, not folders');
  const [before, after] = await runScenarios(scenarios, 2);
  const c = comparePulls(before, after);
  io.out(args.flags.has('json') ? JSON.stringify(c, null, 2) + '\n' : comparisonText(c));
  return c.changed.length || c.unmatched.length ? 1 : 0;
}
