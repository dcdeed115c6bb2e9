/**
 * The common shape of an image reference, read by one pattern instead of the grammar's several:
 * compare looks at 100,000 of them, and almost all are `host.domain/path:tag` or
 * `host.domain/path@sha256:…`. Only a strict subset is accepted — lowercase host with a dot or a
 * port, lowercase path components, a tag or a sha256 digest (not both), no normalization needed —
 * and for it the answer is exactly what resolution gives (tagNameOnly(ParseNormalizedNamed(s))
 * for every runtime). Anything else is answered -1 and takes the full parser. One compiled
 * expression runs in about a third of the time of the same scan written as a character loop.
 */
import type { ImageRef } from '../reference/reference.js';

const NAME_TOTAL_LENGTH_MAX = 255;

const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/**
 * A host of labels with a '.' or a port (the lookahead: before the first '/'), then path
 * components; then a tag (a word character and up to 127 more of [\w.-]) or a sha256 digest, or
 * nothing. No character it accepts needs escaping in XML or JSON.
 */
const COMMON = new RegExp(`^(?=[^/]*[.:])${LABEL}(?:\\.${LABEL})*(?::[0-9]+)?/${COMPONENT}(?:/${COMPONENT})*(?::\\w[\\w.-]{0,127}|@sha256:[a-f0-9]{64})?$`);

/**
 * Where the name (host/path) of a fully qualified reference of the common shape ends, or -1 (use
 * the full parser). What follows the name is a valid tag or sha256 digest, or nothing.
 */
export function qualifiedNameEnd(s: string): number {
  // test() allocates nothing; in an accepted text the name ends at the '@', else at a ':' after the last '/'.
  if (!COMMON.test(s)) return -1;
  const at = s.indexOf('@');
  const colon = s.lastIndexOf(':');
  const end = at !== -1 ? at : colon > s.lastIndexOf('/') ? colon : s.length;
  if (end > NAME_TOTAL_LENGTH_MAX) return -1;
  // docker.io and index.docker.io are normalized (library/, the legacy host): the full parser does that.
  if (s.startsWith('docker.io/')) return s.indexOf('/', 10) === -1 || s.indexOf('/', 10) >= end ? -1 : end;
  if (s.startsWith('index.docker.io/')) return -1;
  return end;
}

/**
 * Where the part of an image before its first '/' ends, when that part names a registry: it holds a
 * '.' or a ':' (a port) or is localhost, which every runtime reads as a domain; -1 otherwise.
 */
export function registryPartEnd(s: string): number {
  const slash = s.indexOf('/');
  if (slash <= 0) return -1;
  const colon = s.indexOf(':');
  const dot = s.indexOf('.');
  return (colon !== -1 && colon < slash) || (dot !== -1 && dot < slash) || (slash === 9 && s.startsWith('localhost')) ? slash : -1;
}

/**
 * Where the name ends in an image that names a registry other than Docker Hub (the part before the
 * first '/' holds a '.' or a ':' or is localhost, and is not docker.io or index.docker.io, which are
 * normalized) with a tag or a digest or neither, valid or not: up to the '@', else up to a ':'
 * after the last '/'; -1 otherwise. For a valid reference that is exactly the name resolution gives;
 * an invalid one fails the same way under any configuration, so a caller that compares two
 * configurations may treat it like any other name.
 */
export function registryNameEnd(s: string): number {
  const slash = registryPartEnd(s);
  if (slash === -1 || (slash === 9 && s.startsWith('docker.io')) || (slash === 15 && s.startsWith('index.docker.io'))) return -1;
  const at = s.indexOf('@');
  const lastSlash = s.lastIndexOf('/', at === -1 ? s.length : at);
  const tag = s.indexOf(':', lastSlash + 1);
  if (at !== -1) return at < slash || (tag !== -1 && tag < at) ? -1 : at;
  return tag === -1 ? s.length : tag;
}

/** The single pull candidate of a reference whose name ends at `end` (qualifiedNameEnd, registryNameEnd): tagNameOnly(ParseNormalizedNamed(s)) when valid. */
export function qualifiedReference(s: string, end: number): ImageRef {
  const slash = s.indexOf('/');
  const domain = s.slice(0, slash);
  const path = s.slice(slash + 1, end);
  if (end === s.length) return { domain, path, tag: 'latest' };
  return s.charCodeAt(end) === 0x40 ? { domain, path, digest: s.slice(end + 1) } : { domain, path, tag: s.slice(end + 1) };
}
