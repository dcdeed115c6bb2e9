/**
 * Reads a scenario's `lab:` section (docs/labs.md). Every complaint names the file, line and key
 * path, like the rest of the scenario loader, whose YAML reader it shares.
 */
import { posix } from 'node:path';
import type { Expectation } from '../scenario/types.js';
import type { RuntimeName } from '../system-context.js';
import type { Site, YamlReader } from '../scenario/yaml-reader.js';
import { LEVELS, type Alternative, type ExplainCondition, type LabSpec, type Trap, type TrapMatcher, type WorkspaceChange, type WorkspaceFileSpec } from './types.js';

/** What the rest of the scenario defines, so a lab's references can be checked where they are written. */
export interface LabContext {
  runtime: RuntimeName;
  pulls: number;
  registries: string[];
  cas: string[];
  keys: string[];
  /** The loader's own reading of an `expect` map for pull i (goals have the same shape: `imported` for an `import:` pull). */
  expectation(at: Site, pull: number): Expectation;
}

const ID = /^[a-z0-9][a-z0-9-]*$/;

export function parseLab(r: YamlReader, at: Site, ctx: LabContext): LabSpec {
  const f = r.fields(
    at,
    ['id', 'title', 'topic', 'level', 'task', 'editable', 'handout', 'goals', 'hints', 'traps', 'solution', 'alternatives'],
    ['id', 'title', 'topic', 'level', 'task', 'goals', 'solution'],
  );
  const id = r.string(f.id!);
  if (!ID.test(id)) r.fail(f.id!, 'lab.id', id);
  const level = r.string(f.level!);
  if (!(LEVELS as readonly string[]).includes(level)) r.fail(f.level!, 'scenario.enum', level, LEVELS.join(', '));
  const goalSites = r.items(f.goals!);
  if (goalSites.length !== ctx.pulls) r.fail(f.goals!, 'lab.goals-count', goalSites.length, ctx.pulls);
  const goals = goalSites.map((s, i) => ctx.expectation(s, i));
  const traps = f.traps ? r.items(f.traps).map((s) => trap(r, s, ctx)) : [];
  const ids = new Set<string>();
  for (const [i, t] of traps.entries()) {
    if (ids.has(t.id)) r.fail(r.items(f.traps!)[i], 'scenario.duplicate', `trap ${JSON.stringify(t.id)}`);
    ids.add(t.id);
  }
  return {
    id,
    title: r.string(f.title!),
    topic: r.string(f.topic!),
    level: level as LabSpec['level'],
    task: r.string(f.task!),
    editable: f.editable ? r.items(f.editable).map((s) => relativePath(r, s, r.string(s))) : ['node/', 'cluster/'],
    handout: f.handout ? files(r, f.handout, ctx) : {},
    goals,
    hints: f.hints ? r.strings(f.hints) : [],
    traps,
    solution: change(r, f.solution!, ctx),
    alternatives: f.alternatives ? r.items(f.alternatives).map((s) => alternative(r, s, ctx)) : [],
    line: r.line(at),
  };
}

/** A workspace path: relative, inside the workspace, not the progress file. */
function relativePath(r: YamlReader, at: Site, p: string): string {
  const n = posix.normalize(p);
  if (p.startsWith('/') || n === '..' || n.startsWith('../') || n === '.pullsim-lab.json' || n === 'TASK.md') r.fail(at, 'lab.path', p);
  return p;
}

function fileSpec(r: YamlReader, at: Site, ctx: LabContext): WorkspaceFileSpec {
  if (r.kind(at) === 'string') return r.string(at, { allowEmpty: true });
  const f = r.fields(at, ['ca', 'publicKey']);
  if (f.ca) {
    const name = r.string(f.ca);
    if (!ctx.cas.includes(name)) r.fail(f.ca, 'scenario.unknown-ref', 'CA', name, 'cas', ctx.cas.join(', ') || '(none)');
    return { ca: name };
  }
  if (f.publicKey) {
    const name = r.string(f.publicKey);
    if (!ctx.keys.includes(name)) r.fail(f.publicKey, 'scenario.unknown-ref', 'key', name, 'keys', ctx.keys.join(', ') || '(none)');
    return { publicKey: name };
  }
  return r.fail(at, 'scenario.node-file', 'an empty map');
}

function files(r: YamlReader, at: Site, ctx: LabContext): Record<string, WorkspaceFileSpec> {
  const out: Record<string, WorkspaceFileSpec> = {};
  for (const [p, s] of r.entries(at)) out[relativePath(r, r.keyOf(s) as Site, p)] = fileSpec(r, s, ctx);
  return out;
}

function change(r: YamlReader, at: Site, ctx: LabContext, extra: string[] = []): WorkspaceChange {
  const f = r.fields(at, ['files', 'remove', ...extra] as const);
  const out = { files: f.files ? files(r, f.files, ctx) : {}, remove: f.remove ? r.items(f.remove).map((s) => relativePath(r, s, r.string(s))) : [] };
  if (Object.keys(out.files).length === 0 && out.remove.length === 0) r.fail(at, 'lab.empty-change');
  return out;
}

function alternative(r: YamlReader, at: Site, ctx: LabContext): Alternative {
  const f = r.fields(at, ['name', 'files', 'remove'], ['name']);
  return { name: r.string(f.name!), ...change(r, at, ctx, ['name']) };
}

function trap(r: YamlReader, at: Site, ctx: LabContext): Trap {
  const f = r.fields(at, ['id', 'when', 'feedback', 'example'], ['id', 'when', 'feedback', 'example']);
  const id = r.string(f.id!);
  if (!ID.test(id)) r.fail(f.id!, 'lab.id', id);
  return { id, when: matcher(r, f.when!, ctx), feedback: r.string(f.feedback!), example: change(r, f.example!, ctx) };
}

function matcher(r: YamlReader, at: Site, ctx: LabContext): TrapMatcher {
  const f = r.fields(at, ['pull', 'result', 'from', 'error', 'note', 'credential', 'file', 'noFile', 'object', 'explain']);
  if (Object.keys(f).length === 0) r.fail(at, 'lab.empty-matcher');
  const m: TrapMatcher = {};
  if (f.pull) m.pull = r.integer(f.pull, 0, ctx.pulls - 1);
  if (f.result) {
    const v = r.string(f.result);
    if (v !== 'pulled' && v !== 'failed') r.fail(f.result, 'scenario.enum', v, 'pulled, failed');
    m.result = v;
  }
  if (f.from) {
    m.from = r.string(f.from);
    if (!ctx.registries.includes(m.from)) r.fail(f.from, 'scenario.unknown-ref', 'registry', m.from, 'registries', ctx.registries.join(', '));
  }
  if (f.error) m.error = r.string(f.error);
  if (f.note) m.note = r.string(f.note);
  if (f.credential) m.credential = r.string(f.credential);
  if (f.file) m.file = r.string(f.file);
  if (f.noFile) m.noFile = r.string(f.noFile);
  if (f.object) {
    const o = r.fields(f.object, ['kind', 'name', 'namespace'], ['kind']);
    m.object = { kind: r.string(o.kind!), ...(o.name && { name: r.string(o.name) }), ...(o.namespace && { namespace: r.string(o.namespace) }) };
  }
  if (f.explain) {
    // Trap explain conditions are containers/image's decisions (explain.ts); other runtimes decide otherwise.
    if (ctx.runtime === 'containerd' || ctx.runtime === 'vsphere-pod') r.fail(f.explain, 'lab.explain-runtime', ctx.runtime);
    const e = r.fields(f.explain, ['image', 'insecure', 'blocked', 'mirrorSkipped', 'caFiles'], ['image']);
    const x: ExplainCondition = { image: r.string(e.image!) };
    for (const k of ['insecure', 'blocked', 'mirrorSkipped', 'caFiles'] as const) if (e[k]) x[k] = r.bool(e[k]);
    m.explain = x;
  }
  return m;
}
