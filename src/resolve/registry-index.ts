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
 * So a plain prefix matching a name has the name's first segment (up to its first ':', '/' or
 * '@') as its own first segment: entries are grouped by it, longest first, and one map lookup
 * finds the few to compare. A wildcard's D is what follows a '.' in the name up to a boundary:
 * only the cuts whose length some D has are looked up.
 */
import type { Registry } from '../config/registries-conf.js';

export interface RegistryIndex {
  /** Plain prefixes by their first segment, longest first, equal lengths in byte order (the one FindRegistry keeps first). */
  readonly plain: ReadonlyMap<string, readonly Registry[]>;
  /** headLengths[L] is 1 when some plain prefix's first segment is L characters long. */
  readonly headLengths: Uint8Array;
  /** `*.D` wildcard entries keyed by D. */
  readonly wildcard: ReadonlyMap<string, Registry>;
  /** wildcardLengths[L] is 1 when some D is L characters long. */
  readonly wildcardLengths: Uint8Array;
}

function isBoundary(c: number): boolean {
  return c === 0x3a /* : */ || c === 0x2f /* / */ || c === 0x40 /* @ */;
}

/**
 * Where a name's first segment ends: its first ':', '/' or '@', else its length. Three native
 * searches: a charCodeAt loop over a name built by concatenation cost 4× as much.
 */
function firstSegmentEnd(s: string): number {
  let end = s.length;
  let i = s.indexOf('/');
  if (i !== -1) end = i;
  i = s.indexOf(':');
  if (i !== -1 && i < end) end = i;
  i = s.indexOf('@');
  if (i !== -1 && i < end) end = i;
  return end;
}

/** a[from, to) === b[from, to), both at least `to` long. */
function sameFrom(a: string, b: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Builds the index over registries already deduplicated by prefix. */
export function buildRegistryIndex(registries: readonly Registry[]): RegistryIndex {
  const plain = new Map<string, Registry[]>();
  const wildcard = new Map<string, Registry>();
  let longest = 0;
  for (const r of registries) {
    if (r.prefix.startsWith('*.')) {
      wildcard.set(r.prefix.slice(2), r);
      longest = Math.max(longest, r.prefix.length - 2);
    } else if (r.prefix !== '') {
      const head = r.prefix.slice(0, firstSegmentEnd(r.prefix));
      const list = plain.get(head);
      if (list) list.push(r);
      else plain.set(head, [r]);
    }
  }
  for (const list of plain.values()) list.sort((a, b) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const wildcardLengths = new Uint8Array(longest + 1);
  for (const d of wildcard.keys()) wildcardLengths[d.length] = 1;
  let longestHead = 0;
  for (const h of plain.keys()) longestHead = Math.max(longestHead, h.length);
  const headLengths = new Uint8Array(longestHead + 1);
  for (const h of plain.keys()) headLengths[h.length] = 1;
  return { plain, headLengths, wildcard, wildcardLengths };
}

/** Which of two matching entries FindRegistry keeps: longer prefix, else the earlier in sorted order. */
function better(current: Registry | undefined, candidate: Registry): Registry {
  if (!current) return candidate;
  if (candidate.prefix.length !== current.prefix.length) return candidate.prefix.length > current.prefix.length ? candidate : current;
  return candidate.prefix < current.prefix ? candidate : current;
}

/** Whether `.D` occurs in name before `dot`: FindRegistry looks only at the first occurrence. */
function occursEarlier(name: string, dot: number, domain: string): boolean {
  for (let d = name.indexOf('.'); d !== -1 && d < dot; d = name.indexOf('.', d + 1)) {
    if (name.startsWith(domain, d + 1)) return true;
  }
  return false;
}

/**
 * FindRegistry(sys, name): the entry governing `name` (a registry, namespace or repository name,
 * as reference.Named.Name() formats it), or undefined when none matches.
 */
export function findRegistry(index: RegistryIndex, name: string): Registry | undefined {
  let best: Registry | undefined;
  const n = name.length;
  const headEnd = firstSegmentEnd(name);

  // A head no plain prefix has the length of is not looked up: hashing a fresh slice is most of a miss.
  if (headEnd < index.headLengths.length && index.headLengths[headEnd] === 1) {
    const group = index.plain.get(headEnd === n ? name : name.slice(0, headEnd));
    if (group) {
      // The map lookup has matched the head: only what a prefix has past it is compared, after
      // the cheap length and boundary checks.
      for (const r of group) {
        const p = r.prefix;
        const len = p.length;
        if (len > n || (len < n && !isBoundary(name.charCodeAt(len)))) continue;
        if (len === headEnd || sameFrom(name, p, headEnd, len)) {
          best = r;
          break;
        }
      }
    }
  }

  // Wildcards: `.D` must end at a boundary that is not past the first '/'; D holds no boundary character.
  if (index.wildcard.size > 0) {
    const lengths = index.wildcardLengths;
    const firstSlash = name.indexOf('/');
    const hostEnd = firstSlash === -1 ? n : firstSlash;
    let segStart = 0;
    for (let end = headEnd; end <= hostEnd; end++) {
      if (end < hostEnd && !isBoundary(name.charCodeAt(end))) continue;
      for (let dot = name.indexOf('.', segStart); dot !== -1 && dot < end; dot = name.indexOf('.', dot + 1)) {
        const len = end - dot - 1;
        if (len >= lengths.length || lengths[len] === 0) continue;
        const domain = name.slice(dot + 1, end);
        const hit = index.wildcard.get(domain);
        if (hit && !occursEarlier(name, dot, domain)) best = better(best, hit);
      }
      segStart = end + 1;
    }
  }
  return best;
}
