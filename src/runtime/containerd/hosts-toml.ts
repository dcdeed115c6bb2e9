/**
 * One hosts.toml as containerd's remotes/docker/config parseHostsFile reads it: the `[host."…"]`
 * tables in file order, then the root (`server`, or the registry itself) last. The TOML is read
 * with the project's one TOML parser; containerd 1.x reads it with pelletier/go-toml v1, whose
 * error texts differ, so failures are worded the go-toml way here. Those texts only reach
 * containerd's log ("failed to decode hosts.toml"): the pull then falls back to the folder's
 * docker-style certificate files.
 */
import { parseTomlDocument, isTable, tomlKey, type TomlDocument, type TomlTable, type TomlValue } from '../../config/toml.js';
import { RegistriesConfError, StackError, text } from '../../errors/index.js';
import type { ContainerdProfile } from './profiles.js';

export type Capability = 'pull' | 'resolve' | 'push';

export interface HostConfig {
  scheme: string;
  /** host[:port]; '' for the root entry without `server` (ConfigureHosts fills in the registry). */
  host: string;
  path: string;
  capabilities: Capability[];
  /** Absolute paths of `ca` files; undefined when none is configured (the system pool alone). */
  caCerts?: string[];
  /** [cert, key] pairs; key '' means the cert file holds the key. */
  clientPairs?: [string, string][];
  skipVerify?: boolean;
  header?: [string, string[]][];
  /** Where the entry came from, for explain. */
  origin: string;
}

export class HostsTomlError extends StackError {
  /** True where pullsim words a go-toml failure it has no observation or source rule for. */
  approximate = false;
}

const ALL_CAPS: Capability[] = ['pull', 'resolve', 'push'];

function hostsError(code: Parameters<typeof text>[0], ...args: unknown[]): HostsTomlError {
  return new HostsTomlError(code, text(code, ...args));
}

/** Go's %v of a TOML value as go-toml v1 hands it to interface{} fields. */
function goValue(v: TomlValue): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isTable(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function goType(v: TomlValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (v instanceof Date) return 'time.Time';
  if (Array.isArray(v)) return '[]interface {}';
  return '*toml.Tree';
}

/** "(line, column)" of a key's definition, as go-toml v1 positions a value it cannot convert. */
function keyPosition(src: string, doc: TomlDocument, path: string[]): [number, number] {
  const line = doc.keyLines.get(tomlKey(path)) ?? 1;
  const text = src.split('\n')[line - 1] ?? '';
  const key = path[path.length - 1];
  const col = text.indexOf(key);
  return [line, col >= 0 ? col + 1 : 1];
}

/** go-toml v1's wording of a syntax error the project's TOML parser (BurntSushi's texts) reported. */
function syntaxError(src: string, err: RegistriesConfError, profile: ContainerdProfile): HostsTomlError {
  const m = /^toml: line (\d+)(?: \(last key "(?:[^"\\]|\\.)*"\))?: (.*)$/s.exec(err.message);
  const line = m ? Number(m[1]) : 1;
  const message = m ? m[2] : err.message;
  const lines = src.split('\n');
  let pos: [number, number] | undefined;
  let inner: string | undefined;
  if (message === text('toml.lex.string-newline')) {
    // BurntSushi reports the line before the newline; go-toml the string's first character.
    const l = lines[Math.max(0, line - 1)] ?? '';
    pos = [line, l.lastIndexOf('"') + 2];
    inner = text('containerd.go-toml-control', 'U+000A');
  } else if (/but got (EOF|end of file)$/.test(message) || message === text('toml.lex.value-eof')) {
    pos = [lines.length, src.endsWith('\n') ? 1 : (lines[lines.length - 1]?.length ?? 0) + 1];
    if (/=\s*\[[^\]]*$/s.test(src)) inner = text('containerd.go-toml-unterminated-array');
  }
  const approximate = inner === undefined || profile.minor.startsWith('2');
  const e = hostsError('containerd.hosts-parse', text('containerd.go-toml-position', pos?.[0] ?? line, pos?.[1] ?? 1, inner ?? message));
  e.approximate = approximate;
  return e;
}

type FieldKind = 'bool' | 'string' | '[]string' | 'map[string]interface {}';
const HOST_FIELDS: [string, FieldKind | 'any'][] = [
  ['capabilities', '[]string'],
  ['ca', 'any'],
  ['client', 'any'],
  ['skip_verify', 'bool'],
  ['header', 'map[string]interface {}'],
  ['override_path', 'bool'],
];

function fits(v: TomlValue, kind: FieldKind): boolean {
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case '[]string':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'map[string]interface {}':
      return isTable(v);
  }
}

/** tree.Unmarshal's first conversion failure, in the struct's field order (root fields, then each host table). */
function unmarshalError(src: string, doc: TomlDocument, tables: [string[], TomlTable][]): HostsTomlError | undefined {
  for (const [path, table] of tables) {
    const fields: [string, FieldKind | 'any'][] = path.length === 0 ? [...HOST_FIELDS, ['server', 'string']] : HOST_FIELDS;
    for (const [name, kind] of fields) {
      const v = table[name];
      if (v === undefined || kind === 'any' || fits(v, kind)) continue;
      const [line, col] = keyPosition(src, doc, [...path, name]);
      const shown = Array.isArray(v) && kind === '[]string' ? v.find((x) => typeof x !== 'string')! : v;
      return hostsError('containerd.go-toml-position', line, col, text('containerd.go-toml-convert', goValue(shown), goType(shown), kind === '[]string' ? 'string' : kind));
    }
  }
  return undefined;
}

function stringSlice(values: TomlValue[], map: (s: string) => string): string[] {
  return values.map((v) => {
    if (typeof v !== 'string') throw hostsError('containerd.hosts-string-cast', goValue(v));
    return map(v);
  });
}

function absPath(p: string, base: string): string {
  if (p.startsWith('/')) return p;
  const joined = `${base}/${p}`.split('/');
  const out: string[] = [];
  for (const part of joined) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** path.Clean for a URL path. */
function cleanPath(p: string): string {
  return absPath(p, '/');
}

/** The parts of Go's url.Parse that decide a hosts.toml server: scheme, host (port checked), path. */
function parseServer(server: string): { scheme: string; host: string; path: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(server);
  if (!m) return { scheme: '', host: '', path: server };
  const host = m[2].includes('@') ? m[2].slice(m[2].lastIndexOf('@') + 1) : m[2];
  const colon = host.startsWith('[') ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
  if (colon >= 0) {
    const port = host.slice(colon);
    if (!/^:\d*$/.test(port)) throw hostsError('containerd.hosts-server', server, text('containerd.url-invalid-port', server, port));
  }
  return { scheme: m[1].toLowerCase(), host, path: m[3] };
}

function parseHostConfig(server: string, baseDir: string, t: TomlTable, origin: string): HostConfig {
  const out: HostConfig = { scheme: '', host: '', path: '', capabilities: [], origin };
  const overridePath = t.override_path === true;
  if (server !== '') {
    const u = parseServer(server.startsWith('http') ? server : `https://${server}`);
    out.scheme = u.scheme;
    out.host = u.host;
    if (u.path.length > 0) {
      const p = cleanPath(u.path);
      out.path = !p.endsWith('/v2') && !overridePath ? `${p}/v2` : p;
    } else out.path = overridePath ? '' : '/v2';
  }
  if (typeof t.skip_verify === 'boolean') out.skipVerify = t.skip_verify;
  const caps = t.capabilities as string[] | undefined;
  if (caps && caps.length > 0) {
    for (const c of caps) {
      const lc = c.toLowerCase();
      if (lc !== 'pull' && lc !== 'resolve' && lc !== 'push') throw hostsError('containerd.hosts-capability', c);
      if (!out.capabilities.includes(lc)) out.capabilities.push(lc);
    }
    out.capabilities.sort((a, b) => ALL_CAPS.indexOf(a) - ALL_CAPS.indexOf(b));
  } else out.capabilities = [...ALL_CAPS];
  const ca = t.ca;
  if (ca !== undefined) {
    if (typeof ca === 'string') out.caCerts = [absPath(ca, baseDir)];
    else if (Array.isArray(ca)) out.caCerts = stringSlice(ca, (p) => absPath(p, baseDir));
    else throw hostsError('containerd.hosts-ca-type', goValue(ca));
  }
  const client = t.client;
  if (client !== undefined) {
    if (typeof client === 'string') out.clientPairs = [[absPath(client, baseDir), '']];
    else if (Array.isArray(client)) {
      out.clientPairs = client.map((pair): [string, string] => {
        if (typeof pair === 'string') return [absPath(pair, baseDir), ''];
        if (Array.isArray(pair)) {
          const s = stringSlice(pair, (p) => absPath(p, baseDir));
          if (s.length !== 2) throw new HostsTomlError('containerd.hosts-client-type', `invalid pair ${goValue(pair)} for "client"`);
          return [s[0], s[1]];
        }
        throw hostsError('containerd.hosts-client-type', goType(pair));
      });
    } else throw hostsError('containerd.hosts-client-type', goValue(client));
  }
  if (t.header !== undefined && isTable(t.header)) {
    out.header = Object.entries(t.header).map(([k, v]): [string, string[]] => {
      if (typeof v === 'string') return [k, [v]];
      if (Array.isArray(v)) return [k, stringSlice(v, (s) => s)];
      throw hostsError('containerd.hosts-header-type', goValue(v), k);
    });
  }
  return out;
}

/**
 * parseHostsFile: the host entries in order, or the error containerd logs. `baseDir` is the hosts
 * folder (relative `ca`/`client` paths are joined to it).
 */
export function parseHostsToml(src: string, baseDir: string, profile: ContainerdProfile): HostConfig[] {
  let doc: TomlDocument;
  try {
    doc = parseTomlDocument(src);
  } catch (e) {
    if (e instanceof RegistriesConfError) throw syntaxError(src, e, profile);
    throw e;
  }
  const root = doc.table;
  const hostTree = root.host;
  if (!isTable(hostTree)) {
    if (profile.hostTreeRequired) throw hostsError('containerd.hosts-host-tree');
  }
  const hostTables: [string, TomlTable][] = isTable(hostTree)
    ? Object.entries(hostTree)
        .filter((e): e is [string, TomlTable] => isTable(e[1]))
        .map((e, i) => ({ e, line: doc.keyLines.get(tomlKey(['host', e[0]])) ?? i }))
        .sort((a, b) => a.line - b.line)
        .map((x) => x.e)
    : [];
  const bad = unmarshalError(src, doc, [[[], root], ...hostTables.map(([k, t]): [string[], TomlTable] => [['host', k], t])]);
  if (bad) throw bad;
  const hosts = hostTables.map(([server, t]) => parseHostConfig(server, baseDir, t, `[host.${JSON.stringify(server)}]`));
  const server = typeof root.server === 'string' ? root.server : '';
  hosts.push(parseHostConfig(server, baseDir, root, server ? `server = ${JSON.stringify(server)}` : 'the registry itself (no server line)'));
  return hosts;
}
