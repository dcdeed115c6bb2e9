/**
 * `git:REV[:PATH]`: a node tree, manifest folder or file read from a repository's objects
 * (`git ls-tree`, `git cat-file --batch`), never from a checkout, so the working tree is left as it is.
 * Specs are canonicalised at the edge to `git:REV:/absolute/path`, so the repository is found from
 * the path and messages name where the user pointed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/index.js';

const PREFIX = 'git:';

export function isGitSpec(spec: string): boolean {
  return spec.startsWith(PREFIX);
}

/** A tree or file argument as given (`DIR`, `git:REV`, `git:REV:PATH`) made independent of the current folder. */
export function resolveTreeSpec(spec: string, baseDir: string): string {
  if (!isGitSpec(spec)) return resolve(baseDir, spec);
  const rest = spec.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  const rev = colon === -1 ? rest : rest.slice(0, colon);
  if (rev === '') throw new InputError(`${spec}: no revision; accepted: git:REV or git:REV:PATH`);
  const path = colon === -1 ? '' : rest.slice(colon + 1);
  const base = colon === -1 ? gitTopLevel(baseDir, spec) : resolve(baseDir, path || '.');
  return `${PREFIX}${rev}:${base}`;
}

export function gitSpecParts(canonical: string): { rev: string; abs: string } {
  const rest = canonical.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  return { rev: rest.slice(0, colon), abs: rest.slice(colon + 1) };
}

function git(cwd: string, args: string[], input?: Buffer): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw new InputError(`git: cannot run git (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); git: specs need git installed`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** The nearest folder that exists (a path may name a file, or be gone from the working tree). */
function existingAncestor(p: string): string {
  let d = p;
  while (!existsSync(d) || !statSync(d).isDirectory()) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}

function gitTopLevel(dir: string, spec: string): string {
  const r = git(existingAncestor(dir), ['rev-parse', '--show-toplevel']);
  if (r.status !== 0) throw new InputError(`${spec}: ${dir} is not inside a git repository`);
  return r.stdout.toString('utf8').trim();
}

interface Located {
  top: string;
  rev: string;
  commit: string;
  /** Path inside the repository, '' for its root, always with '/'. */
  rel: string;
}

function locate(canonical: string): Located {
  const { rev, abs } = gitSpecParts(canonical);
  const shown = `git:${rev}:${abs}`;
  const top = gitTopLevel(existingAncestor(abs), shown);
  const rel = relative(top, abs).split(sep).join('/');
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`${shown}: the path is outside the repository ${top}`);
  const r = git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (r.status !== 0) throw new InputError(`git:${rev}: unknown revision ${JSON.stringify(rev)} in ${top}`);
  return { top, rev, commit: r.stdout.toString('utf8').trim(), rel };
}

export interface GitEntry {
  /** Path relative to the spec's path ('' when the spec names a file). */
  path: string;
  content: Buffer;
}

/**
 * Every regular file at or under the spec's path in that revision. Symbolic links and submodules
 * are left out: a checkout would hold a link, not its target, and pullsim does not follow links
 * out of a tree. Undefined when nothing exists at that path.
 */
export function gitFiles(canonical: string): { kind: 'file' | 'tree'; entries: GitEntry[] } | undefined {
  const loc = locate(canonical);
  const ls = git(loc.top, ['ls-tree', '-r', '-z', '--full-tree', loc.commit, '--', loc.rel === '' ? '.' : loc.rel]);
  if (ls.status !== 0) throw new InputError(`git:${loc.rev}:${loc.rel}: ${ls.stderr.trim().split('\n')[0]}`);
  const blobs: { path: string; sha: string }[] = [];
  for (const rec of ls.stdout.toString('utf8').split('\0')) {
    if (rec === '') continue;
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    const full = rec.slice(tab + 1);
    if (type !== 'blob' || mode === '120000') continue;
    if (full === loc.rel) blobs.push({ path: '', sha });
    else if (loc.rel === '' || full.startsWith(`${loc.rel}/`)) blobs.push({ path: loc.rel === '' ? full : full.slice(loc.rel.length + 1), sha });
  }
  if (blobs.length === 0) return undefined;
  const cat = git(loc.top, ['cat-file', '--batch'], Buffer.from(blobs.map((b) => `${b.sha}\n`).join('')));
  if (cat.status !== 0) throw new InputError(`git:${loc.rev}:${loc.rel}: ${cat.stderr.trim().split('\n')[0]}`);
  const entries: GitEntry[] = [];
  let at = 0;
  for (const b of blobs) {
    const nl = cat.stdout.indexOf(0x0a, at);
    const size = Number(cat.stdout.subarray(at, nl).toString('latin1').split(' ')[2]);
    entries.push({ path: b.path, content: cat.stdout.subarray(nl + 1, nl + 1 + size) });
    at = nl + 1 + size + 1;
  }
  return { kind: blobs.length === 1 && blobs[0].path === '' ? 'file' : 'tree', entries };
}

/** A shorter name for messages and reports: `git:REV:PATH` relative to the repository. */
export function describeGitSpec(canonical: string): string {
  const { rev, abs } = gitSpecParts(canonical);
  try {
    const top = gitTopLevel(existingAncestor(abs), canonical);
    const rel = relative(top, abs).split(sep).join('/');
    return `git:${rev}${rel ? `:${rel}` : ''}`;
  } catch {
    return canonical;
  }
}
