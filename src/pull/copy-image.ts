/**
 * copy.Image for one pull: open the source (mirrors, then the primary), pick the platform's
 * instance from a manifest list, evaluate policy.json against the logical reference, then fetch and
 * verify the config and layer blobs from the source that served the manifest. Errors are returned
 * as containers/image returns them from each stage, so each runtime can wrap them its own way.
 */
import { refName, type ImageRef } from '../reference/reference.js';
import { requirementsFor } from '../policy/policy-scope.js';
import { readLookasideSignatures } from '../signature/lookaside.js';
import { StackError } from '../errors/index.js';
import type { AttemptRecord } from '../run/outcome.js';
import { openImageSource, type OpenedSource } from './image-source.js';
import type { PullContext } from './pull-context.js';
import { checkPolicy } from './policy-check.js';
import { isManifestList, chooseInstance, manifestBlobs } from './manifest.js';

export type CopyStage = 'source' | 'choose-instance' | 'policy-load' | 'policy' | 'blobs';

/** A failure of one copy stage: the runtime decides how each stage's error is worded. */
export class CopyFailure extends Error {
  constructor(readonly stage: CopyStage, readonly error: StackError) {
    super(error.message);
  }
}

export interface CopyResult {
  registry: string | null;
  physicalRef: ImageRef;
  /** The pulled manifest's digest (the chosen instance's for a list). */
  digest: string;
  /** Bytes of the config and layer blobs, for the kubelet's "Image size". */
  size: number;
}

async function stage<T>(name: CopyStage, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof StackError) throw new CopyFailure(name, e);
    throw e;
  }
}

export async function copyImage(ctx: PullContext, logical: ImageRef, attempts: AttemptRecord[]): Promise<CopyResult> {
  const src: OpenedSource = await stage('source', () => openImageSource(ctx, logical, attempts));
  const repo = src.physicalRef.path;
  let manifest = src.manifest;
  if (isManifestList(manifest.mediaType)) {
    const instance = await stage('choose-instance', () =>
      chooseInstance(manifest.bytes, manifest.mediaType, { os: ctx.sys.os, arch: ctx.sys.arch, variant: ctx.sys.variant }),
    );
    manifest = await stage('source', () => src.client.getManifest(repo, instance, refName(src.physicalRef)));
  }
  // skopeo and podman load the policy before anything else; CRI-O loads it only when it copies.
  const policy = await stage('policy-load', () => ctx.policy());
  await stage('policy', () =>
    checkPolicy(requirementsFor(policy, logical), logical, () => ({
      fs: ctx.fs,
      manifestDigest: manifest.digest,
      gpgSignatures: async () => readLookasideSignatures(ctx.fs, ctx.registriesD().lookasideFor(src.physicalRef), manifest.digest),
      sigstoreAttachments: async () =>
        ctx.registriesD().useSigstoreAttachments(src.physicalRef) ? src.client.sigstoreAttachments(repo, manifest.digest) : [],
    })),
  );
  let size = 0;
  for (const digest of manifestBlobs(manifest.bytes)) {
    const blob = await stage('blobs', () => src.client.getBlob(repo, digest));
    size += blob.length;
  }
  return { registry: src.registry, physicalRef: src.physicalRef, digest: manifest.digest, size };
}
