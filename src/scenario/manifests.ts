/**
 * `cluster.manifests` and `--manifests`: Kubernetes objects where a GitOps repository keeps them —
 * files or folders of YAML, several documents per file, `kind: List` (what `oc get -o yaml`
 * prints, with status, managedFields and resourceVersion, which play no part here). Objects of kinds
 * pullsim does not read are listed as ignored; an object of a kind it reads with a field the API
 * server would refuse (or a kind its groups do not have: a typo) stops the load with its file,
 * line, kind, name and field.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { Node } from 'yaml';
import { yaml } from '../yaml-lazy.js';
import { gitFiles, isGitSpec, describeGitSpec } from '../compare/git-tree.js';
import { InputError, text } from '../errors/index.js';
import { claimedKind, describeObject, parseCluster, usedKind } from '../openshift/objects.js';
import type { ClusterObject, Scenario } from './types.js';
import { withoutSource } from './yaml-reader.js';
import { collectionKey, invalidMapKey } from '../config/yaml-map-key.js';

export interface LoadedManifests {
  objects: ClusterObject[];
  /** "manifests/ns.yaml line 1: Namespace team (not used by pullsim)". */
  ignored: string[];
}

const YAML_EXT = new Set(['.yaml', '.yml', '.json']);

/**
 * How a reader words what it refuses. The default is the scenario's: an InputError with file and
 * line. The lab reads its workspace's cluster/ as `oc apply` does, in oc's words.
 */
export interface ManifestDialect {
  /** A text that is not YAML: the parser's message (first line) and where. */
  syntax(file: string, message: string, line: number, col: number): Error;
  /** A document or `items` entry that is not a whole object: every problem in oc's words (`kind not set`), and the first in the scenario's. */
  incomplete(file: string, line: number, problems: string[], first: string): Error;
  /**
   * An object of a kind pullsim reads with a field the API server refuses; undefined: keep it,
   * for the caller to report per object (as the API server refuses one object of an apply).
   */
  refused?(file: string, line: number, message: string): Error;
  /** A mapping key that is a map or a list, in go-yaml's words (`invalid map key: …`); the syntax error's form when absent. */
  invalidKey?(file: string, message: string, line: number, col: number): Error;
}

export const SCENARIO_DIALECT: ManifestDialect = {
  syntax: (file, message, line, col) => new InputError(text('scenario.yaml', message, col), file, line),
  incomplete: (file, line, _problems, first) => new InputError(first, file, line),
  refused: (file, line, message) => new InputError(message, file, line),
};

type Identity = { apiVersion: string; kind: string; name: string; namespace?: string };

/** The object's identity, or what it lacks: every missing field in oc's words and the first in the scenario's. */
function identity(v: unknown): Identity | { missing: string[]; first: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { missing: ['apiVersion not set', 'kind not set', 'metadata.name not set'], first: 'not a Kubernetes object: not an object (a map with apiVersion, kind, metadata)' };
  }
  const o = v as Record<string, unknown>;
  const md = o.metadata as Record<string, unknown> | undefined;
  const named = typeof md === 'object' && md !== null && typeof md.name === 'string';
  const lacks = [
    ...(typeof o.apiVersion !== 'string' ? [['apiVersion not set', 'no apiVersion']] : []),
    ...(typeof o.kind !== 'string' ? [['kind not set', 'no kind']] : []),
    ...(o.kind !== 'List' && !named ? [['metadata.name not set', `${String(o.kind)} without metadata.name`]] : []),
  ];
  if (lacks.length) return { missing: lacks.map(([m]) => m!), first: `not a Kubernetes object: ${lacks[0]![1]!}` };
  return { apiVersion: o.apiVersion as string, kind: o.kind as string, name: String(md?.name ?? ''), ...(typeof md?.namespace === 'string' && { namespace: md.namespace }) };
}

export interface YamlDoc {
  value: unknown;
  node: Node;
  /** 1-based line of a node of this document (the document's own start when omitted). */
  lineOf(n?: Node | null): number;
  /** Line of the i-th entry of `items:`, for `kind: List` and its kin. */
  itemLine(i: number): number;
}

/** The non-empty documents of a multi-document YAML (or JSON) text; a syntax error is one error with file and line. */
export function* yamlDocuments(source: string, file: string, dialect: Pick<ManifestDialect, 'syntax' | 'invalidKey'> = SCENARIO_DIALECT): Generator<YamlDoc> {
  const lines = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(source, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return;
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      throw dialect.syntax(file, withoutSource(error.message), pos.line, pos.col);
    }
    const node = doc.contents as Node | null;
    if (node === null) continue;
    const badKey = collectionKey(doc);
    if (badKey) {
      const pos = lines.linePos((badKey.key as Node).range?.[0] ?? 0);
      throw (dialect.invalidKey ?? dialect.syntax)(file, invalidMapKey(doc, badKey), pos.line, pos.col);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null) continue;
    const lineOf = (n?: Node | null) => lines.linePos((n ?? node).range?.[0] ?? 0).line;
    const itemsNode = yaml().isMap(node) ? (node.get('items', true) as Node | undefined) : undefined;
    yield { value, node, lineOf, itemLine: (i) => lineOf(yaml().isSeq(itemsNode) ? (itemsNode.items[i] as Node) : itemsNode) };
  }
}

/** The objects of one YAML text; `file` names it in messages. Pure. */
export function parseManifestText(source: string, file: string, into: LoadedManifests = { objects: [], ignored: [] }, dialect: ManifestDialect = SCENARIO_DIALECT): LoadedManifests {
  for (const doc of yamlDocuments(source, file, dialect)) {
    const id = identity(doc.value);
    if ('missing' in id) throw dialect.incomplete(file, doc.lineOf(), id.missing, id.first);
    if (id.kind !== 'List') {
      add(doc.value, file, doc.lineOf(), into, dialect);
      continue;
    }
    const items = (doc.value as { items?: unknown }).items ?? [];
    if (!Array.isArray(items)) throw dialect.incomplete(file, doc.itemLine(0), ['items is not a list'], 'kind: List whose items is not a list');
    items.forEach((item, i) => add(item, file, doc.itemLine(i), into, dialect));
  }
  return into;
}

function add(value: unknown, file: string, line: number, into: LoadedManifests, dialect: ManifestDialect): void {
  const id = identity(value);
  if ('missing' in id) throw dialect.incomplete(file, line, id.missing, id.first);
  const o = value as ClusterObject;
  if (!usedKind(id.apiVersion, id.kind) && !claimedKind(id.apiVersion, id.kind)) {
    into.ignored.push(`${file} line ${line}: ${describeObject(id.kind, id.name, id.namespace)} (${id.apiVersion}; not used by pullsim)`);
    return;
  }
  const refused = dialect.refused && parseCluster([o]).errors[0];
  if (refused) throw dialect.refused!(file, line, refused.message);
  into.objects.push(o);
}

function walkDisk(path: string, shown: string, into: LoadedManifests, top: boolean): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InputError(`manifests: ${shown} does not exist`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) walkDisk(join(path, name), join(shown, name), into, false);
    return;
  }
  if (!top && !YAML_EXT.has(extname(path))) return;
  parseManifestText(readFileSync(path, 'utf8'), shown, into);
}

/** Reads each PATH (file, folder, or canonical git: spec) in order; folders are walked in name order, *.yaml/*.yml/*.json only. */
export function loadManifests(paths: string[], into: LoadedManifests = { objects: [], ignored: [] }): LoadedManifests {
  for (const p of paths) {
    if (!isGitSpec(p)) {
      const rel = relative(process.cwd(), p);
      walkDisk(p, rel === '' ? '.' : rel.startsWith('..') ? p : rel, into, true);
      continue;
    }
    const shown = describeGitSpec(p);
    const found = gitFiles(p);
    if (!found) throw new InputError(`manifests: ${shown} does not exist in that revision`);
    const entries = found.entries.filter((e) => found.kind === 'file' || YAML_EXT.has(extname(e.path))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const e of entries) parseManifestText(e.content.toString('utf8'), e.path ? `${shown}/${e.path}` : shown, into);
  }
  return into;
}

/** Replaces the objects that came from manifests with those of `paths` (canonical specs). */
export function withManifests(scenario: Scenario, paths: string[]): Scenario {
  const inline = scenario.cluster.slice(0, scenario.cluster.length - (scenario.manifestObjects ?? 0));
  const loaded = loadManifests(paths);
  scenario.manifests = paths;
  scenario.cluster = [...inline, ...loaded.objects];
  scenario.manifestObjects = loaded.objects.length;
  scenario.ignoredObjects = loaded.ignored;
  return scenario;
}
