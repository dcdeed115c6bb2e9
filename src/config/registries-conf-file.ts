/**
 * One registries.conf file as sysregistriesv2's loadConfigFile reads it: TOML decode, the v1 → v2
 * conversion, postProcessRegistries (defaults, validation, conflicts, dedupe by prefix, sort),
 * the short-name mode, the wildcard-prefix check and the alias table, each failing with the
 * library's own text and in the library's order.
 */
import { RegistriesConfError, StackError, fail, text } from '../errors/index.js';
import { decodeRegistriesConf, type RawConfFile, type RawEndpoint, type RawRegistry } from './registries-conf-decode.js';
import type { Endpoint, PullFromMirror, Registry, ShortNameMode } from './registries-conf.js';
import { buildAliasTable, type Alias } from './short-name-aliases.js';
import { parseTomlDocument } from './toml.js';
import { parsePlainToml } from './toml-plain.js';
import { compareBytewise } from '../byte-order.js';

export interface ParsedConfFile {
  path: string;
  /** Deduplicated by prefix (first wins) and sorted by prefix. */
  registries: Registry[];
  /** Undefined when the file does not set the list; [] when it sets it empty (a drop-in then still overrides). */
  unqualifiedSearchRegistries?: string[];
  credentialHelpers?: string[];
  shortNameMode?: ShortNameMode;
  aliases: Map<string, Alias>;
}

// The distribution domain grammar (reference.DomainRegexp), anchored: what a search registry must be.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const anchoredDomain = new RegExp(`^${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?$`);

function invalid(code: Parameters<typeof text>[0], ...args: unknown[]): RegistriesConfError {
  return fail(RegistriesConfError, code, ...args);
}

/** parseLocation: trailing slashes trimmed; a URI scheme is rejected, quoting the value as written. */
function parseLocation(input: string): string {
  let end = input.length;
  while (end > 0 && input.charCodeAt(end - 1) === 0x2f) end--;
  const trimmed = end === input.length ? input : input.slice(0, end);
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://')) throw invalid('conf.uri-scheme', input);
  return trimmed;
}

function nonEmpty(list: readonly unknown[] | undefined): boolean {
  return list !== undefined && list.length > 0;
}

function isV1(raw: RawConfFile): boolean {
  return nonEmpty(raw.v1?.search) || nonEmpty(raw.v1?.insecure) || nonEmpty(raw.v1?.block);
}

function isV2(raw: RawConfFile): boolean {
  return (
    nonEmpty(raw.registries) ||
    nonEmpty(raw.unqualifiedSearchRegistries) ||
    nonEmpty(raw.credentialHelpers) ||
    (raw.shortNameMode ?? '') !== '' ||
    nonEmpty(raw.aliases)
  );
}

/** ConvertToV2: blocked entries first, then insecure ones, one entry per location in first-seen order. */
function convertV1(raw: RawConfFile): RawConfFile {
  const byLocation = new Map<string, RawRegistry>();
  const entry = (location: string): RawRegistry => {
    const loc = parseLocation(location);
    let reg = byLocation.get(loc);
    if (!reg) byLocation.set(loc, (reg = { location: loc, prefix: loc, mirrors: [] }));
    return reg;
  };
  for (const loc of raw.v1?.block ?? []) entry(loc).blocked = true;
  for (const loc of raw.v1?.insecure ?? []) entry(loc).insecure = true;
  return { registries: [...byLocation.values()], unqualifiedSearchRegistries: raw.v1?.search };
}

function pullFromMirrorOf(mirror: RawEndpoint, location: string, reg: { prefix: string; mirrorByDigestOnly: boolean }): PullFromMirror {
  const v = mirror.pullFromMirror ?? '';
  if (reg.mirrorByDigestOnly && v !== '') throw invalid('conf.mirror-usage-conflict', reg.prefix, location);
  if (v !== '' && v !== 'all' && v !== 'digest-only' && v !== 'tag-only') throw invalid('conf.pull-from-mirror-bad', v, location);
  return v;
}

/** Shared by every entry without mirrors: one frozen array instead of one each. */
const NO_MIRRORS: readonly Endpoint[] = Object.freeze([]);

function postProcessRegistry(raw: RawRegistry, origin: string): Registry {
  const location = parseLocation(raw.location ?? '');
  let prefix: string;
  if ((raw.prefix ?? '') === '') {
    if (location === '') throw invalid('conf.both-unset');
    prefix = location;
  } else {
    prefix = parseLocation(raw.prefix!);
    if (!prefix.startsWith('*.') && location === '') throw invalid('conf.location-unset');
  }
  if ((raw.pullFromMirror ?? '') !== '') throw invalid('conf.pull-from-mirror-non-mirror', prefix);
  const mirrorByDigestOnly = raw.mirrorByDigestOnly ?? false;
  const mirrors: readonly Endpoint[] = raw.mirrors === undefined || raw.mirrors.length === 0 ? NO_MIRRORS : raw.mirrors.map((m) => {
    // Go validates a trimmed copy but keeps the mirror's location exactly as written.
    const written = m.location ?? '';
    const checked = parseLocation(written);
    if (checked === '') throw invalid('conf.mirror-location-unset');
    return { location: written, insecure: m.insecure ?? false, pullFromMirror: pullFromMirrorOf(m, checked, { prefix, mirrorByDigestOnly }) };
  });
  return { prefix, location, insecure: raw.insecure ?? false, pullFromMirror: '', mirrors, blocked: raw.blocked ?? false, mirrorByDigestOnly, origin };
}

/** Entries sharing a location (or, without one, a prefix) must agree on insecure and blocked. */
function checkConflicts(registries: readonly Registry[]): void {
  const groups = new Map<string, Registry[]>();
  const keyOf = (r: Registry) => (r.location === '' ? r.prefix : r.location);
  let shared = false;
  for (const r of registries) {
    const g = groups.get(keyOf(r));
    if (g) {
      g.push(r);
      shared = true;
    } else groups.set(keyOf(r), [r]);
  }
  if (!shared) return;
  for (const r of registries) {
    for (const other of groups.get(keyOf(r))!) {
      if (r.insecure !== other.insecure) throw invalid('conf.conflicting-insecure', r.location);
      if (r.blocked !== other.blocked) throw invalid('conf.conflicting-blocked', r.location);
    }
  }
}

// The native sort compares UTF-16 code units, which agrees with byte order unless a surrogate or a U+E000–U+FFFF unit is involved.
const beyondNativeOrder = /[\ud800-\uffff]/;

function dedupeAndSort(registries: readonly Registry[]): Registry[] {
  const byPrefix = new Map<string, Registry>();
  for (const r of registries) if (!byPrefix.has(r.prefix)) byPrefix.set(r.prefix, r);
  const prefixes = [...byPrefix.keys()];
  if (prefixes.some((p) => beyondNativeOrder.test(p))) prefixes.sort(compareBytewise);
  else prefixes.sort();
  return prefixes.map((p) => byPrefix.get(p)!);
}

function parseShortNameMode(mode: string): ShortNameMode {
  if (mode === 'disabled' || mode === 'enforcing' || mode === 'permissive') return mode;
  throw invalid('conf.short-name-mode', mode);
}

/**
 * Parses and validates one file's content. Errors are the bare library errors; the caller adds
 * `loading registries configuration %q: ` or `loading drop-in registries configuration %q: `.
 */
/** The plain reader when it answers and its table decodes; else toml.ts, whose errors name the line and key. */
function decodeConfFile(content: string | Uint8Array): RawConfFile {
  const plain = parsePlainToml(content);
  if (plain) {
    try {
      return decodeRegistriesConf(plain);
    } catch {
      // decoded again below from toml.ts's document, for the exact error text
    }
  }
  return decodeRegistriesConf(parseTomlDocument(content));
}

export function parseConfFile(path: string, content: string | Uint8Array, forceV2: boolean): ParsedConfFile {
  let raw = decodeConfFile(content);
  if (isV1(raw)) {
    if (forceV2) throw invalid('conf.dropin-v1');
    if (isV2(raw)) throw invalid('conf.mixing-v1-v2');
    // The converted config replaces every v2 field, so an empty `credential-helpers = []` or `[aliases]` is dropped too.
    raw = convertV1(raw);
  }
  const processed = (raw.registries ?? []).map((r) => postProcessRegistry(r, path));
  checkConflicts(processed);
  const search = raw.unqualifiedSearchRegistries?.map((entry) => {
    const reg = parseLocation(entry);
    if (!anchoredDomain.test(reg)) throw invalid('conf.bad-search-registry', reg);
    return reg;
  });
  const registries = dedupeAndSort(processed);
  const shortNameMode = (raw.shortNameMode ?? '') !== '' ? parseShortNameMode(raw.shortNameMode!) : undefined;
  const badWildcard = registries.find((r) => r.prefix.startsWith('*.') && /[/@:]/.test(r.prefix));
  if (badWildcard) throw invalid('conf.wildcard-format', badWildcard.prefix);
  let aliases: Map<string, Alias>;
  try {
    aliases = buildAliasTable(path, raw.aliases ?? []);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    throw new RegistriesConfError('conf.aliases', text('conf.aliases', e.message), e);
  }
  return { path, registries, unqualifiedSearchRegistries: search, credentialHelpers: raw.credentialHelpers, shortNameMode, aliases };
}
