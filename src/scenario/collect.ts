/**
 * Expands `pullsim run FILE|DIR...` into scenario files: folders are walked recursively for
 * *.yaml / *.yml (READMEs, hidden entries and other files skipped), in bytewise order so a
 * run's order does not depend on the filesystem or the locale.
 */
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InputError, text } from '../errors/index.js';
import { compareBytewise } from '../byte-order.js';

function isScenarioName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/^readme\./i.test(name);
}

/**
 * Folders are visited by real path, each once: a symlink back up the tree (`up -> ..`,
 * `self -> .`) would otherwise loop forever or run the same files again. Entries are taken in
 * bytewise order so which of two links to one folder names its files does not depend on the disk.
 */
function walk(dir: string, out: string[], seen: Set<string>): void {
  const real = realOrUndefined(dir);
  if (real === undefined || seen.has(real)) return;
  seen.add(real);
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareBytewise(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    // Symlinks are followed: a scenario folder may link in a shared group.
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statOrUndefined(path)?.isDirectory());
    if (isDir) walk(path, out, seen);
    else if (isScenarioName(entry.name)) {
      const file = realOrUndefined(path);
      if (file !== undefined && !seen.has(file)) {
        seen.add(file);
        out.push(path);
      }
    }
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Files given by name are taken as they are; each folder's files come sorted; duplicates are dropped. */
export function collectScenarioFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const stat = statOrUndefined(arg);
    if (!stat) throw new InputError(text('scenario.no-such-path', arg), arg);
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(arg, found, new Set());
      files.push(...found.sort(compareBytewise));
    } else {
      files.push(arg);
    }
  }
  return [...new Set(files)];
}
