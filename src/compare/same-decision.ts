/**
 * The compare fast path: whether an image's decision is certainly the same on both sides, so the
 * full `explain` need not run for it.
 *
 * Why it is exact. `explain` is a pure function of the node files, the system context, the pod's
 * pull secrets and the image. Of the files, registries.conf and its drop-ins reach it only as the
 * merged configuration: its global settings (search list and the file that set it, short-name mode,
 * aliases and the alias cache, credential helpers, the paths) and its [[registry]] table, which is
 * consulted only through FindRegistry — for each candidate's name, and for each pull source's
 * rewritten name (newDockerClient's blocked lookup). So when everything but the [[registry]] table
 * is identical (checked once per side here), the two decisions can differ only if one of those
 * FindRegistry answers differs in content. The candidates and the source names come from the
 * shared settings and the matched entry, so equal answers along the way give equal names on both
 * sides. Anything this cannot vouch for (different settings, a differing entry that may govern
 * the image) is answered "maybe different" and the caller runs the full explain for that image.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import type { Registry, RegistriesConfig } from '../config/registries-conf.js';
import { keptRegistriesConf } from '../explain/explain.js';
import type { NodeFS } from '../node-fs.js';
import { refName, type ImageRef } from '../reference/reference.js';
import { pullSourcesFromReference } from '../resolve/pull-sources.js';
import { buildRegistryIndex, findRegistry, type RegistryIndex } from '../resolve/registry-index.js';
import { resolveShortName } from '../resolve/short-names.js';
import type { SystemContext } from '../system-context.js';
import { qualifiedNameEnd, qualifiedReference, registryNameEnd, registryPartEnd } from './fast-reference.js';

export interface SideInput {
  fs: NodeFS;
  sys: SystemContext;
}

/** Every file of a node except the ones named, as path → content, and its empty folders. */
function filesExcept(fs: NodeFS, skip: ReadonlySet<string>): Map<string, string | Uint8Array | undefined> {
  const out = new Map<string, string | Uint8Array | undefined>();
  const walk = (dir: string): void => {
    const names = fs.list(dir);
    if (names.length === 0 && dir !== '/') out.set(`${dir}/`, '');
    for (const name of names) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (fs.isDir(p)) walk(p);
      else if (!skip.has(p)) out.set(p, fs.source ? fs.source(p) : fs.read(p));
    }
  };
  walk('/');
  return out;
}

function sameBytes(a: string | Uint8Array | undefined, b: string | Uint8Array | undefined): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** registries.conf's merged settings other than the [[registry]] table. */
function settings(c: RegistriesConfig): string {
  return JSON.stringify({
    search: c.unqualifiedSearchRegistries,
    searchOrigin: c.unqualifiedSearchRegistriesOrigin,
    mode: c.shortNameMode,
    aliases: [...c.aliases],
    aliasCache: [...c.aliasCache],
    aliasCachePath: c.aliasCachePath,
    aliasCacheError: c.aliasCacheError?.message,
    credentialHelpers: c.credentialHelpers,
    paths: c.paths,
  });
}

/** registries.conf as explain loads it (the same kept load), or undefined when it does not load. */
function configOf(side: SideInput): RegistriesConfig | undefined {
  try {
    return keptRegistriesConf(side.fs, side.sys);
  } catch {
    return undefined;
  }
}

/** Both configurations, when everything but their [[registry]] tables is the same; else undefined. */
function sharedSettings(a: SideInput, b: SideInput): [RegistriesConfig, RegistriesConfig] | undefined {
  if (JSON.stringify(a.sys) !== JSON.stringify(b.sys)) return undefined;
  const ca = configOf(a);
  const cb = configOf(b);
  if (!ca || !cb || settings(ca) !== settings(cb)) return undefined;
  const fa = filesExcept(a.fs, new Set(ca.filesRead));
  const fb = filesExcept(b.fs, new Set(cb.filesRead));
  if (fa.size !== fb.size) return undefined;
  for (const [p, content] of fa) if (!fb.has(p) || !sameBytes(content, fb.get(p))) return undefined;
  return [ca, cb];
}

/** Whether two entries of the same prefix decide alike: all but the file they came from (which explain's compared facts leave out too). */
function sameContent(r: Registry, o: Registry): boolean {
  if (r.location !== o.location || r.insecure !== o.insecure || r.blocked !== o.blocked || r.mirrorByDigestOnly !== o.mirrorByDigestOnly || r.mirrors.length !== o.mirrors.length) return false;
  return r.mirrors.every((m, i) => m.location === o.mirrors[i].location && m.insecure === o.mirrors[i].insecure && m.pullFromMirror === o.mirrors[i].pullFromMirror);
}

/** The entries whose prefix is on one side only or whose content differs, from either side (only their prefixes matter). */
function differingEntries(a: RegistriesConfig, b: RegistriesConfig): Registry[] {
  const inB = new Map(b.registries.map((r) => [r.prefix, r]));
  const out: Registry[] = [];
  for (const r of a.registries) {
    const other = inB.get(r.prefix);
    inB.delete(r.prefix);
    if (!other || !sameContent(r, other)) out.push(r);
  }
  return [...out, ...inB.values()];
}

function isBoundary(c: string): boolean {
  return c === ':' || c === '/' || c === '@';
}

/** Where a name's first segment ends (its first ':', '/' or '@'), as the registry index groups prefixes. */
function firstSegmentEnd(s: string): number {
  for (let i = 0; i < s.length; i++) if (isBoundary(s[i]!)) return i;
  return s.length;
}

/**
 * FindRegistry's two answers for a name differ in content only if some differing prefix matches
 * the name: otherwise both sides choose among the same matching prefixes, by the same rule, and
 * each of those has the same content on both. So one lookup in an index of the differing prefixes
 * (usually a handful) settles most names; the others compare the two answers themselves.
 */
export class SameDecision {
  private readonly differing: RegistryIndex;
  /** The first segments (up to ':', '/' or '@') of differingPlain's prefixes; undefined with it. */
  private readonly differingHeads: readonly string[] | undefined;
  /** The differing entries, when a few plain prefixes, in the order FindRegistry prefers them; undefined when a wildcard differs. */
  private readonly differingPlain: readonly Registry[] | undefined;
  /** Entries (of side a) with a pull source that a differing prefix may govern: their sources are looked up too. */
  private readonly checkSources = new Set<Registry>();

  private constructor(
    private readonly a: RegistriesConfig,
    private readonly b: RegistriesConfig,
    private readonly sys: SystemContext,
  ) {
    const differing = differingEntries(a, b);
    this.differing = buildRegistryIndex(differing);
    // A source name is an endpoint location followed by a boundary and the rest of the name, so a
    // differing prefix can govern it only if it governs the location, or the location is the
    // prefix cut at a boundary. A differing wildcard: every rewriting entry is checked.
    const cuts = new Set<string>();
    let wildcard = false;
    for (const r of differing) {
      if (r.prefix.startsWith('*.')) wildcard = true;
      for (let i = 1; i <= r.prefix.length; i++) if (i === r.prefix.length || isBoundary(r.prefix[i])) cuts.add(r.prefix.slice(0, i));
    }
    this.differingPlain = wildcard || differing.length > 16 ? undefined : differing.filter((r) => r.prefix !== '').sort((x, y) => y.prefix.length - x.prefix.length || (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : 0));
    this.differingHeads = this.differingPlain && [...new Set(this.differingPlain.map((r) => r.prefix.slice(0, firstSegmentEnd(r.prefix))))];
    const governed = (location: string) => location !== '' && (wildcard || cuts.has(location) || findRegistry(this.differing, location) !== undefined);
    for (const r of a.registries) {
      const rewrites = r.mirrors.length > 0 || (r.location !== '' && r.location !== r.prefix);
      if (rewrites && (governed(r.location) || r.mirrors.some((m) => governed(m.location)))) this.checkSources.add(r);
    }
  }

  /** The check for two sides, or undefined when their settings differ (every image then takes the full path). */
  static for(a: SideInput, b: SideInput): SameDecision | undefined {
    const shared = sharedSettings(a, b);
    return shared && new SameDecision(shared[0], shared[1], a.sys);
  }

  /**
   * FindRegistry over the differing entries alone. When they are a few plain prefixes (sorted as
   * the index sorts a group: longest first, equal lengths in byte order), the first that matches is
   * the answer, without the index's slice and hash of the name's first segment.
   */
  private differingMatch(name: string): Registry | undefined {
    if (this.differingPlain === undefined) return findRegistry(this.differing, name);
    for (const r of this.differingPlain) {
      const p = r.prefix;
      if (name.startsWith(p) && (name.length === p.length || isBoundary(name[p.length]!))) return r;
    }
    return undefined;
  }

  /** Whether FindRegistry answers `name` with the same content on both sides. */
  private sameAnswer(name: string): boolean {
    const d = this.differingMatch(name);
    if (d === undefined) return true;
    const ra = findRegistry(this.a.index, name);
    // Side a's answer beats every differing prefix that matches: side b has it too, and nothing better.
    if (ra !== undefined && (ra.prefix.length > d.prefix.length || (ra.prefix.length === d.prefix.length && ra.prefix < d.prefix))) return true;
    const rb = findRegistry(this.b.index, name);
    if (ra === undefined || rb === undefined) return ra === rb;
    return ra.prefix === rb.prefix && sameContent(ra, rb);
  }

  /** A candidate by its name (refName of `ref()`); the reference is built only when an entry's sources must be followed. */
  private sameCandidate(name: string, ref: () => ImageRef): boolean {
    if (!this.sameAnswer(name)) return false;
    if (this.checkSources.size === 0) return true;
    const entry = findRegistry(this.a.index, name);
    if (entry === undefined || !this.checkSources.has(entry)) return true;
    let sources;
    try {
      sources = pullSourcesFromReference(entry, ref());
    } catch {
      return true; // the same entry and reference fail alike on both sides
    }
    return sources.every((s) => this.sameAnswer(refName(s.ref)));
  }

  /** Whether the pod secrets the two sides give an image are the same (memoized by `key`). */
  sameSecrets(key: string, a: () => KeyringSource[], b: () => KeyringSource[]): boolean {
    let same = this.secretsSame.get(key);
    if (same === undefined) this.secretsSame.set(key, (same = JSON.stringify(a()) === JSON.stringify(b())));
    return same;
  }

  private readonly secretsSame = new Map<string, boolean>();

  /**
   * Whether the image names a registry (the part before its first '/' holds a '.' or a ':' or is
   * localhost, which every runtime reads as a domain) whose first segment no differing prefix has.
   * Valid or not, such an image's decision is then the shared settings' and the same entries':
   * its one candidate's name, and every name FindRegistry is asked about, start with that segment
   * (index.docker.io is read as docker.io), and an invalid reference fails alike on both sides.
   */
  private otherRegistry(image: string, heads: readonly string[]): boolean {
    const slash = registryPartEnd(image);
    if (slash === -1) return false;
    // The first segment ends at the first ':' or '@' of that part.
    let end = slash;
    for (let i = 0; i < slash && end === slash; i++) {
      const c = image.charCodeAt(i);
      if (c === 0x3a || c === 0x40) end = i;
    }
    const legacy = end === 15 && image.startsWith('index.docker.io');
    for (const h of heads) {
      if (legacy ? h === 'docker.io' : h.length === end && image.startsWith(h)) return false;
    }
    return true;
  }

  /** True when the image's decision is certainly equal on both sides; false means "run explain and see". */
  image(image: string): boolean {
    // A plain prefix matches only names with its first segment: no differing one, no lookup.
    if (this.checkSources.size === 0 && this.differingHeads && this.otherRegistry(image, this.differingHeads)) return true;
    // A name on a registry needs no grammar: valid, it is its own one candidate; invalid, it fails alike.
    let end = registryNameEnd(image);
    if (end === -1) end = qualifiedNameEnd(image);
    if (end !== -1) return this.sameCandidate(image.slice(0, end), () => qualifiedReference(image, end));
    let candidates: ImageRef[];
    try {
      candidates = resolveShortName(this.a, this.sys, image).candidates;
    } catch {
      return true; // a refused name: its decision is the shared settings' alone
    }
    return candidates.every((c) => this.sameCandidate(refName(c), () => c));
  }
}
