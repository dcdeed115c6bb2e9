/**
 * The registries.conf the MCO writes: sysregistriesv2.V2RegistriesConf (containers/image 5.27 as vendored
 * by MCO 4.15) encoded by BurntSushi/toml 1.3.2's Encoder. The encoder writes a struct's plain keys
 * before its tables, in field order, skips nil slices and `omitempty` zero values, double-quotes every
 * string, indents nested tables by two spaces per level and puts a blank line before each [[table]].
 */

export interface Endpoint {
  location: string;
  insecure: boolean;
  /** "digest-only" | "tag-only" | "" */
  pullFromMirror: string;
}

export interface Registry {
  /** Set only for `*.domain` scopes; `prefix` has no omitempty, so "" is written. */
  prefix: string;
  location: string;
  insecure: boolean;
  mirrors: Endpoint[];
  blocked: boolean;
  mirrorByDigestOnly: boolean;
}

export interface RegistriesConf {
  registries: Registry[];
  /** undefined: a nil slice, not written. */
  unqualifiedSearchRegistries?: string[];
  shortNameMode: string;
}

export function newRegistry(scope: string): Registry {
  const wildcard = scope.startsWith('*.');
  return { prefix: wildcard ? scope : '', location: wildcard ? '' : scope, insecure: false, mirrors: [], blocked: false, mirrorByDigestOnly: false };
}

/** registryScope: the prefix when set, else the location. */
export function registryScope(r: Registry): string {
  return r.prefix !== '' ? r.prefix : r.location;
}

const replacements: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** BurntSushi's dblQuotedReplacer: named escapes, other control characters and DEL as \u00XX. */
export function tomlQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (replacements[ch] !== undefined) out += replacements[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function endpointLines(e: Endpoint, indent: string): string[] {
  const lines: string[] = [];
  if (e.location !== '') lines.push(`${indent}location = ${tomlQuote(e.location)}`);
  if (e.insecure) lines.push(`${indent}insecure = true`);
  if (e.pullFromMirror !== '') lines.push(`${indent}pull-from-mirror = ${tomlQuote(e.pullFromMirror)}`);
  return lines;
}

export function encodeRegistriesConf(conf: RegistriesConf): string {
  let out = '';
  if (conf.unqualifiedSearchRegistries !== undefined) {
    out += `unqualified-search-registries = [${conf.unqualifiedSearchRegistries.map(tomlQuote).join(', ')}]\n`;
  }
  out += `short-name-mode = ${tomlQuote(conf.shortNameMode)}\n`;
  for (const r of conf.registries) {
    const lines = [`  prefix = ${tomlQuote(r.prefix)}`, ...endpointLines({ location: r.location, insecure: r.insecure, pullFromMirror: '' }, '  ')];
    if (r.blocked) lines.push('  blocked = true');
    if (r.mirrorByDigestOnly) lines.push('  mirror-by-digest-only = true');
    out += `\n[[registry]]\n${lines.map((l) => l + '\n').join('')}`;
    for (const m of r.mirrors) out += `\n  [[registry.mirror]]\n${endpointLines(m, '    ').map((l) => l + '\n').join('')}`;
  }
  return out;
}
