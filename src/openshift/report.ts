/** The text `pullsim render` prints, and `--diff` between two renders. */
import { isCredentialFile, redactDockerConfig } from '../auth/redact.js';
import { NODE_FILES, type RenderResult, type RenderedFile } from './render.js';

/** What a user may see of a rendered file: credential files with their secret values redacted. */
export function shownContent(path: string, f: RenderedFile | undefined): string | undefined {
  if (f === undefined) return undefined;
  return isCredentialFile(path) ? redactDockerConfig(f.content) : f.content;
}

export function renderReport(result: RenderResult): string {
  const out: string[] = [];
  for (const e of result.errors) out.push(`error: ${e.message}`);
  for (const e of result.mcdErrors) out.push(`machine-config-daemon: ${e}`);
  for (const l of result.logs) out.push(`machine-config-controller: ${l}`);
  if (out.length > 0) out.push('');
  const paths = [...result.files.keys()].filter((p) => result.files.get(p)!.producedBy !== NODE_FILES).sort();
  for (const path of paths) {
    const f = result.files.get(path)!;
    const content = shownContent(path, f)!;
    // Outside a diff, the missing final newline is said in the header, not with diff's marker.
    const notes = [content === f.content ? '' : '  (secret values redacted)', content.endsWith('\n') ? '' : '  (no newline at end of file)'].join('');
    out.push(`==> ${path}  [${f.producedBy}]${notes}`);
    out.push(content.endsWith('\n') ? content.slice(0, -1) : content);
    out.push('');
  }
  if (paths.length === 0) out.push('(the cluster objects write no node files)');
  return out.join('\n') + '\n';
}

/** Line diff by longest common subsequence; files are small. */
export function diffLines(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i++]}`);
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+${b[j++]}`);
    else out.push(`-${a[i++]}`);
  }
  return out;
}

/** Per changed file: `--- a/PATH`, `+++ b/PATH` and the whole file with -/+ markers. */
export function renderDiff(a: RenderResult, b: RenderResult): string {
  const paths = [...new Set([...a.files.keys(), ...b.files.keys()])].sort();
  const out: string[] = [];
  for (const path of paths) {
    if (a.files.get(path)?.content === b.files.get(path)?.content) continue;
    const before = shownContent(path, a.files.get(path));
    const after = shownContent(path, b.files.get(path));
    out.push(`--- ${before === undefined ? '/dev/null' : `a${path}`}`, `+++ ${after === undefined ? '/dev/null' : `b${path}`}`);
    if (before === after) {
      out.push(' (only secret values differ; they are redacted)');
      continue;
    }
    const lines = (s: string | undefined) => (s === undefined || s === '' ? [] : s.replace(/\n$/, '').split('\n'));
    out.push(...diffLines(lines(before), lines(after)));
  }
  return out.length === 0 ? '(no differences)\n' : out.join('\n') + '\n';
}
