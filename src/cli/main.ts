import { InputError } from '../errors/index.js';
import { commandUsage, COMMANDS, isCommand, usage } from './commands.js';
import { packageRoot } from '../package-root.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** Asking for help anywhere before `--`, as the tools users know accept it. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Entry point: returns the exit code (0 ok, 1 expectations not met, 2 bad input). Never prints a stack trace. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.err(usage());
      return 2;
    }
    if (command === '--help' || command === '-h') {
      io.out(usage());
      return 0;
    }
    if (command === '--version' || command === '-V') {
      io.out(`pullsim ${version()}\n`);
      return 0;
    }
    if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined) io.out(usage());
      else if (isCommand(topic)) io.out(commandUsage(topic));
      else throw new InputError(`help: unknown command ${JSON.stringify(topic)}; accepted: ${Object.keys(COMMANDS).join(', ')}`);
      return 0;
    }
    if (!isCommand(command)) throw new InputError(`unknown command ${JSON.stringify(command)}; accepted: ${Object.keys(COMMANDS).join(', ')}`);
    if (wantsHelp(rest)) {
      io.out(commandUsage(command));
      return 0;
    }
    const run = await COMMANDS[command].load();
    return await run(rest, io);
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`pullsim: ${e.format()}\n`);
      return 2;
    }
    io.err(`pullsim: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}
