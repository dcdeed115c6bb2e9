/**
 * The common shape of an image reference, read by one scan instead of the grammar's regular
 * expressions: compare looks at 100,000 of them, and almost all are `host.domain/path:tag` or
 * `host.domain/path@sha256:…`. Only a strict subset is accepted — lowercase host with a dot or a
 * port, lowercase path components, a tag or a sha256 digest (not both), no normalization needed —
 * and for it the answer is exactly what resolution gives (tagNameOnly(ParseNormalizedNamed(s))
 * for every runtime). Anything else is answered -1 and takes the full parser.
 */
import type { ImageRef } from '../reference/reference.js';

const NAME_TOTAL_LENGTH_MAX = 255;
const TAG_MAX = 128;

function isLowerAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

function isWord(c: number): boolean {
  return isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** Where a lowercase host (labels joined by '.', optional :port) that ends at '/' stops, or -1; requires a '.' or a port. */
function hostEnd(s: string): number {
  let i = 0;
  let dotted = false;
  for (;;) {
    // One label: [a-z0-9] ([a-z0-9-]* [a-z0-9])?
    if (i >= s.length || !isLowerAlnum(s.charCodeAt(i))) return -1;
    let last = s.charCodeAt(i++);
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (!isLowerAlnum(c) && c !== 0x2d) break;
      last = c;
      i++;
    }
    if (last === 0x2d) return -1;
    if (s.charCodeAt(i) !== 0x2e) break;
    dotted = true;
    i++;
  }
  let port = false;
  if (s.charCodeAt(i) === 0x3a) {
    const start = ++i;
    while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    if (i === start) return -1;
    port = true;
  }
  return s.charCodeAt(i) === 0x2f && (dotted || port) ? i : -1;
}

/** Where a path (components of [a-z0-9]+ joined by '.', '_', '__' or '-'+, separated by '/') starting at i stops, or -1. */
function pathEnd(s: string, i: number): number {
  for (;;) {
    if (i >= s.length || !isLowerAlnum(s.charCodeAt(i))) return -1;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (isLowerAlnum(c)) i++;
      else if (c === 0x2e || c === 0x5f || c === 0x2d) {
        let j = i + 1;
        if (c === 0x5f && s.charCodeAt(j) === 0x5f) j++;
        else if (c === 0x2d) while (s.charCodeAt(j) === 0x2d) j++;
        if (!isLowerAlnum(s.charCodeAt(j))) return -1;
        i = j;
      } else break;
    }
    if (s.charCodeAt(i) !== 0x2f) return i;
    i++;
  }
}

function isSha256Digest(s: string, at: number): boolean {
  if (s.length - at !== 71 || !s.startsWith('sha256:', at)) return false;
  for (let i = at + 7; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * Where the name (host/path) of a fully qualified reference of the common shape ends, or -1 (use
 * the full parser). What follows the name is a valid tag or sha256 digest, or nothing.
 */
export function qualifiedNameEnd(s: string): number {
  const slash = hostEnd(s);
  if (slash === -1) return -1;
  const end = pathEnd(s, slash + 1);
  if (end === -1 || end > NAME_TOTAL_LENGTH_MAX) return -1;
  // docker.io and index.docker.io are normalized (library/, the legacy host): the full parser does that.
  const hostIs = (host: string) => slash === host.length && s.startsWith(host);
  if (hostIs('index.docker.io')) return -1;
  if (hostIs('docker.io')) {
    const inner = s.indexOf('/', slash + 1);
    if (inner === -1 || inner >= end) return -1;
  }
  if (end === s.length) return end;
  const c = s.charCodeAt(end);
  if (c === 0x40) return isSha256Digest(s, end + 1) ? end : -1;
  if (c !== 0x3a) return -1;
  const tagLength = s.length - end - 1;
  if (tagLength < 1 || tagLength > TAG_MAX || !isWord(s.charCodeAt(end + 1))) return -1;
  for (let i = end + 2; i < s.length; i++) {
    const t = s.charCodeAt(i);
    if (!isWord(t) && t !== 0x2e && t !== 0x2d) return -1;
  }
  return end;
}

/** The single pull candidate of a reference whose name ends at `end` (qualifiedNameEnd): tagNameOnly(ParseNormalizedNamed(s)). */
export function qualifiedReference(s: string, end: number): ImageRef {
  const slash = s.indexOf('/');
  const domain = s.slice(0, slash);
  const path = s.slice(slash + 1, end);
  if (end === s.length) return { domain, path, tag: 'latest' };
  return s.charCodeAt(end) === 0x40 ? { domain, path, digest: s.slice(end + 1) } : { domain, path, tag: s.slice(end + 1) };
}
