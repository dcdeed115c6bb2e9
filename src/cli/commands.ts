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

/** --root / --manifests: where a node's files and cluster objects live, on disk or in git. */
const NODE_FLAGS = {
  root: { value: true, arg: 'TREE', help: 'a folder laid out like / (or git:REV[:PATH]) as the node\'s files, replacing node.root' },
  manifests: { value: true, arg: 'PATH', help: 'YAML files or folders of cluster objects (or git:REV[:PATH]), repeatable; replaces cluster.manifests' },
} satisfies Record<string, FlagHelp>;

/** The report flags compare and merge share. */
const REPORT_FLAGS = {
  json: json('the report'),
  markdown: { value: false, help: 'print the report as Markdown for a pull-request comment' },
  junit: { value: true, arg: 'FILE', help: 'also write a JUnit report (one testcase per image, a failure per break)' },
  'fail-on': { value: true, arg: 'breaks|changes|never', choices: ['breaks', 'changes', 'never'], help: 'what exits 1 (default breaks)' },
} satisfies Record<string, FlagHelp>;

export const COMMANDS = {
  run: {
    args: '[FILE|DIR ...]',
    summary: 'run scenario files (folders are walked); with no argument, the bundled scenarios/',
    flags: {
      json: json("the report (the scenario format's document)"),
      jobs: { value: true, arg: 'N', help: 'scenarios run at a time (default 4)' },
      'no-color': { value: false, help: 'no colour, even on a terminal' },
      ...NODE_FLAGS,
    },
    exits: '0 every expectation met, 1 one not met',
    load: async () => (await import('./cmd-run.js')).runCommand,
  },
  explain: {
    args: 'IMAGE',
    summary: 'every decision a pull of IMAGE makes before the network',
    flags: {
      root: { value: true, arg: 'DIR', help: 'a folder laid out like / holding the node\'s files (default /), or git:REV[:PATH]' },
      scenario: { value: true, arg: 'FILE', help: "a scenario's node instead of --root" },
      manifests: NODE_FLAGS.manifests,
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
      ...NODE_FLAGS,
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
    summary: 'the same images under two configurations (scenarios, node trees, manifests, git:REV[:PATH]): what breaks, fixes, changes',
    flags: {
      images: { value: true, arg: 'FILE', help: 'the images: a list (one per line, # comments) or Kubernetes YAML/JSON workloads' },
      'git-base': { value: true, arg: 'REV', help: 'compare the --root/--manifests paths at REV with the working tree (no OLD NEW)' },
      ...NODE_FLAGS,
      runtime: { value: true, arg: 'crio|containerd', choices: ['crio', 'containerd'], help: 'whose decisions, for both sides (default the scenarios\' runtime:, else crio)' },
      containerd: { value: true, arg: 'VERSION', help: 'the containerd release of both sides (default each scenario\'s versions.containerd, else 1.6.20)' },
      shard: { value: true, arg: 'i/n', help: 'only the images of shard i of n (stable hash of the reference)' },
      ...REPORT_FLAGS,
    },
    exits: '0 nothing to fail on, 1 a failing change (see --fail-on)',
    load: async () => (await import('./cmd-compare.js')).compareCommand,
  },
  merge: {
    args: 'REPORT.json...',
    summary: 'the compare --shard reports of one comparison as one report',
    flags: REPORT_FLAGS,
    exits: '0 nothing to fail on, 1 a failing change (see --fail-on)',
    load: async () => (await import('./cmd-compare.js')).mergeCommand,
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
