/**
 * The distribution reference grammar as containers/image 5.23.1 vendors it (docker/reference):
 * parsing, normalization to docker.io/library/…, and the exact error for each kind of bad input.
 */
import { fail, ImageRefError } from '../errors/index.js';

export interface ImageRef {
  /** Registry host[:port], normalized: docker.io for Docker Hub. */
  domain: string;
  /** Repository path within the registry, e.g. library/busybox. */
  path: string;
  tag?: string;
  /** algorithm:hex */
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO = 'library';
const NAME_TOTAL_LENGTH_MAX = 255;

// docker/reference writes the separator as (?:[._]|__|[-]*): its empty branch lets RE2 split a run
// of [a-z0-9] any way it likes at no cost, but makes a backtracking engine try every split (a
// 300-character name took minutes). `-+` matches the same names: an empty separator only joins
// two alphanumeric runs into one. Likewise a domain component is one label, written unambiguously.
const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|-+)';
/** docker/reference's path component, for every grammar that reuses it. */
export const NAME_COMPONENT = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const nameComponent = NAME_COMPONENT;
const domainComponent = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/** docker/reference's DomainRegexp (host[:port]), unanchored. */
export const DOMAIN = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const domain = DOMAIN;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const name = `(?:${domain}/)?${nameComponent}(?:/${nameComponent})*`;
const referenceRegexp = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
const anchoredIdentifier = /^[a-f0-9]{64}$/;
const domainRegexp = new RegExp(`^${domain}$`);
const digestAnchored = new RegExp(`^${digest}$`);

const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function validateDigest(d: string): void {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) throw fail(ImageRefError, 'ref.digest-invalid-format');
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const want = digestLengths[algorithm];
  if (want === undefined) {
    if (!digestAnchored.test(d)) throw fail(ImageRefError, 'ref.digest-invalid-format');
    throw fail(ImageRefError, 'ref.digest-unsupported');
  }
  if (encoded.length !== want) throw fail(ImageRefError, 'ref.digest-invalid-length');
  if (!/^[a-f0-9]+$/.test(encoded)) throw fail(ImageRefError, 'ref.digest-invalid-format');
}

/** reference.Parse: a reference as written, without normalization. */
export function parseReference(s: string): ImageRef & { name: string } {
  const m = referenceRegexp.exec(s);
  if (!m) {
    if (s === '') throw fail(ImageRefError, 'ref.name-empty');
    if (referenceRegexp.test(s.toLowerCase())) throw new ImageRefError('ref.not-lowercase', 'repository name must be lowercase');
    throw fail(ImageRefError, 'ref.invalid-format');
  }
  const full = m[1];
  if (full.length > NAME_TOTAL_LENGTH_MAX) throw fail(ImageRefError, 'ref.name-too-long');
  if (m[3] !== undefined) validateDigest(m[3]);
  const slash = full.indexOf('/');
  let dom = '';
  let path = full;
  if (slash >= 0 && domainRegexp.test(full.slice(0, slash)) && looksLikeDomain(full.slice(0, slash))) {
    dom = full.slice(0, slash);
    path = full.slice(slash + 1);
  }
  return { name: full, domain: dom, path, tag: m[2], digest: m[3] };
}

function looksLikeDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** splitDockerDomain: the first component is a registry only if it has '.' or ':' or is localhost. */
export function splitDockerDomain(s: string): { domain: string; remainder: string } {
  const i = s.indexOf('/');
  let dom: string;
  let remainder: string;
  if (i === -1 || (!looksLikeDomain(s.slice(0, i)))) {
    dom = DEFAULT_DOMAIN;
    remainder = s;
  } else {
    dom = s.slice(0, i);
    remainder = s.slice(i + 1);
  }
  if (dom === LEGACY_DEFAULT_DOMAIN) dom = DEFAULT_DOMAIN;
  if (dom === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `${OFFICIAL_REPO}/${remainder}`;
  return { domain: dom, remainder };
}

/** reference.ParseNormalizedNamed: what `docker://X` and CRI-O apply to an image string. */
/**
 * Parsed references by input: a pull resolves the same names many times (candidates, pull
 * sources, their rewrites), and a parse is a pure function of the string. Entries are frozen
 * because every caller shares them.
 */
const parsedNamed = new Map<string, ImageRef>();

export function parseNormalizedNamed(s: string): ImageRef {
  let ref = parsedNamed.get(s);
  if (ref === undefined) {
    if (parsedNamed.size >= 10_000) parsedNamed.clear();
    parsedNamed.set(s, (ref = Object.freeze(parseNormalizedNamedUncached(s))));
  }
  return ref;
}

/** The parse itself, without the cache: what a benchmark against containers/image's parser measures. */
export function parseNormalizedNamedUncached(s: string): ImageRef {
  if (anchoredIdentifier.test(s)) {
    throw new ImageRefError('ref.invalid-format', `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain: dom, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) throw fail(ImageRefError, 'ref.not-lowercase');
  const r = parseReference(`${dom}/${remainder}`);
  return withoutName({ domain: dom, path: r.name.slice(dom.length + 1), tag: r.tag, digest: r.digest });
}

function withoutName(r: ImageRef): ImageRef {
  const out: ImageRef = { domain: r.domain, path: r.path };
  if (r.tag !== undefined) out.tag = r.tag;
  if (r.digest !== undefined) out.digest = r.digest;
  return out;
}

/** reference.TagNameOnly: adds :latest when the reference has neither tag nor digest. */
export function tagNameOnly(r: ImageRef): ImageRef {
  return r.tag === undefined && r.digest === undefined ? { ...r, tag: 'latest' } : r;
}

/** Name(): domain/path. */
export function refName(r: ImageRef): string {
  return `${r.domain}/${r.path}`;
}

/** String(): name[:tag][@digest]. */
export function refString(r: ImageRef): string {
  return refName(r) + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/** FamiliarString(): the Docker Hub domain and library/ dropped, as `docker://busybox:latest` prints. */
export function familiarString(r: ImageRef): string {
  let n = refName(r);
  if (r.domain === DEFAULT_DOMAIN) {
    n = r.path.startsWith(`${OFFICIAL_REPO}/`) && r.path.split('/').length === 2 ? r.path.slice(OFFICIAL_REPO.length + 1) : r.path;
  }
  return n + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/** The tag or digest as containers/image names the manifest it reads ("reading manifest v1 in …"). */
export function manifestRefOf(r: ImageRef): string {
  return r.digest ?? r.tag ?? 'latest';
}

/** Whether the string is a short name by containers/image's rule (no '.' or ':' in the first component, not localhost). */
export function isShortName(s: string): boolean {
  const i = s.indexOf('/');
  return i === -1 || !looksLikeDomain(s.slice(0, i));
}
