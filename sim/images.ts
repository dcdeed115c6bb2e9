/**
 * Image content, generated deterministically from the scenario: real gzip'd tar layers, config
 * blobs, Docker schema 2 manifests for single-platform images and OCI indexes (with OCI manifest
 * instances) for `platforms:`. A catalog image (`images:` name) is a function of its name and
 * options alone, so every registry serving it serves the same bytes; inline content is seeded by
 * registry handle and repository, so it is unique to that place.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ImageOptions, Platform, Scenario, ServedImage } from '../src/scenario/types.js';
import { tar } from './tar.js';

export const MediaType = {
  schema2Manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  schema2Config: 'application/vnd.docker.container.image.v1+json',
  schema2Layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export const DEFAULT_PLATFORM = 'linux/amd64';

export interface Blob {
  digest: string;
  bytes: Buffer;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface BuiltImage {
  /** What the tag points at: a schema 2 manifest, or an OCI index for multi-platform content. */
  manifest: Manifest;
  /** Per-platform instances of an index, keyed "os/arch[/variant]" as written in the scenario. */
  platforms: Map<Platform, Manifest>;
  /** Every manifest of the image (the top one first). */
  manifests: Manifest[];
  blobs: Blob[];
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function descriptor(mediaType: string, blob: Blob) {
  return { mediaType, size: blob.bytes.length, digest: blob.digest };
}

function parsePlatform(platform: Platform): { os: string; architecture: string; variant?: string } {
  const [os = '', architecture = '', variant] = platform.split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
}

function platformImage(seed: string, layers: number, platform: Platform, oci: boolean): { manifest: Manifest; blobs: Blob[] } {
  const layerBlobs: Blob[] = [];
  const diffIds: string[] = [];
  for (let i = 0; i < layers; i++) {
    const archive = tar([{ path: `pullsim/layer-${i}.txt`, content: Buffer.from(`${seed}\n${platform}\nlayer ${i}\n`) }]);
    diffIds.push(sha256(archive));
    const gz = gzipSync(archive);
    layerBlobs.push({ digest: sha256(gz), bytes: gz });
  }
  const config = Buffer.from(
    JSON.stringify({
      ...parsePlatform(platform),
      config: { Labels: { 'io.pullsim.content': seed } },
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
  const configBlob = { digest: sha256(config), bytes: config };
  const body = {
    schemaVersion: 2,
    mediaType: oci ? MediaType.ociManifest : MediaType.schema2Manifest,
    config: descriptor(oci ? MediaType.ociConfig : MediaType.schema2Config, configBlob),
    layers: layerBlobs.map((b) => descriptor(oci ? MediaType.ociLayer : MediaType.schema2Layer, b)),
  };
  const bytes = Buffer.from(JSON.stringify(body, null, 3));
  return { manifest: { digest: sha256(bytes), mediaType: body.mediaType, bytes }, blobs: [configBlob, ...layerBlobs] };
}

const cache = new Map<string, BuiltImage>();

/** The image for a content seed and options; pure, and cached process-wide since it is. */
export function buildImage(seed: string, options: ImageOptions): BuiltImage {
  const layers = Math.max(1, options.layers ?? 1);
  const key = JSON.stringify([seed, layers, options.platforms ?? null]);
  const hit = cache.get(key);
  if (hit) return hit;
  let built: BuiltImage;
  if (!options.platforms) {
    const { manifest, blobs } = platformImage(seed, layers, DEFAULT_PLATFORM, false);
    built = { manifest, platforms: new Map(), manifests: [manifest], blobs };
  } else {
    const platforms = new Map<Platform, Manifest>();
    const blobs: Blob[] = [];
    for (const p of options.platforms) {
      const one = platformImage(`${seed}@${p}`, layers, p, true);
      platforms.set(p, one.manifest);
      blobs.push(...one.blobs);
    }
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [...platforms].map(([p, m]) => ({ mediaType: m.mediaType, size: m.bytes.length, digest: m.digest, platform: parsePlatform(p) })),
    };
    const bytes = Buffer.from(JSON.stringify(index, null, 3));
    const manifest = { digest: sha256(bytes), mediaType: MediaType.ociIndex, bytes };
    built = { manifest, platforms, manifests: [manifest, ...platforms.values()], blobs };
  }
  cache.set(key, built);
  return built;
}

/** The content a registry serves for one `images:` entry of it. */
export function servedContent(scenario: Pick<Scenario, 'images'>, handle: string, repository: string, served: ServedImage): BuiltImage {
  if (served.image !== undefined) return buildImage(`catalog:${served.image}`, scenario.images[served.image] ?? served.options);
  return buildImage(`inline:${handle}/${repository}`, served.options);
}

/**
 * `${digest:…}` values: catalog name → its manifest digest (an index's own digest for
 * multi-platform content), and `NAME/os/arch[/variant]` → that platform's manifest digest.
 */
export function scenarioDigests(scenario: Pick<Scenario, 'images'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, options] of Object.entries(scenario.images)) {
    const image = buildImage(`catalog:${name}`, options);
    out[name] = image.manifest.digest;
    for (const [p, m] of image.platforms) out[`${name}/${p}`] = m.digest;
  }
  return out;
}
