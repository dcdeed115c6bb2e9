/**
 * The kubelet's credential keyring (kubernetes pkg/credentialprovider keyring.go, config.go,
 * secrets/secrets.go): which pull-secret credentials the kubelet hands to CRI-O for an image,
 * in the order it tries them. Pod secrets form one keyring, the node's config another, and
 * the pod's come first.
 */
import { GoJsonSyntaxError, parseGoJsonTree, unmarshalTypeError, type JsonNode } from '../config/go-json.js';
import { AuthError, fail } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { structField } from '../policy/json-tree.js';
import { parseNormalizedNamed, refName } from '../reference/reference.js';
import type { Credential } from '../system-context.js';
import { Base64Error, goBase64Decode } from './go-base64.js';

export interface KeyringSource {
  /** Where it came from, e.g. `secret default/pull-secret` or `/var/lib/kubelet/config.json`. */
  description: string;
  /** kubernetes.io/dockerconfigjson (`{"auths":{…}}`) or kubernetes.io/dockercfg (a flat map). */
  kind: 'dockerconfigjson' | 'dockercfg';
  text: string;
}

export interface Keyring {
  /** The reverse-sorted keys of the pod keyring then the node keyring, for traces. */
  readonly keys: string[];
  /** Every matching credential, pod secrets first; `image` is normalized like the kubelet does. */
  lookup(image: string): Credential[];
}

interface Entry {
  username: string;
  password: string;
}

/** DockerConfigEntry.UnmarshalJSON, applied to each entry of a secret. Throws AuthError with the kubelet's text. */
export function parseKeyringSource(src: KeyringSource): [string, Entry][] {
  let root: JsonNode;
  try {
    root = parseGoJsonTree(src.text);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw new AuthError('auth.kubelet-json', e.message);
    throw e;
  }
  let map: JsonNode | undefined = root;
  let struct = '';
  let field = '';
  if (src.kind === 'dockerconfigjson') {
    if (root.kind !== 'object' && root.kind !== 'null') throw typeError(root, 'credentialprovider.DockerConfigJSON');
    map = root.kind === 'object' ? structField(root, 'auths') : undefined;
    struct = 'DockerConfigJSON';
    field = 'auths';
  }
  const out = new Map<string, Entry>();
  if (map === undefined || map.kind === 'null') return [];
  if (map.kind !== 'object') throw typeError(map, 'credentialprovider.DockerConfig', struct, field);
  for (const [key, value] of map.members) out.set(key, entry(value, struct, field));
  return [...out];
}

function typeError(n: JsonNode, goType: string, struct = '', field = ''): AuthError {
  return fail(AuthError, 'auth.kubelet-json', unmarshalTypeError(n.kind as 'string', goType, struct, field));
}

function entry(n: JsonNode, outerStruct: string, outerField: string): Entry {
  if (n.kind === 'null') return { username: '', password: '' };
  // A type error inside the entry is re-labelled with the enclosing struct by encoding/json. [unverified for Go ≥1.24]
  const struct = outerStruct || 'dockerConfigEntryWithAuth';
  const at = (name: string) => (outerField ? `${outerField}.${name}` : name);
  if (n.kind !== 'object') throw typeError(n, 'credentialprovider.dockerConfigEntryWithAuth', outerStruct, outerField);
  const str = (name: string): string => {
    let v = '';
    for (const [key, value] of n.members) {
      if (structField({ kind: 'object', members: [[key, value]] }, name) === undefined) continue;
      if (value.kind === 'string') v = value.value;
      else if (value.kind !== 'null') throw typeError(value, 'string', struct, at(name));
    }
    return v;
  };
  const e = { username: str('username'), password: str('password') };
  str('email');
  const auth = str('auth');
  if (auth.length === 0) return e;
  let decoded: string;
  try {
    // Padded text is decoded with StdEncoding, anything else with RawStdEncoding.
    decoded = Buffer.from(goBase64Decode(auth, auth.trim().endsWith('='))).toString('utf8');
  } catch (err) {
    if (err instanceof Base64Error) throw new AuthError('auth.base64-illegal', err.message);
    throw err;
  }
  const colon = decoded.indexOf(':');
  if (colon === -1) throw fail(AuthError, 'auth.kubelet-auth-field');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** BasicDockerKeyring.Add's key: scheme added if absent then dropped, a leading /v1/ or /v2/ reduced to "/". */
export function keyringKey(loc: string): string | undefined {
  const value = loc.startsWith('https://') || loc.startsWith('http://') ? loc : `https://${loc}`;
  const u = parseUrl(value.slice(value.indexOf('://') + 3));
  if (!u) return undefined;
  let p = u.path;
  if (p.startsWith('/v2/') || p.startsWith('/v1/')) p = p.slice(3);
  return p.length > 0 && p !== '/' ? u.host + p : u.host;
}

/** The parts of Go's url.Parse the keyring uses, for a scheme-less "host[:port][/path]". */
function parseUrl(s: string): { host: string; path: string } | undefined {
  const end = s.search(/[?#]/);
  const t = end === -1 ? s : s.slice(0, end);
  const slash = t.indexOf('/');
  const host = slash === -1 ? t : t.slice(0, slash);
  const p = slash === -1 ? '' : t.slice(slash);
  if (/[\s<>"{}|\\^`]/.test(host)) return undefined;
  const port = /:([^:\]]*)$/.exec(host);
  if (port && !host.startsWith('[') && !/^\d*$/.test(port[1])) return undefined;
  return { host, path: p };
}

function splitHost(host: string): { labels: string[]; port: string } {
  const m = /^(.*):(\d*)$/.exec(host);
  const h = m && !m[1].includes(':') ? m[1] : host;
  return { labels: h.split('.'), port: m && !m[1].includes(':') ? m[2] : '' };
}

/** filepath.Match for one host label (no '/' involved); a malformed pattern never matches. */
export function globMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\') {
      if (++i >= pattern.length) return false;
      re += escapeRe(pattern[i]);
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) return false;
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = close;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`, 's').test(name);
  } catch {
    return false;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** URLsMatchStr: same port, same number of labels, each label glob-matching, key path a string prefix. */
export function urlsMatch(key: string, image: string): boolean {
  const g = parseUrl(key);
  const t = parseUrl(image);
  if (!g || !t) return false;
  const gh = splitHost(g.host);
  const th = splitHost(t.host);
  if (gh.port !== th.port || gh.labels.length !== th.labels.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return gh.labels.every((label, i) => globMatch(label, th.labels[i]));
}

/** isDefaultRegistryMatch: no registry component, or docker.io / index.docker.io. */
function isDefaultRegistryMatch(image: string): boolean {
  const first = image.split('/', 1)[0];
  if (first.length === 0) return false;
  if (!image.includes('/')) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

class BasicKeyring {
  readonly index: string[];
  private readonly creds = new Map<string, Credential[]>();

  constructor(sources: { description: string; entries: [string, Entry][] }[]) {
    for (const src of sources) {
      for (const [loc, e] of src.entries) {
        const key = keyringKey(loc);
        if (key === undefined) continue;
        const list = this.creds.get(key) ?? [];
        list.push({ username: e.username, password: e.password, source: `user ${e.username} from ${src.description} key ${loc}` });
        this.creds.set(key, list);
      }
    }
    this.index = [...this.creds.keys()].sort().reverse();
  }

  lookup(image: string): Credential[] {
    const out: Credential[] = [];
    for (const k of this.index) if (urlsMatch(k, image)) out.push(...this.creds.get(k)!);
    if (out.length > 0) return out;
    return isDefaultRegistryMatch(image) ? [...(this.creds.get('index.docker.io') ?? [])] : [];
  }
}

/** The kubelet's repoToPull: the normalized name without tag or digest. */
function repoToPull(image: string): string {
  try {
    return refName(parseNormalizedNamed(image));
  } catch {
    return image;
  }
}

/**
 * MakeDockerKeyring: a malformed pod secret fails the pull (throws AuthError with the kubelet's
 * text); the node's config is read leniently (a bad file is skipped, as the kubelet only logs it).
 */
export function buildKeyring(podSecrets: KeyringSource[], node?: KeyringSource): Keyring {
  const pod = new BasicKeyring(podSecrets.map((s) => ({ description: s.description, entries: parseKeyringSource(s) })));
  let nodeEntries: [string, Entry][] = [];
  if (node) {
    try {
      nodeEntries = parseKeyringSource(node);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
    }
  }
  const nodeRing = new BasicKeyring(node ? [{ description: node.description, entries: nodeEntries }] : []);
  return {
    keys: [...pod.index, ...nodeRing.index],
    lookup(image: string): Credential[] {
      const repo = repoToPull(image);
      return [...pod.lookup(repo), ...nodeRing.lookup(repo)];
    },
  };
}

/**
 * The node's own docker config as the kubelet finds it (root dir /var/lib/kubelet first): the
 * first readable config.json, else the first .dockercfg.
 */
export function nodeKeyringSource(fs: NodeFS, home = '/root'): KeyringSource | undefined {
  const dirs = ['/var/lib/kubelet', `${home}/.docker`, '/.docker'];
  for (const dir of dirs) {
    const p = `${dir}/config.json`;
    const text = fs.read(p);
    if (text !== undefined && readable({ description: p, kind: 'dockerconfigjson', text })) return { description: p, kind: 'dockerconfigjson', text };
  }
  for (const dir of ['/var/lib/kubelet', home, '/']) {
    const p = `${dir === '/' ? '' : dir}/.dockercfg`;
    const text = fs.read(p);
    if (text !== undefined && readable({ description: p, kind: 'dockercfg', text })) return { description: p, kind: 'dockercfg', text };
  }
  return undefined;
}

function readable(src: KeyringSource): boolean {
  try {
    parseKeyringSource(src);
    return true;
  } catch {
    return false;
  }
}
