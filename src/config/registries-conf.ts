/**
 * The node's merged registries configuration, loaded the way containers/image 5.23.1
 * (pkg/sysregistriesv2) loads it: which files, in which order, how drop-ins merge, and the exact
 * error for each problem. The result is precompiled (prefix index, alias tables) so that
 * resolution never looks at TOML again.
 */
import { asStackError, RegistriesConfError, text, wrap } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { buildRegistryIndex, type RegistryIndex } from '../resolve/registry-index.js';
import type { SystemContext } from '../system-context.js';
import { parseConfFile, type ParsedConfFile } from './registries-conf-file.js';
import { loadAliasCache, shortNameAliasCachePath, type Alias, type AliasTable } from './short-name-aliases.js';
import { compareBytewise } from '../byte-order.js';

export type PullFromMirror = '' | 'all' | 'digest-only' | 'tag-only';
export type ShortNameMode = 'disabled' | 'enforcing' | 'permissive';

/** One place images can be pulled from: a registry's primary location or one of its mirrors. */
export interface Endpoint {
  /** host[:port][/namespace…] as written (primary: trailing slashes trimmed); '' for a wildcard prefix without location. */
  location: string;
  insecure: boolean;
  /** Mirrors only; always '' on a primary. */
  pullFromMirror: PullFromMirror;
}

/** A [[registry]] table after validation and defaults (prefix defaults to location). */
export interface Registry extends Endpoint {
  prefix: string;
  mirrors: readonly Endpoint[];
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  /** The file whose table this is (a later drop-in with the same prefix replaces the whole table); '' for an implicit registry. */
  origin: string;
}

export interface RegistriesConfPaths {
  /** The main file: explicit path, else ~/.config/containers/registries.conf if it exists, else /etc/containers/registries.conf. */
  configPath: string;
  /** System drop-in directory, or '' when not read (a user registries.conf exists). */
  configDirPath: string;
  /** User drop-in directory, or '' when an explicit drop-in directory was given. */
  userConfigDirPath: string;
  /** ConfigDirPath(): what the blocked error names as the second place (the user directory whenever it is used). */
  describedDirPath: string;
}

export interface RegistriesConfig {
  /** Sorted by prefix, one per prefix. */
  readonly registries: readonly Registry[];
  readonly index: RegistryIndex;
  readonly unqualifiedSearchRegistries: readonly string[];
  /** The file that last set the search list ('' when no registries.conf was found), named by the short-name error. */
  readonly unqualifiedSearchRegistriesOrigin: string;
  readonly shortNameMode: ShortNameMode;
  /** Merged [aliases] of all files; an entry without value was reset with "". */
  readonly aliases: AliasTable;
  /** The machine-written alias cache, consulted before `aliases`. */
  readonly aliasCache: AliasTable;
  readonly aliasCachePath: string;
  /** A broken alias cache file fails only when a short name is looked up, as in containers/image. */
  readonly aliasCacheError?: RegistriesConfError;
  readonly credentialHelpers: readonly string[];
  readonly paths: RegistriesConfPaths;
  /** Every file read, in order: the main file (when present), then drop-ins. */
  readonly filesRead: readonly string[];
}

export interface LoadOptions {
  /** types.SystemContext.UserShortNameAliasConfPath: overrides the alias cache location. */
  shortNameAliasConfPath?: string;
}

export const SYSTEM_REGISTRIES_CONF = '/etc/containers/registries.conf';
export const SYSTEM_REGISTRIES_CONF_DIR = '/etc/containers/registries.conf.d';
const AUTHENTICATION_FILE_HELPER = 'containers-auth.json';

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** newConfigWrapperWithHomeDir: which main file and which drop-in directories apply. */
export function registriesConfPaths(fs: NodeFS, sys: SystemContext): RegistriesConfPaths {
  const userFile = joinPath(sys.home, '.config/containers/registries.conf');
  const userDir = joinPath(sys.home, '.config/containers/registries.conf.d');
  const explicitDir = sys.registriesConfDirPath ?? '';
  let configPath: string;
  if (sys.registriesConfPath) {
    configPath = sys.registriesConfPath;
  } else if (fs.exists(userFile)) {
    const configDirPath = explicitDir;
    const userConfigDirPath = explicitDir ? '' : userDir;
    return { configPath: userFile, configDirPath, userConfigDirPath, describedDirPath: userConfigDirPath || configDirPath };
  } else {
    configPath = SYSTEM_REGISTRIES_CONF;
  }
  const configDirPath = explicitDir || SYSTEM_REGISTRIES_CONF_DIR;
  const userConfigDirPath = explicitDir ? '' : userDir;
  return { configPath, configDirPath, userConfigDirPath, describedDirPath: userConfigDirPath || configDirPath };
}

/** dropInConfigs: *.conf files directly in each directory, lexical order, system directory first. */
export function dropInFiles(fs: NodeFS, paths: RegistriesConfPaths): string[] {
  const out: string[] = [];
  for (const dir of [paths.configDirPath, paths.userConfigDirPath]) {
    if (dir === '' || !fs.isDir(dir)) continue;
    for (const name of fs.list(dir)) {
      const full = joinPath(dir, name);
      if (name.endsWith('.conf') && !fs.isDir(full)) out.push(full);
    }
  }
  return out;
}

interface Merged {
  registries: Map<string, Registry>;
  /** Whether registries' insertion order is still prefix order (no drop-in added a prefix), so needs no sort. */
  inOrder: boolean;
  search: string[];
  searchOrigin: string;
  credentialHelpers: string[];
  shortNameMode?: ShortNameMode;
  aliases: Map<string, Alias>;
}

/** updateWithConfigurationFrom: tables replaced by prefix, lists replaced when present (even []), aliases key by key. */
function mergeInto(into: Merged, file: ParsedConfFile): void {
  const fresh = into.registries.size === 0;
  for (const r of file.registries) {
    if (!fresh && !into.registries.has(r.prefix)) into.inOrder = false;
    into.registries.set(r.prefix, r);
  }
  if (file.unqualifiedSearchRegistries !== undefined) {
    into.search = file.unqualifiedSearchRegistries;
    into.searchOrigin = file.path;
  }
  if (file.credentialHelpers !== undefined) into.credentialHelpers = file.credentialHelpers;
  if (file.shortNameMode !== undefined) into.shortNameMode = file.shortNameMode;
  for (const [name, alias] of file.aliases) into.aliases.set(name, alias);
}

/**
 * Loads and merges the node's registries configuration. Throws RegistriesConfError worded as
 * `loading registries configuration "<file>": …` or `loading drop-in registries configuration "<file>": …`;
 * the docker transport adds `loading registries configuration: ` in front (see dockerTransportConfError).
 */
export function loadRegistriesConf(fs: NodeFS, sys: SystemContext, options: LoadOptions = {}): RegistriesConfig {
  const paths = registriesConfPaths(fs, sys);
  const filesRead: string[] = [];
  const merged: Merged = { registries: new Map(), inOrder: true, search: [], searchOrigin: '', credentialHelpers: [], aliases: new Map() };

  const main = fs.source?.(paths.configPath) ?? fs.read(paths.configPath);
  if (main === undefined) {
    if (sys.registriesConfPath) {
      throw new RegistriesConfError('conf.loading-file', text('conf.loading-file', paths.configPath, text('conf.missing-explicit', paths.configPath)));
    }
  } else {
    let parsed: ParsedConfFile;
    try {
      parsed = parseConfFile(paths.configPath, main, false);
    } catch (e) {
      throw wrap(RegistriesConfError, 'conf.loading-file', asStackError(e), paths.configPath);
    }
    filesRead.push(paths.configPath);
    mergeInto(merged, parsed);
    // The main file is the search list's origin even when it does not set the list.
    merged.searchOrigin = paths.configPath;
  }

  for (const path of dropInFiles(fs, paths)) {
    let parsed: ParsedConfFile;
    try {
      parsed = parseConfFile(path, fs.source?.(path) ?? fs.read(path) ?? '', true);
    } catch (e) {
      throw wrap(RegistriesConfError, 'conf.loading-dropin', asStackError(e), path);
    }
    filesRead.push(path);
    mergeInto(merged, parsed);
  }

  const registries = merged.inOrder ? [...merged.registries.values()] : [...merged.registries.keys()].sort(compareBytewise).map((p) => merged.registries.get(p)!);
  const aliasCachePath = options.shortNameAliasConfPath ?? shortNameAliasCachePath(sys.uid, sys.home);
  const cache = loadAliasCache(aliasCachePath, fs.read(aliasCachePath));
  return {
    registries,
    index: buildRegistryIndex(registries),
    unqualifiedSearchRegistries: merged.search,
    unqualifiedSearchRegistriesOrigin: merged.searchOrigin,
    shortNameMode: merged.shortNameMode ?? 'permissive',
    aliases: merged.aliases,
    aliasCache: 'table' in cache ? cache.table : new Map(),
    aliasCachePath,
    aliasCacheError: 'error' in cache ? cache.error : undefined,
    credentialHelpers: merged.credentialHelpers.length > 0 ? merged.credentialHelpers : [AUTHENTICATION_FILE_HELPER],
    paths,
    filesRead,
  };
}

/** newImageSource's wrapping of a configuration error: `loading registries configuration: <err>`. */
export function dockerTransportConfError(err: RegistriesConfError): RegistriesConfError {
  return wrap(RegistriesConfError, 'conf.loading', err);
}
