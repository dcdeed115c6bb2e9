import { InputError } from '../errors/index.js';
import { runCommand } from './cmd-run.js';
import { explainCommand } from './cmd-explain.js';
import { renderCommand } from './cmd-render.js';
import { serveCommand } from './cmd-serve.js';
import { labCommand } from './cmd-lab.js';
import { compareCommand, mergeCommand } from './cmd-compare.js';

const USAGE = `usage: pullsim <command> [flags]

commands:
  run [FILE|DIR ...] [--json] [--jobs N] [--root TREE] [--manifests PATH]...
                                           run scenarios (default: the bundled scenarios/)
  explain IMAGE [--root TREE] [--manifests PATH]... [--scenario FILE] [--runtime crio|podman|skopeo] [--json]
                                           every decision a pull of IMAGE makes before the network
  render SCENARIO [--node ROLE] [--out DIR] [--diff OTHER] [--root TREE] [--manifests PATH]...
                                           the node files a scenario's cluster objects produce
  serve SCENARIO                           start a scenario's fake registries on loopback
  lab [FILE|DIR ...]                       list the bundled labs, or tell a lab's story and run it
  compare OLD NEW | --git-base REV [--root TREE] [--manifests PATH]... [--images FILE] [--shard i/n]
          [--json | --markdown] [--junit FILE] [--fail-on breaks|changes|never]
                                           the same images under two configurations: what breaks, fixes, changes
  merge REPORT.json... [--json | --markdown] [--junit FILE] [--fail-on ...]
                                           the shard reports of one compare as one report

TREE and PATH may be git:REV[:PATH] (read from the repository's objects, no checkout).
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
      case 'merge':
        return await mergeCommand(rest, io);
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
        throw new InputError(`unknown command ${JSON.stringify(command)}; accepted: run, explain, render, serve, lab, compare, merge`);
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
