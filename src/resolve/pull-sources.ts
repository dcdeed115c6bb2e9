/**
 * Registry.PullSourcesFromReference: the endpoints a pull tries, in order (mirrors in file order,
 * then the primary), with each endpoint's rewritten reference; plus the implicit registry the
 * docker transport uses when no [[registry]] matches.
 */
import type { Endpoint, Registry } from '../config/registries-conf.js';
import { ImageRefError, RegistriesConfError, StackError, fail, text } from '../errors/index.js';
import { parseNormalizedNamed, refName, refString, type ImageRef } from '../reference/reference.js';

export interface PullSource {
  /** The endpoint as configured: location, its own insecure flag, pull-from-mirror. */
  endpoint: Endpoint;
  isMirror: boolean;
  /** The physical reference to pull at this endpoint. */
  ref: ImageRef;
}

/** docker_image_src.go: with no matching entry, a registry whose location and prefix are the reference itself. */
export function implicitRegistry(ref: ImageRef): Registry {
  const s = refString(ref);
  return { prefix: s, location: s, insecure: false, pullFromMirror: '', mirrors: [], blocked: false, mirrorByDigestOnly: false, origin: '' };
}

/** refMatchingPrefix on a full reference string: the length of the matched prefix, or -1. */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const needle = prefix.slice(1);
    const at = ref.indexOf(needle);
    if (at === -1 || ref.slice(0, at).includes('/')) return -1;
    const end = at + needle.length;
    if (end === ref.length) return end;
    const c = ref[end];
    return c === ':' || c === '/' || c === '@' ? end : -1;
  }
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  const c = ref[prefix.length];
  return c === ':' || c === '/' || c === '@' ? prefix.length : -1;
}

/** reference.ParseNamed: a normalized parse that must give back the same string. */
function parseNamed(s: string): ImageRef {
  const r = parseNormalizedNamed(s);
  if (refString(r) !== s) throw fail(ImageRefError, 'ref.not-canonical');
  return r;
}

/** Endpoint.rewriteReference: location + what follows the prefix; a wildcard without location keeps the reference. */
export function rewriteReference(endpoint: Endpoint, ref: ImageRef, prefix: string): ImageRef {
  const s = refString(ref);
  const matched = refMatchingPrefix(s, prefix);
  if (matched === -1) throw new RegistriesConfError('conf.rewrite-bad-prefix', text('conf.rewrite-bad-prefix', prefix, s));
  if (endpoint.location === '') {
    if (!prefix.startsWith('*.')) throw new RegistriesConfError('conf.rewrite-empty-location', text('conf.rewrite-empty-location', prefix));
    return ref;
  }
  try {
    return parseNamed(endpoint.location + s.slice(matched));
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    throw new RegistriesConfError('conf.rewrite-invalid', text('conf.rewrite-invalid', e.message), e);
  }
}

/** The mirrors this reference may use: all, none or per mirror, by mirror-by-digest-only and pull-from-mirror. */
function usableMirrors(registry: Registry, digested: boolean): readonly Endpoint[] {
  if (registry.mirrorByDigestOnly) return digested ? registry.mirrors : [];
  return registry.mirrors.filter((m) => (m.pullFromMirror === 'digest-only' ? digested : m.pullFromMirror === 'tag-only' ? !digested : true));
}

/** PullSourcesFromReference: mirrors first (file order), the primary always last. Throws `rewriting reference: …`. */
export function pullSourcesFromReference(registry: Registry, ref: ImageRef): PullSource[] {
  const sources: PullSource[] = [];
  for (const m of usableMirrors(registry, ref.digest !== undefined)) {
    sources.push({ endpoint: m, isMirror: true, ref: rewriteReference(m, ref, registry.prefix) });
  }
  const primary: Endpoint = { location: registry.location, insecure: registry.insecure, pullFromMirror: '' };
  sources.push({ endpoint: primary, isMirror: false, ref: rewriteReference(primary, ref, registry.prefix) });
  return sources;
}

/** What newImageSource passes to FindRegistry: the repository name, never the tag or digest. */
export function findRegistryKey(ref: ImageRef): string {
  return refName(ref);
}
