/**
 * One auth file as containers/image 5.23.1 reads it (pkg/docker/config readJSONFile): plain Go
 * struct decoding, so keys match fields case-insensitively, unknown keys are ignored, a repeated
 * key's last value wins, and the first type mismatch fails the whole file.
 */
import { GoJsonSyntaxError, parseGoJsonTree, unmarshalTypeError, type JsonNode } from '../config/go-json.js';
import { AuthError, fail, wrap } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { structField } from '../policy/json-tree.js';

export interface AuthEntry {
  auth: string;
  identityToken: string;
}

export interface AuthFile {
  /** Document order (Go iterates a map randomly; the first matching normalized key is used here). */
  auths: Map<string, AuthEntry>;
  credHelpers: Map<string, string>;
}

/** What readAuthFile hands out is shared by every read of the same content: never mutate it. */
export type SharedAuthFile = Readonly<{ auths: ReadonlyMap<string, Readonly<AuthEntry>>; credHelpers: ReadonlyMap<string, string> }>;

const emptyFile = (): AuthFile => ({ auths: new Map(), credHelpers: new Map() });

const EMPTY: SharedAuthFile = emptyFile();

interface Parsed {
  content: string;
  result: { file: SharedAuthFile } | { error: AuthError };
}

/**
 * The last parse of each (path, format): c/i reads the file for every credential lookup, and a
 * node's files do not change within a scenario, so a lookup re-parses only when the content differs.
 */
const parsedFiles = new Map<string, Parsed>();

function parseCached(path: string, content: string, legacyFormat: boolean): Parsed['result'] {
  const key = (legacyFormat ? 'legacy:' : 'json:') + path;
  const hit = parsedFiles.get(key);
  if (hit && hit.content === content) return hit.result;
  let result: Parsed['result'];
  try {
    result = { file: parseAuthFileText(content, legacyFormat) };
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    result = { error: e };
  }
  parsedFiles.set(key, { content, result });
  return result;
}

/**
 * readJSONFile: a missing file is an empty one; anything else that goes wrong is an AuthError
 * whose text is what findCredentialsInFile wraps with "reading JSON file %q: ".
 */
export function readAuthFile(fs: NodeFS, path: string, legacyFormat: boolean): SharedAuthFile {
  const content = fs.read(path);
  if (content === undefined) {
    if (fs.isDir(path)) throw fail(AuthError, 'auth.read-is-dir', path);
    return EMPTY;
  }
  const r = parseCached(path, content, legacyFormat);
  if ('error' in r) throw wrap(AuthError, 'auth.unmarshal-json', r.error, path);
  return r.file;
}

/** The file's content; throws AuthError with Go's json text (syntax or the first type error). */
export function parseAuthFileText(content: string, legacyFormat: boolean): AuthFile {
  let root: JsonNode;
  try {
    root = parseGoJsonTree(content);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw fail(AuthError, 'auth.json-value', e.message);
    throw e;
  }
  const d = new Decoder();
  const file = emptyFile();
  if (legacyFormat) {
    d.authMap(root, file.auths, { goType: 'map[string]config.dockerAuthConfig' });
  } else if (root.kind === 'object') {
    const auths = structField(root, 'auths');
    if (auths) d.authMap(auths, file.auths, { goType: 'map[string]config.dockerAuthConfig', struct: 'dockerConfigFile', field: 'auths' });
    const helpers = structField(root, 'credHelpers');
    if (helpers) d.stringMap(helpers, file.credHelpers);
  } else if (root.kind !== 'null') {
    d.typeError(root, 'config.dockerConfigFile');
  }
  if (d.first) throw d.first;
  return file;
}

interface Where {
  goType: string;
  struct?: string;
  field?: string;
}

/** Keeps Go's first UnmarshalTypeError and goes on decoding, as encoding/json does. */
class Decoder {
  first: AuthError | undefined;

  typeError(n: JsonNode, goType: string, struct = '', field = ''): void {
    this.first ??= fail(AuthError, 'auth.json-value', unmarshalTypeError(n.kind as 'string', goType, struct, field));
  }

  authMap(n: JsonNode, into: Map<string, AuthEntry>, where: Where): void {
    if (n.kind === 'null') return;
    if (n.kind !== 'object') return this.typeError(n, where.goType, where.struct, where.field);
    for (const [key, value] of n.members) {
      const entry: AuthEntry = { auth: '', identityToken: '' };
      if (value.kind === 'object') {
        const fieldPrefix = where.field ? `${where.field}.` : '';
        entry.auth = this.stringField(value, 'auth', `${fieldPrefix}auth`);
        entry.identityToken = this.stringField(value, 'identitytoken', `${fieldPrefix}identitytoken`);
      } else if (value.kind !== 'null') {
        this.typeError(value, 'config.dockerAuthConfig', where.struct, where.field);
      }
      into.delete(key);
      into.set(key, entry);
    }
  }

  private stringField(obj: Extract<JsonNode, { kind: 'object' }>, name: string, fieldPath: string): string {
    let out = '';
    for (const [key, value] of obj.members) {
      if (structField({ kind: 'object', members: [[key, value]] }, name) === undefined) continue;
      if (value.kind === 'string') out = value.value;
      else if (value.kind !== 'null') this.typeError(value, 'string', 'dockerAuthConfig', fieldPath);
    }
    return out;
  }

  stringMap(n: JsonNode, into: Map<string, string>): void {
    if (n.kind === 'null') return;
    if (n.kind !== 'object') return this.typeError(n, 'map[string]string', 'dockerConfigFile', 'credHelpers');
    for (const [key, value] of n.members) {
      if (value.kind === 'string') into.set(key, value.value);
      else if (value.kind === 'null') into.set(key, '');
      else this.typeError(value, 'string', 'dockerConfigFile', 'credHelpers');
    }
  }
}
