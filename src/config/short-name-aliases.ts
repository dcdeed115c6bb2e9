/**
 * Short-name aliases ([aliases] in registries.conf and the machine-written short-name-aliases.conf),
 * validated like sysregistriesv2/shortnames.go: the name must be a short repository, the value a
 * fully qualified repository without tag or digest. A value of "" resets an alias set earlier.
 */
import { RegistriesConfError, StackError, text } from '../errors/index.js';
import { parseNormalizedNamed, parseReference, type ImageRef } from '../reference/reference.js';
import { decodeRegistriesConf } from './registries-conf-decode.js';
import { parseTomlDocument } from './toml.js';

export interface Alias {
  /** Undefined when the alias was reset with "". */
  value?: ImageRef;
  /** The file that set it, shown by podman as `Resolved "x" as an alias (file)`. */
  origin: string;
}

export type AliasTable = ReadonlyMap<string, Alias>;

function looksLikeRegistry(domain: string): boolean {
  return domain.includes('.') || domain.includes(':') || domain === 'localhost';
}

function refErrorText(e: unknown): string {
  if (e instanceof StackError) return e.message;
  throw e;
}

/** validateShortName: the left-hand side of an alias. Returns the error text, or undefined when valid. */
export function shortNameProblem(name: string): string | undefined {
  let r: ReturnType<typeof parseReference>;
  try {
    r = parseReference(name);
  } catch (e) {
    return text('conf.short-name-unparsable', name, refErrorText(e));
  }
  if (r.digest !== undefined) return text('conf.short-name-invalid', name, 'must not contain digest');
  if (r.tag !== undefined) return text('conf.short-name-invalid', name, 'must not contain tag');
  if (looksLikeRegistry(r.domain)) return text('conf.short-name-invalid', name, 'must not contain registry');
  return undefined;
}

/** parseShortNameValue: the right-hand side of an alias, normalized (docker.io/alpine → docker.io/library/alpine). */
export function parseAliasValue(value: string): ImageRef | string {
  let r: ReturnType<typeof parseReference>;
  try {
    r = parseReference(value);
  } catch (e) {
    return text('conf.alias-unparsable', value, refErrorText(e));
  }
  if (r.digest !== undefined) return text('conf.alias-invalid', value, 'must not contain digest');
  if (r.tag !== undefined) return text('conf.alias-invalid', value, 'must not contain tag');
  if (!looksLikeRegistry(r.domain)) return text('conf.alias-invalid', value, 'must contain registry and repository');
  try {
    return parseNormalizedNamed(value);
  } catch (e) {
    return refErrorText(e);
  }
}

/**
 * newShortNameAliasCache: every malformed entry is reported, chained the way Go's
 * fmt.Errorf("%v\n: %w", next, previous) chains them (Go visits the map in random order;
 * document order is used here so the text is stable).
 */
export function buildAliasTable(origin: string, entries: readonly (readonly [string, string])[]): Map<string, Alias> {
  const table = new Map<string, Alias>();
  const problems: string[] = [];
  for (const [name, value] of entries) {
    const nameProblem = shortNameProblem(name);
    if (nameProblem !== undefined) problems.push(nameProblem);
    if (value === '') {
      table.set(name, { origin });
      continue;
    }
    const parsed = parseAliasValue(value);
    if (typeof parsed === 'string') problems.push(parsed);
    else table.set(name, { value: parsed, origin });
  }
  if (problems.length > 0) {
    throw new RegistriesConfError('conf.aliases-chain', problems.reduce((acc, p) => text('conf.aliases-chain', p, acc)));
  }
  return table;
}

/** The machine-written alias cache: /var/cache/containers/short-name-aliases.conf for root, else $XDG_CACHE_HOME or ~/.cache. */
export function shortNameAliasCachePath(uid: number, home: string, xdgCacheHome?: string): string {
  if (uid === 0) return '/var/cache/containers/short-name-aliases.conf';
  return `${xdgCacheHome ?? `${home}/.cache`}/containers/short-name-aliases.conf`;
}

/**
 * loadShortNameAliasConf: a missing file is an empty table; any other problem is an error that
 * containers/image reports only when a short name is actually looked up.
 */
export function loadAliasCache(path: string, content: string | undefined): { table: AliasTable } | { error: RegistriesConfError } {
  if (content === undefined) return { table: new Map() };
  try {
    const raw = decodeRegistriesConf(parseTomlDocument(content));
    return { table: buildAliasTable(path, raw.aliases ?? []) };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { error: new RegistriesConfError('conf.alias-cache', text('conf.alias-cache', path, e.message), e) };
  }
}
