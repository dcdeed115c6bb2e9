import { InputError } from '../errors/index.js';
import { runCommand } from './cmd-run.js';
import { explainCommand } from './cmd-explain.js';
import { renderCommand } from './cmd-render.js';
import { serveCommand } from './cmd-serve.js';
import { labCommand } from './cmd-lab.js';
import { compareCommand } from './cmd-compare.js';

const USAGE = `usage: pullsim <command> [flags]

commands:
  run [FILE|DIR ...] [--json] [--jobs N]   run scenarios (default: the bundled scenarios/)
  explain IMAGE [--root DIR | --scenario FILE] [--runtime crio|podman|skopeo] [--json]
                                           every decision a pull of IMAGE makes before the network
  render SCENARIO [--node ROLE] [--out DIR] [--diff OTHER]
                                           the node files a scenario's cluster objects produce
  serve SCENARIO                           start a scenario's fake registries on loopback
  lab [FILE|DIR ...]                       list the bundled stories, or tell a story and run it
  lab list [--json] [DIR ...]              the hands-on labs (docs/labs.md)
  lab start LAB [--dir DIR] [--force]      write a lab's broken workspace (default ./LAB)
  lab check [DIR] [--json] [--junit FILE]  judge the workspace: exit 0 pass, 1 fail, 2 not a workspace
  lab hint|solution|reset [DIR]            the next hint; the reference fix (diff); the starting files
  lab validate FILE|DIR                    prove a lab: start fails, solution passes, traps fire
  compare OLD NEW [--json]                 the same pulls under two configurations: what changed
`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Entry point: returns the exit code (0 ok, 1 expectations not met, 2 bad input). Never prints a stack trace. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'explain':
        return await explainCommand(rest, io);
      case 'render':
        return await renderCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'lab':
        return await labCommand(rest, io);
      case 'compare':
        return await compareCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (command === undefined) {
          io.err(USAGE);
          return 2;
        }
        io.out(USAGE);
        return 0;
      default:
        throw new InputError(`unknown command ${JSON.stringify(command)}; accepted: run, explain, render, serve, lab, compare`);
    }
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`pullsim: ${e.format()}\n`);
      return 2;
    }
    io.err(`pullsim: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}
