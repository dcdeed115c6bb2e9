/**
 * Every command's usage in one table: `pullsim --help`, `pullsim CMD --help`, `pullsim help CMD`
 * and the flag parser all read it. A command's module is imported only when it runs, so asking
 * for help (or running explain) does not load the fake registries, TLS or OpenPGP.
 */
import type { FlagSpec } from './args.js';
import type { Io } from './main.js';

export interface FlagHelp extends FlagSpec {
  /** The value's placeholder in usage (`DIR`), for a flag that takes one. */
  arg?: string;
  help: string;
}

export interface CommandSpec {
  /** Positional arguments, as usage shows them. */
  args: string;
  summary: string;
  flags: Record<string, FlagHelp>;
  /** Exit codes beyond 2 (bad input), which every command shares. */
  exits: string;
  load: () => Promise<(argv: string[], io: Io) => Promise<number>>;
}

const json = (what: string): FlagHelp => ({ value: false, help: `print ${what} as JSON` });

export const COMMANDS = {
  run: {
    args: '[FILE|DIR ...]',
    summary: 'run scenario files (folders are walked); with no argument, the bundled scenarios/',
    flags: {
      json: json("the report (the scenario format's document)"),
      jobs: { value: true, arg: 'N', help: 'scenarios run at a time (default 4)' },
      'no-color': { value: false, help: 'no colour, even on a terminal' },
    },
    exits: '0 every expectation met, 1 one not met',
    load: async () => (await import('./cmd-run.js')).runCommand,
  },
  explain: {
    args: 'IMAGE',
    summary: 'every decision a pull of IMAGE makes before the network',
    flags: {
      root: { value: true, arg: 'DIR', help: 'a folder laid out like / holding the node\'s files (default /)' },
      scenario: { value: true, arg: 'FILE', help: "a scenario's node instead of --root" },
      runtime: { value: true, arg: 'crio|podman|skopeo|containerd', choices: ['crio', 'podman', 'skopeo', 'containerd'], help: 'whose decisions (default crio, or the scenario\'s)' },
      containerd: { value: true, arg: 'VERSION', help: 'the containerd release for --runtime containerd (default the scenario\'s, else 1.6.20)' },
      json: json('the decisions'),
    },
    exits: '0 the pull may succeed, 1 the decisions show it cannot (the reasons are printed)',
    load: async () => (await import('./cmd-explain.js')).explainCommand,
  },
  render: {
    args: 'SCENARIO',
    summary: "the node files a scenario's cluster objects produce, as the Machine Config Operator writes them",
    flags: {
      node: { value: true, arg: 'ROLE', help: 'the node role (default worker)' },
      out: { value: true, arg: 'DIR', help: 'write the files under DIR instead of printing them' },
      diff: { value: true, arg: 'OTHER', help: 'a unified diff of the files against scenario OTHER' },
    },
    exits: '0 rendered, 1 the cluster objects have errors',
    load: async () => (await import('./cmd-render.js')).renderCommand,
  },
  serve: {
    args: 'SCENARIO',
    summary: "start a scenario's fake registries on loopback until Ctrl-C, for the real skopeo/podman",
    flags: {},
    exits: '0 stopped',
    load: async () => (await import('./cmd-serve.js')).serveCommand,
  },
  lab: {
    args: '[FILE|DIR ...] | list|start|check|hint|solution|reset|validate ...',
    summary:
      "list the bundled stories, or tell a story and run it; hands-on labs (docs/labs.md): lab list [--json] [DIR ...], " +
      'lab start LAB [--dir DIR] [--force], lab check [DIR] [--json] [--junit FILE], lab hint|solution|reset [DIR], lab validate FILE|DIR',
    flags: {},
    exits: '0 every expectation met (lab check: passed), 1 one not met (lab check: failed)',
    load: async () => (await import('./cmd-lab.js')).labCommand,
  },
  compare: {
    args: 'OLD NEW',
    summary: 'the same pulls under an old and a new configuration: what changed',
    flags: { json: json('the changes') },
    exits: '0 nothing changed, 1 something did',
    load: async () => (await import('./cmd-compare.js')).compareCommand,
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The flags a command's parser accepts: its own table row. */
export function commandFlags(name: CommandName): Record<string, FlagSpec> {
  return COMMANDS[name].flags;
}

function flagUsage(name: string, f: FlagHelp): string {
  return f.value ? `--${name} ${f.arg ?? 'VALUE'}` : `--${name}`;
}

/** `pullsim CMD --help`. */
export function commandUsage(name: CommandName): string {
  const c: CommandSpec = COMMANDS[name];
  const rows = [...Object.entries(c.flags).map(([n, f]) => [flagUsage(n, f), f.help]), ['-h, --help', 'this help']];
  const width = Math.max(...rows.map(([u]) => u.length));
  return [
    `usage: pullsim ${name} ${c.args} [flags]`,
    '',
    c.summary,
    '',
    'flags:',
    ...rows.map(([u, h]) => `  ${u.padEnd(width)}  ${h}`),
    '',
    `exit codes: ${c.exits}, 2 bad input`,
    '',
  ].join('\n');
}

/** `pullsim --help`. */
export function usage(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const heads = names.map((n) => `${n} ${COMMANDS[n].args}`);
  const width = Math.max(...heads.map((h) => h.length));
  return [
    'usage: pullsim <command> [flags]',
    '',
    'commands:',
    ...names.map((n, i) => `  ${heads[i].padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'pullsim help COMMAND (or pullsim COMMAND --help) lists a command\'s flags; pullsim --version prints the version.',
    '',
  ].join('\n');
}
