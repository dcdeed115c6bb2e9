import { InputError } from '../errors/index.js';
import { loadScenarioFile } from '../scenario/index.js';
import { serveScenario } from '../../sim/serve.js';
import { parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';

/** `pullsim serve SCENARIO`: the scenario's registries on loopback until Ctrl-C, for cross-checks with the real skopeo/podman. */
export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('serve', argv, commandFlags('serve'));
  if (args.positional.length !== 1) throw new InputError('serve: give exactly one scenario file');
  const served = await serveScenario(loadScenarioFile(args.positional[0]));
  io.out(`${served.lines.join('\n')}\n\nserving; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await served.close();
  return 0;
}
