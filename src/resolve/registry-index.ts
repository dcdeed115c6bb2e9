/**
 * FindRegistry with containers/image's exact matching rules, answered from an index instead of
 * the library's linear scan, so a lookup costs the same at 10 or 10,000 entries.
 *
 * The rules (sysregistriesv2 refMatchingPrefix / refMatchingSubdomainPrefix / findRegistryWithParsedConfig):
 * - a plain prefix P matches when the name equals P or starts with P followed by ':', '/' or '@'
 *   (so `example.com` also matches `example.com:5000/…`);
 * - a wildcard `*.D` matches when the FIRST occurrence of `.D` in the name lies before any '/'
 *   and is followed by the end, ':', '/' or '@' (a later occurrence is never considered);
 * - the entry with the longest prefix string wins; on equal length the one first in prefix order.
 * So the candidates for a name are the few strings cut at its ':', '/', '@' boundaries, and the
 * few domain suffixes ending at such a boundary: each is one map lookup.
 */
import type { Registry } from '../config/registries-conf.js';

export interface RegistryIndex {
  /** Plain prefix → entry. */
  readonly plain: ReadonlyMap<string, Registry>;
  /** `*.D` wildcard entries keyed by D. */
  readonly wildcard: ReadonlyMap<string, Registry>;
}

/** Builds the index over registries already deduplicated by prefix. */
export function buildRegistryIndex(registries: readonly Registry[]): RegistryIndex {
  const plain = new Map<string, Registry>();
  const wildcard = new Map<string, Registry>();
  for (const r of registries) {
    if (r.prefix.startsWith('*.')) wildcard.set(r.prefix.slice(2), r);
    else if (r.prefix !== '') plain.set(r.prefix, r);
  }
  return { plain, wildcard };
}

function isBoundary(c: number): boolean {
  return c === 0x3a /* : */ || c === 0x2f /* / */ || c === 0x40 /* @ */;
}

/** Which of two matching entries FindRegistry keeps: longer prefix, else the earlier in sorted order. */
function better(current: Registry | undefined, candidate: Registry): Registry {
  if (!current) return candidate;
  if (candidate.prefix.length !== current.prefix.length) return candidate.prefix.length > current.prefix.length ? candidate : current;
  return candidate.prefix < current.prefix ? candidate : current;
}

/**
 * FindRegistry(sys, name): the entry governing `name` (a registry, namespace or repository name,
 * as reference.Named.Name() formats it), or undefined when none matches.
 */
export function findRegistry(index: RegistryIndex, name: string): Registry | undefined {
  let best: Registry | undefined;
  const n = name.length;
  const firstSlash = name.indexOf('/');
  const hostEnd = firstSlash === -1 ? n : firstSlash;

  // Plain prefixes: the whole name, and the name cut before each boundary character.
  if (index.plain.size > 0) {
    const whole = index.plain.get(name);
    if (whole) best = better(best, whole);
    for (let i = 0; i < n; i++) {
      if (!isBoundary(name.charCodeAt(i))) continue;
      const hit = index.plain.get(name.slice(0, i));
      if (hit) best = better(best, hit);
    }
  }

  // Wildcards: `.D` must end at a boundary that is not past the first '/'; D holds no boundary character.
  if (index.wildcard.size > 0) {
    let segStart = 0;
    for (let end = 0; end <= hostEnd; end++) {
      if (end < hostEnd && !isBoundary(name.charCodeAt(end))) continue;
      for (let dot = name.indexOf('.', segStart); dot !== -1 && dot < end; dot = name.indexOf('.', dot + 1)) {
        const domain = name.slice(dot + 1, end);
        const hit = index.wildcard.get(domain);
        if (hit && name.indexOf(`.${domain}`) === dot) best = better(best, hit);
      }
      segStart = end + 1;
    }
  }
  return best;
}
