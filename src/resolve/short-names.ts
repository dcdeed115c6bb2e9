/**
 * Which references an image string becomes before any registry is contacted, per runtime:
 * - crio: containers/image shortnames.Resolve with ShortNameModeDisabled (alias, else every
 *   unqualified-search registry in order; never prompts, records nothing);
 * - podman (no TTY): shortnames.Resolve with the configured mode, after dropping the tag of a
 *   `name:tag@digest` reference as podman does;
 * - skopeo: no resolution at all: `docker://X` normalizes X to docker.io like any reference.
 */
import type { RegistriesConfig, ShortNameMode } from '../config/registries-conf.js';
import type { Alias } from '../config/short-name-aliases.js';
import { ImageRefError, ShortNameError, StackError, fail, text } from '../errors/index.js';
import { parseNormalizedNamed, parseReference, tagNameOnly, type ImageRef } from '../reference/reference.js';
import type { SystemContext } from '../system-context.js';

export type ShortNameRationale =
  /** The name has a registry: one candidate, :latest added. */
  | 'fully-qualified'
  /** An alias from the alias cache or registries.conf. */
  | 'alias'
  /** One candidate per unqualified-search registry. */
  | 'unqualified-search'
  /** skopeo: normalized like docker:// (short names go to docker.io). */
  | 'docker-transport';

export interface ShortNameResolution {
  input: string;
  /** In the order they are pulled; each has a tag or digest. */
  candidates: ImageRef[];
  rationale: ShortNameRationale;
  /** The mode applied ('disabled' for crio); undefined for skopeo, which does not resolve. */
  mode?: ShortNameMode;
  /** The repository as typed, without tag or digest (what podman quotes); short names only. */
  shortName?: string;
  /** The file the alias or the search list came from. */
  origin?: string;
  /** podman's progress line: `Resolved "x" as an alias (file)` or `Resolving "x" using unqualified-search registries (file)`. */
  description?: string;
}

function stackMessage(e: unknown): string {
  if (e instanceof StackError) return e.message;
  throw e;
}

/** libimage's normalizeTaggedDigestedString: podman pulls `name:tag@digest` as `name@digest`. */
function dropTagOfDigested(input: string): string {
  try {
    const r = parseReference(input);
    return r.tag !== undefined && r.digest !== undefined ? `${r.name}@${r.digest}` : input;
  } catch {
    return input;
  }
}

/** docker.ParseReference's normalization, which is all skopeo does with an image string. */
export function dockerTransportReference(input: string): ImageRef {
  const ref = tagNameOnly(parseNormalizedNamed(input));
  if (ref.tag !== undefined && ref.digest !== undefined) throw fail(ImageRefError, 'ref.tag-and-digest');
  return ref;
}

function dockerTransportRef(input: string): ShortNameResolution {
  return { input, candidates: [dockerTransportReference(input)], rationale: 'docker-transport' };
}

function lookupAlias(config: RegistriesConfig, name: string): Alias | undefined {
  if (config.aliasCacheError) throw config.aliasCacheError;
  return config.aliasCache.get(name) ?? config.aliases.get(name);
}

/** shortnames.Resolve without a TTY. */
function resolve(config: RegistriesConfig, input: string, mode: ShortNameMode): ShortNameResolution {
  let parsed: ReturnType<typeof parseReference>;
  try {
    parsed = parseReference(input);
  } catch (e) {
    throw new ShortNameError('short.cannot-parse', text('short.cannot-parse', input, stackMessage(e)));
  }
  if (parsed.domain !== '') {
    let ref: ImageRef;
    try {
      ref = parseNormalizedNamed(input);
    } catch (e) {
      throw new ShortNameError('short.cannot-normalize', text('short.cannot-normalize', input, stackMessage(e)));
    }
    return { input, candidates: [tagNameOnly(ref)], rationale: 'fully-qualified', mode };
  }

  const shortName = parsed.name;
  const alias = lookupAlias(config, shortName);
  if (alias?.value) {
    const ref: ImageRef = { ...alias.value };
    if (parsed.tag !== undefined) ref.tag = parsed.tag;
    if (parsed.digest !== undefined) ref.digest = parsed.digest;
    return {
      input,
      candidates: [tagNameOnly(ref)],
      rationale: 'alias',
      mode,
      shortName,
      origin: alias.origin,
      description: text('short.resolved-alias', shortName, alias.origin),
    };
  }

  const search = config.unqualifiedSearchRegistries;
  const origin = config.unqualifiedSearchRegistriesOrigin;
  if (search.length === 0) {
    throw origin !== '' ? fail(ShortNameError, 'short.no-search-in', input, origin) : fail(ShortNameError, 'short.no-search-no-conf', input);
  }
  const candidates = search.map((reg) => {
    try {
      return tagNameOnly(parseNormalizedNamed(`${reg}/${input}`));
    } catch (e) {
      throw new ShortNameError('short.search-ref', text('short.search-ref', reg, stackMessage(e)));
    }
  });
  if (mode === 'enforcing' && candidates.length > 1) throw fail(ShortNameError, 'short.no-tty');
  return {
    input,
    candidates,
    rationale: 'unqualified-search',
    mode,
    shortName,
    origin,
    description: text('short.resolving-usr', shortName, origin),
  };
}

/**
 * The pull candidates for an image string under sys.runtime. Throws ShortNameError (podman, crio)
 * or ImageRefError (skopeo; the caller adds `Invalid source name docker://…: `).
 */
export function resolveShortName(config: RegistriesConfig, sys: SystemContext, input: string): ShortNameResolution {
  switch (sys.runtime) {
    case 'skopeo':
    case 'containerd':
    case 'vsphere-pod':
      // None resolves short names: `nginx` is docker.io/library/nginx.
      return dockerTransportRef(input);
    case 'podman':
      return resolve(config, dropTagOfDigested(input), config.shortNameMode);
    case 'crio':
      return resolve(config, input, 'disabled');
  }
}
