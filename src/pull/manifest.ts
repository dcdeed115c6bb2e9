/**
 * Manifest formats as containers/image 5.23.1 handles them when pulling: the Accept list it
 * sends, which types are lists, choosing a platform's instance (manifest/docker_schema2_list.go,
 * manifest/oci_index.go, internal/pkg/platform/platform_matcher.go) and the blobs an image needs.
 */
import { createHash } from 'node:crypto';
import { fail, RegistryApiError } from '../errors/index.js';
import { goJsonKind, parseGoJson, unmarshalTypeError } from '../config/go-json.js';

export const MEDIA_TYPE = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  schema2: 'application/vnd.docker.distribution.manifest.v2+json',
  schema2List: 'application/vnd.docker.distribution.manifest.list.v2+json',
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** manifest.DefaultRequestedManifestMIMETypes, in c/i's order (one Accept header line each). */
export const REQUESTED_MANIFEST_TYPES: readonly string[] = [
  MEDIA_TYPE.ociManifest,
  MEDIA_TYPE.schema2,
  MEDIA_TYPE.schema1Signed,
  MEDIA_TYPE.schema1,
  MEDIA_TYPE.schema2List,
  MEDIA_TYPE.ociIndex,
];

/** manifest.MIMETypeIsMultiImage on the Content-Type the registry sent. */
export function isManifestList(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE.schema2List || mediaType === MEDIA_TYPE.ociIndex;
}

/** manifest.NormalizedMIMEType: anything unrecognised is treated as signed schema1. */
export function normalizedMediaType(mediaType: string): string {
  if (mediaType === 'application/json') return MEDIA_TYPE.schema1Signed;
  return (Object.values(MEDIA_TYPE) as string[]).includes(mediaType) ? mediaType : MEDIA_TYPE.schema1Signed;
}

/** sha256 digest of the bytes as served. */
export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

export interface Platform {
  os: string;
  arch: string;
  /** The variant wanted: --variant, or what the host CPU reports (v8 on arm64); empty for none. */
  variant?: string;
}

interface WantedPlatform {
  os: string;
  arch: string;
  variant: string;
}

const VARIANT_COMPATIBILITY: Record<string, string[]> = {
  arm: ['v8', 'v7', 'v6', 'v5'],
  arm64: ['v8'],
};

/** platform.WantedPlatforms: the exact platform first, then the variants it can also run. */
export function wantedPlatforms(p: Platform): WantedPlatform[] {
  const wantedVariant = p.variant ?? '';
  let variants: string[];
  if (wantedVariant !== '') {
    const order = VARIANT_COMPATIBILITY[p.arch];
    const at = order ? order.indexOf(wantedVariant) : -1;
    variants = at >= 0 ? [...order.slice(at), ''] : [wantedVariant, ''];
  } else variants = ['', ...(VARIANT_COMPATIBILITY[p.arch] ?? [])];
  return variants.map((variant) => ({ os: p.os, arch: p.arch, variant }));
}

interface ListEntry {
  digest: string;
  platform?: { os: string; arch: string; variant: string };
}

/**
 * manifest.ListFromBlob(...).ChooseInstance: the digest of the instance for the platform.
 * Schema2 lists need an exact (arch, os, variant) match; OCI indexes also accept an entry
 * without a platform when nothing matches.
 */
export function chooseInstance(bytes: Uint8Array, mediaType: string, platform: Platform): string {
  const normalized = normalizedMediaType(mediaType);
  const isIndex = normalized === MEDIA_TYPE.ociIndex;
  if (normalized !== MEDIA_TYPE.schema2List && !isIndex) {
    if ([MEDIA_TYPE.schema1, MEDIA_TYPE.schema1Signed, MEDIA_TYPE.ociManifest, MEDIA_TYPE.schema2].includes(normalized as never)) {
      throw fail(RegistryApiError, 'docker.list-single-image');
    }
    throw fail(RegistryApiError, 'docker.list-unimplemented', mediaType, normalized);
  }
  const entries = parseList(bytes, isIndex);
  const wanted = wantedPlatforms(platform);
  for (const w of wanted) {
    for (const e of entries) {
      if (e.platform && e.platform.arch === w.arch && e.platform.os === w.os && e.platform.variant === w.variant) return e.digest;
    }
  }
  if (isIndex) {
    const anyPlatform = entries.find((e) => !e.platform);
    if (anyPlatform) return anyPlatform.digest;
  }
  throw fail(RegistryApiError, isIndex ? 'docker.no-instance-index' : 'docker.no-instance-list', wanted[0].arch, wanted[0].variant, wanted[0].os);
}

function parseList(bytes: Uint8Array, isIndex: boolean): ListEntry[] {
  const typeName = isIndex ? 'OCI1Index' : 'Schema2List';
  const unmarshalCode = isIndex ? 'docker.unmarshal-index' : 'docker.unmarshal-list';
  const raw = Buffer.from(bytes).toString('utf8');
  const typeError = (msg: string) => fail(RegistryApiError, unmarshalCode, raw, msg);
  let doc: unknown;
  try {
    doc = parseGoJson(bytes);
  } catch (e) {
    throw typeError((e as Error).message);
  }
  if (doc === null) return [];
  if (typeof doc !== 'object' || Array.isArray(doc)) throw typeError(unmarshalTypeError(goJsonKind(doc), `manifest.${typeName}`));
  const obj = doc as Record<string, unknown>;
  const unexpected = ['config', 'fsLayers', 'history', 'layers'].filter((k) => obj[k] !== undefined && obj[k] !== null);
  const manifests = field(obj, 'manifests');
  const entries: ListEntry[] = [];
  if (manifests !== undefined && manifests !== null) {
    const descType = isIndex ? 'v1.Descriptor' : 'manifest.Schema2ManifestDescriptor';
    if (!Array.isArray(manifests)) throw typeError(unmarshalTypeError(goJsonKind(manifests), `[]${descType}`, typeName, 'manifests'));
    for (const m of manifests) {
      if (m === null) {
        entries.push({ digest: '', platform: isIndex ? undefined : { os: '', arch: '', variant: '' } });
        continue;
      }
      if (typeof m !== 'object' || Array.isArray(m)) throw typeError(unmarshalTypeError(goJsonKind(m), descType, typeName, 'manifests'));
      const d = m as Record<string, unknown>;
      const digest = field(d, 'digest');
      const p = field(d, 'platform');
      const entry: ListEntry = { digest: typeof digest === 'string' ? digest : '' };
      if (p !== undefined && p !== null && typeof p === 'object' && !Array.isArray(p)) {
        const str = (k: string) => {
          const v = field(p as Record<string, unknown>, k);
          return typeof v === 'string' ? v : '';
        };
        entry.platform = { os: str('os'), arch: str('architecture'), variant: str('variant') };
      } else if (!isIndex) entry.platform = { os: '', arch: '', variant: '' };
      entries.push(entry);
    }
  }
  if (unexpected.length > 0) {
    const list = `[]string{${unexpected.map((u) => JSON.stringify(u)).join(', ')}}`;
    throw fail(RegistryApiError, 'docker.ambiguous-manifest', list, isIndex ? MEDIA_TYPE.ociIndex : MEDIA_TYPE.schema2List);
  }
  return entries;
}

/** encoding/json's field match: exact key first, else case-insensitive (the last such key wins). */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  let found: unknown;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === name.toLowerCase()) found = v;
  return found;
}

/** The blobs an image manifest needs, in copy order: config, then layers (schema1: its fsLayers, base first). */
export function manifestBlobs(bytes: Uint8Array): string[] {
  let doc: unknown;
  try {
    doc = parseGoJson(bytes);
  } catch {
    return [];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const obj = doc as Record<string, unknown>;
  const digestOf = (d: unknown) => (d && typeof d === 'object' && typeof (d as Record<string, unknown>).digest === 'string' ? [(d as Record<string, string>).digest] : []);
  const layers = field(obj, 'layers');
  if (field(obj, 'config') !== undefined || Array.isArray(layers)) {
    return [...digestOf(field(obj, 'config')), ...(Array.isArray(layers) ? layers.flatMap(digestOf) : [])];
  }
  const fsLayers = field(obj, 'fsLayers');
  if (Array.isArray(fsLayers)) {
    const sums = fsLayers.flatMap((l) => (l && typeof l === 'object' && typeof (l as Record<string, unknown>).blobSum === 'string' ? [(l as Record<string, string>).blobSum] : []));
    return [...new Set(sums.reverse())];
  }
  return [];
}
