/**
 * registries.d (containers-registries.d(5)): where simple-signing signatures of an image are
 * looked up (`lookaside`) and whether sigstore attachments are read, per docker namespace.
 * Mirrors containers/image 5.23.1 docker/registries_d.go: every `*.yaml` file of one directory
 * is merged, a namespace or `default-docker` defined twice is an error, and lookups go from the
 * full identity through parent namespaces and wildcards to `default-docker`.
 */
import * as YAML from 'yaml';
import { fail, SignatureError, text, type StackError } from '../errors/index.js';
import { unmarshalTypeError, type GoJsonKind } from './go-json.js';
import { collectionKey, invalidMapKey } from './yaml-map-key.js';
import type { NodeFS } from '../node-fs.js';
import { policyIdentity, policyNamespaces } from '../policy/policy-scope.js';
import type { ImageRef } from '../reference/reference.js';
import type { SystemContext } from '../system-context.js';

export const SYSTEM_REGISTRIES_D = '/etc/containers/registries.d';
const USER_REGISTRIES_D = '.config/containers/registries.d';
const ROOT_DEFAULT_LOOKASIDE = 'file:///var/lib/containers/sigstore';
const USER_DEFAULT_LOOKASIDE = '.local/share/containers/sigstore';

export interface RegistryNamespace {
  lookaside?: string;
  lookasideStaging?: string;
  sigstore?: string;
  sigstoreStaging?: string;
  useSigstoreAttachments?: boolean;
}

export interface RegistriesD {
  /** The directory that was read. */
  dirPath: string;
  defaultDocker?: RegistryNamespace;
  docker: Map<string, RegistryNamespace>;
  /**
   * lookasideStorageBaseURL for reading: the configured (or built-in default) top level with
   * the physical reference's repository path appended, e.g. file:///srv/sigs/lab/app.
   */
  lookasideFor(physicalRef: ImageRef): string;
  useSigstoreAttachments(physicalRef: ImageRef): boolean;
}

/** registriesDirPath: an explicit directory, else ~/.config/containers/registries.d when it exists, else the system one. */
export function registriesDirPath(fs: NodeFS, sys: SystemContext, explicit?: string): string {
  if (explicit) return explicit;
  const user = `${sys.home.replace(/\/$/, '')}/${USER_REGISTRIES_D}`;
  return fs.exists(user) ? user : SYSTEM_REGISTRIES_D;
}

/** Loads and merges registries.d; throws SignatureError with containers/image's texts. */
export function loadRegistriesD(fs: NodeFS, sys: SystemContext, explicitDir?: string): RegistriesD {
  const dirPath = registriesDirPath(fs, sys, explicitDir);
  const docker = new Map<string, RegistryNamespace>();
  const nsFrom = new Map<string, string>();
  let defaultDocker: RegistryNamespace | undefined;
  let defaultFrom = '';
  for (const name of fs.list(dirPath)) {
    if (!name.endsWith('.yaml')) continue;
    const path = `${dirPath.replace(/\/$/, '')}/${name}`;
    if (fs.isDir(path)) throw fail(SignatureError, 'sig.read-is-dir', path);
    const content = fs.read(path);
    if (content === undefined) continue;
    const config = parseRegistriesDFile(path, content);
    if (config.defaultDocker) {
      if (defaultDocker) throw fail(SignatureError, 'sigd.default-twice', defaultFrom, path);
      defaultDocker = config.defaultDocker;
      defaultFrom = path;
    }
    for (const [ns, nsConfig] of config.docker) {
      if (docker.has(ns)) throw fail(SignatureError, 'sigd.namespace-twice', ns, nsFrom.get(ns), path);
      docker.set(ns, nsConfig);
      nsFrom.set(ns, path);
    }
  }
  const defaultTopLevel = sys.uid === 0 ? ROOT_DEFAULT_LOOKASIDE : `file://${sys.home.replace(/\/$/, '')}/${USER_DEFAULT_LOOKASIDE}`;

  /** The namespaces that apply to a reference, most specific first, then default-docker. */
  function candidates(ref: ImageRef): RegistryNamespace[] {
    const out: RegistryNamespace[] = [];
    for (const scope of [policyIdentity(ref), ...policyNamespaces(ref).map((n) => n.scope)]) {
      const ns = docker.get(scope);
      if (ns) out.push(ns);
    }
    if (defaultDocker) out.push(defaultDocker);
    return out;
  }

  return {
    dirPath,
    defaultDocker,
    docker,
    lookasideFor(ref) {
      let topLevel = '';
      for (const ns of candidates(ref)) {
        topLevel = ns.lookaside || ns.sigstore || '';
        if (topLevel) break;
      }
      const base = topLevel || defaultTopLevel;
      const err = goUrlParseError(base);
      if (err) throw fail(SignatureError, 'sigd.invalid-url', base, err);
      return appendUrlPath(base, ref.path);
    },
    useSigstoreAttachments(ref) {
      for (const ns of candidates(ref)) if (ns.useSigstoreAttachments !== undefined) return ns.useSigstoreAttachments;
      return false;
    },
  };
}

/** url.URL.Path += "/" + repo, keeping scheme, authority and any query as Go would re-serialize them. */
function appendUrlPath(base: string, repoPath: string): string {
  const q = base.search(/[?#]/);
  return q === -1 ? `${base}/${repoPath}` : `${base.slice(0, q)}/${repoPath}${base.slice(q)}`;
}

/** The few url.Parse failures a lookaside value can hit; most strings, even relative ones, parse in Go. */
function goUrlParseError(u: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(u)) return text('sigd.url-control', u);
  if (u.startsWith(':')) return text('sigd.url-missing-scheme', u);
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(u);
  const bad = m ? /[ <>"{}|\\^`]/.exec(m[1].slice(m[1].lastIndexOf('@') + 1)) : null;
  return bad ? text('sigd.url-host-char', u, bad[0]) : undefined;
}

/** The lookaside URL of signature number n (1-based) of a manifest: `<base>@sha256=<hex>/signature-n`. */
export function lookasideSignatureUrl(base: string, manifestDigest: string, n: number): string {
  const i = manifestDigest.indexOf(':');
  const suffix = `@${manifestDigest.slice(0, i)}=${manifestDigest.slice(i + 1)}/signature-${n}`;
  const q = base.search(/[?#]/);
  return q === -1 ? `${base}${suffix}` : `${base.slice(0, q)}${suffix}${base.slice(q)}`;
}

/** url.Path of a file:// (or file:) URL: the node path c/i reads with os.ReadFile; undefined for other schemes. */
export function fileUrlPath(u: string): string | undefined {
  const m = /^file:(?:\/\/[^/?#]*)?([^?#]*)/i.exec(u);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** The URL without userinfo password, as Go's url.Redacted prints it in errors. */
export function redactUrl(u: string): string {
  return u.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/, '$1:xxxxx@');
}

// ── parsing one file: ghodss/yaml (YAML 1.1 → JSON) then encoding/json into the Go structs ──

interface ParsedFile {
  defaultDocker?: RegistryNamespace;
  docker: Map<string, RegistryNamespace>;
}

const NAMESPACE_STRING_FIELDS: [string, keyof RegistryNamespace][] = [
  ['lookaside', 'lookaside'],
  ['lookaside-staging', 'lookasideStaging'],
  ['sigstore', 'sigstore'],
  ['sigstore-staging', 'sigstoreStaging'],
];

function parseError(path: string, inner: string): StackError {
  return fail(SignatureError, 'sigd.parsing', path, inner);
}

function yamlError(path: string, content: string, doc: YAML.Document.Parsed): StackError {
  const e = doc.errors[0]!;
  const at = e.pos[0];
  const line = content.slice(0, at).split('\n').length;
  let inner: string;
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]*?)\s*:/.exec(content.slice(at));
    const raw = key ? key[1]! : '';
    inner = text('sigd.yaml-duplicate-key', line, /^["']/.test(raw) ? raw.slice(1, -1) : raw);
  } else {
    inner = text('sigd.yaml-line', line, goYamlProblem(e));
  }
  return parseError(path, text('sigd.yaml-to-json', inner));
}

/**
 * An alias without its anchor. go-yaml v2's scanner reads an alias name as [A-Za-z0-9_-]+ followed
 * by a blank or one of ?:,]}%@` and fails on anything else; a well-formed name with no anchor fails
 * later, in the parser, without a line. (yaml's own alias names are wider, so `*.x` reaches here.)
 */
function unresolvedAlias(path: string, content: string, doc: YAML.Document.Parsed): StackError | undefined {
  let found: YAML.Alias | undefined;
  YAML.visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return YAML.visit.BREAK;
    },
  });
  if (!found) return undefined;
  const start = found.range![0] + 1;
  const name = /^[A-Za-z0-9_-]*/.exec(content.slice(start))![0];
  const next = content[start + name.length];
  if (name !== '' && (next === undefined || /[\s\0?:,\]}%@`]/.test(next))) {
    return parseError(path, text('sigd.yaml-to-json', text('sigd.yaml', text('sigd.yaml-unknown-anchor', name))));
  }
  // Scanner errors count lines from 0 and name none on the first one (go-yaml v2 parser.fail).
  const line = content.slice(0, start).split('\n').length - 1;
  const problem = text('sigd.yaml-alias-name');
  return parseError(path, text('sigd.yaml-to-json', line === 0 ? text('sigd.yaml', problem) : text('sigd.yaml-line', line + 1, problem)));
}

/** go-yaml v2's wording for the problems users actually make in these small files. */
function goYamlProblem(e: YAML.YAMLError): string {
  if (e.code === 'TAB_AS_INDENT') return 'found character that cannot start any token';
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || /Nested mappings are not allowed in compact mappings/.test(e.message)) {
    return 'mapping values are not allowed in this context';
  }
  return 'did not find expected key';
}

/** ghodss/yaml converts scalars to strings when the Go field is a string. */
function scalarToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function kindOf(v: unknown): GoJsonKind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** encoding/json matches keys to fields case-insensitively, an exact match preferred. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  let found: unknown;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) found = obj[k];
  return found;
}

function decodeNamespace(v: unknown, fieldPath: string, goType: string, fail_: (msg: string) => never): RegistryNamespace | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isObject(v)) fail_(unmarshalTypeError(kindOf(v), goType, 'registryConfiguration', fieldPath));
  const ns: RegistryNamespace = {};
  for (const [jsonName, prop] of NAMESPACE_STRING_FIELDS) {
    const raw = field(v, jsonName);
    if (raw === undefined || raw === null) continue;
    const s = scalarToString(raw);
    if (s === undefined) fail_(unmarshalTypeError(kindOf(raw), 'string', 'registryNamespace', `${fieldPath}.${jsonName}`));
    (ns as Record<string, string>)[prop] = s;
  }
  const att = field(v, 'use-sigstore-attachments');
  if (att !== undefined && att !== null) {
    if (typeof att !== 'boolean') fail_(unmarshalTypeError(kindOf(att), 'bool', 'registryNamespace', `${fieldPath}.use-sigstore-attachments`));
    ns.useSigstoreAttachments = att;
  }
  return ns;
}

export function parseRegistriesDFile(path: string, content: string): ParsedFile {
  // logLevel: a !!binary key becomes its bytes as a string, as in go-yaml, without the reader's warning.
  const doc = YAML.parseDocument(content, { version: '1.1', uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length > 0) throw yamlError(path, content, doc);
  const alias = unresolvedAlias(path, content, doc);
  if (alias) throw alias;
  const badKey = collectionKey(doc);
  if (badKey) throw parseError(path, text('sigd.yaml-to-json', text('sigd.yaml', invalidMapKey(doc, badKey))));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    // yaml checks merge keys (`<<: x`) only while building values; go-yaml v2's decoder refuses the same ones.
    if (e instanceof Error && /^Merge sources must be maps/.test(e.message)) {
      throw parseError(path, text('sigd.yaml-to-json', text('sigd.yaml', text('sigd.yaml-merge'))));
    }
    throw e;
  }
  const failJson = (msg: string): never => {
    throw parseError(path, text('sigd.json-unmarshal', msg));
  };
  const out: ParsedFile = { docker: new Map() };
  if (value === null || value === undefined) return out;
  if (!isObject(value)) return failJson(unmarshalTypeError(kindOf(value), 'docker.registryConfiguration'));
  const def = decodeNamespace(field(value, 'default-docker'), 'default-docker', 'docker.registryNamespace', failJson);
  if (def) out.defaultDocker = def;
  const docker = field(value, 'docker');
  if (docker !== undefined && docker !== null) {
    if (!isObject(docker)) failJson(unmarshalTypeError(kindOf(docker), 'map[string]docker.registryNamespace', 'registryConfiguration', 'docker'));
    for (const [scope, nsValue] of Object.entries(docker as Record<string, unknown>)) {
      // A null namespace still counts as defined (a zero registryNamespace) for the duplicate check.
      out.docker.set(scope, decodeNamespace(nsValue, 'docker', 'docker.registryNamespace', failJson) ?? {});
    }
  }
  return out;
}
