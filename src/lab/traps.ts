/**
 * Known wrong fixes, recognised by what they do on the student's node: the pull's outcome, the
 * decisions explain reports, and which files and objects exist, never by comparing text.
 */
import { explain } from '../explain/explain.js';
import { explainContext } from '../explain/node-context.js';
import type { NodeFS } from '../node-fs.js';
import type { ClusterObject } from '../scenario/types.js';
import type { RuntimeName } from '../system-context.js';
import type { JudgedPull } from '../run/outcome.js';
import type { ExplainCondition, Trap, TrapMatcher } from './types.js';

export interface TrapWorld {
  runtime: RuntimeName;
  /** The student's node as the runtime sees it (cluster objects rendered). */
  fs: NodeFS;
  /** Workspace files by relative path. */
  paths: string[];
  cluster: ClusterObject[];
}

/** `*` matches within one path segment, `**` across segments. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function explainHolds(c: ExplainCondition, w: TrapWorld): boolean {
  const x = explain(w.fs, explainContext(w.runtime), c.image);
  const sources = x.candidates.flatMap((cand) => cand.sources);
  const some = (want: boolean | undefined, has: (s: (typeof sources)[number]) => boolean) => want === undefined || sources.some(has) === want;
  return (
    some(c.insecure, (s) => !s.skipped && s.insecure) &&
    some(c.blocked, (s) => s.blocked !== undefined) &&
    some(c.mirrorSkipped, (s) => s.kind === 'mirror' && s.skipped !== undefined) &&
    some(c.caFiles, (s) => s.caFiles.length > 0)
  );
}

function holds(m: TrapMatcher, p: JudgedPull, w: TrapWorld): boolean {
  if (m.pull !== undefined && m.pull !== p.pullIndex) return false;
  if (m.result !== undefined && m.result !== p.result) return false;
  if (m.from !== undefined && m.from !== p.from) return false;
  if (m.error !== undefined && !(p.error ?? '').includes(m.error)) return false;
  if (m.note !== undefined && !p.notes.some((n) => n.includes(m.note!))) return false;
  if (m.credential !== undefined) {
    const creds = p.attempts.map((a) => a.credential);
    if (m.credential === 'none' ? creds.some((c) => c !== null) : !creds.some((c) => c?.includes(m.credential!))) return false;
  }
  if (m.file !== undefined && !w.paths.some((x) => globRegExp(m.file!).test(x))) return false;
  if (m.noFile !== undefined && w.paths.some((x) => globRegExp(m.noFile!).test(x))) return false;
  if (m.object !== undefined) {
    const o = m.object;
    const found = w.cluster.some((c) => c.kind === o.kind && (o.name === undefined || c.metadata.name === o.name) && (o.namespace === undefined || (c.metadata.namespace ?? 'default') === o.namespace));
    if (!found) return false;
  }
  return m.explain === undefined || explainHolds(m.explain, w);
}

/** The traps each missed pull falls into (pulls that reach their goal fall into none). */
export function matchTraps(traps: Trap[], missed: JudgedPull[], w: TrapWorld): Map<JudgedPull, Trap[]> {
  const out = new Map<JudgedPull, Trap[]>();
  for (const p of missed) out.set(p, traps.filter((t) => holds(t.when, p, w)));
  return out;
}
