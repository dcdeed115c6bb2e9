/**
 * `cluster.manifests` and `--manifests`: Kubernetes objects where a GitOps repository keeps them —
 * files or folders of YAML, several documents per file, `kind: List` (what `oc get -o yaml`
 * prints, with status, managedFields and resourceVersion, which play no part here). Objects of kinds
 * pullsim does not read are listed as ignored; an object of a kind it reads with a field the API
 * server would refuse stops the load with its file, line, kind, name and field.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { Node } from 'yaml';
import { yaml } from '../yaml-lazy.js';
import { gitFiles, isGitSpec, describeGitSpec } from '../compare/git-tree.js';
import { InputError, text } from '../errors/index.js';
import { describeObject, modelledKind, parseCluster } from '../openshift/objects.js';
import type { ClusterObject } from './types.js';
import { withoutSource } from './yaml-reader.js';

export interface LoadedManifests {
  objects: ClusterObject[];
  /** "manifests/ns.yaml line 1: Namespace team (not used by pullsim)". */
  ignored: string[];
}

const YAML_EXT = new Set(['.yaml', '.yml', '.json']);

function identity(v: unknown): { apiVersion: string; kind: string; name: string; namespace?: string } | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object (a map with apiVersion, kind, metadata)';
  const o = v as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string') return 'no apiVersion';
  if (typeof o.kind !== 'string') return 'no kind';
  const md = o.metadata as Record<string, unknown> | undefined;
  if (o.kind !== 'List' && (typeof md !== 'object' || md === null || typeof md.name !== 'string')) return `${o.kind} without metadata.name`;
  return { apiVersion: o.apiVersion, kind: o.kind, name: String(md?.name ?? ''), ...(typeof md?.namespace === 'string' && { namespace: md.namespace }) };
}

export interface YamlDoc {
  value: unknown;
  node: Node;
  /** 1-based line of a node of this document (the document's own start when omitted). */
  lineOf(n?: Node | null): number;
  /** Line of the i-th entry of `items:`, for `kind: List` and its kin. */
  itemLine(i: number): number;
}

/** The non-empty documents of a multi-document YAML (or JSON) text; a syntax error is one InputError with file and line. */
export function* yamlDocuments(source: string, file: string): Generator<YamlDoc> {
  const lines = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(source, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return;
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      throw new InputError(text('scenario.yaml', withoutSource(error.message), pos.col), file, pos.line);
    }
    const node = doc.contents as Node | null;
    if (node === null) continue;
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null) continue;
    const lineOf = (n?: Node | null) => lines.linePos((n ?? node).range?.[0] ?? 0).line;
    const itemsNode = yaml().isMap(node) ? (node.get('items', true) as Node | undefined) : undefined;
    yield { value, node, lineOf, itemLine: (i) => lineOf(yaml().isSeq(itemsNode) ? (itemsNode.items[i] as Node) : itemsNode) };
  }
}

/** The objects of one YAML text; `file` names it in messages. Pure. */
export function parseManifestText(source: string, file: string, into: LoadedManifests = { objects: [], ignored: [] }): LoadedManifests {
  for (const doc of yamlDocuments(source, file)) {
    const id = identity(doc.value);
    if (typeof id === 'string') throw new InputError(`not a Kubernetes object: ${id}`, file, doc.lineOf());
    if (id.kind !== 'List') {
      add(doc.value, file, doc.lineOf(), into);
      continue;
    }
    const items = (doc.value as { items?: unknown }).items ?? [];
    if (!Array.isArray(items)) throw new InputError('kind: List whose items is not a list', file, doc.itemLine(0));
    items.forEach((item, i) => add(item, file, doc.itemLine(i), into));
  }
  return into;
}

function add(value: unknown, file: string, line: number, into: LoadedManifests): void {
  const id = identity(value);
  if (typeof id === 'string') throw new InputError(`not a Kubernetes object: ${id}`, file, line);
  const o = value as ClusterObject;
  if (!modelledKind(id.apiVersion, id.kind)) {
    into.ignored.push(`${file} line ${line}: ${describeObject(id.kind, id.name, id.namespace)} (${id.apiVersion}; not used by pullsim)`);
    return;
  }
  const refused = parseCluster([o]).errors[0];
  if (refused) throw new InputError(refused.message, file, line);
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
