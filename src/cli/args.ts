import { InputError } from '../errors/index.js';
import { closest } from '../suggest.js';

export interface FlagSpec {
  /** Flag takes a value (--root DIR) rather than being a switch (--json). */
  value: boolean;
  /** Accepted values, when the set is closed. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
  /** Every value of each value flag, in order (for repeatable flags such as --manifests). */
  lists: Map<string, string[]>;
}

/** Parses `--flag`, `--flag VALUE` and `--flag=VALUE`; anything unknown is pullsim's own bad input (exit 2). */
export function parseArgs(command: string, argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const accepted = Object.keys(spec).map((f) => `--${f}`).join(', ') || 'none';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    const s = spec[name];
    if (!s) {
      const guess = closest(name, Object.keys(spec));
      throw new InputError(`${command}: unknown flag --${name}; ${guess ? `did you mean --${guess}? ` : ''}accepted: ${accepted}`);
    }
    if (!s.value) {
      if (eq !== -1) throw new InputError(`${command}: --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const v = eq !== -1 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') throw new InputError(`${command}: --${name} needs a value`);
    if (s.choices && !s.choices.includes(v)) {
      throw new InputError(`${command}: --${name} ${JSON.stringify(v)} is not accepted; accepted: ${s.choices.join(', ')}`);
    }
    flags.set(name, v);
    lists.set(name, [...(lists.get(name) ?? []), v]);
  }
  return { positional, flags, lists };
}

export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagList(p: ParsedArgs, name: string): string[] {
  return p.lists.get(name) ?? [];
}
