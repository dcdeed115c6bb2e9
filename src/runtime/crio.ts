/**
 * The kubelet and CRI-O (runtime crio): the kubelet applies the pull policy against the node's
 * image store, adds a default tag textually, looks the image up in its keyring (pod secrets, then
 * the node's /var/lib/kubelet/config.json) and makes one CRI PullImage per matching credential until
 * one succeeds; CRI-O resolves short names and returns the last candidate's error, worded by the
 * profile's release. With `retryFor`, the pod keeps syncing on a simulated clock (src/kubelet).
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { dockerTransportConfError } from '../config/registries-conf.js';
import { RegistriesConfError, RuntimeError, StackError, text, type TemplateCode } from '../errors/index.js';
import { aggregateMessages, defaultTaggedImage, keyringCredentials, podPull } from '../kubelet/kubelet-pull.js';
import { ImageStore } from '../kubelet/image-store.js';
import type { PullTry } from '../kubelet/pod-sync.js';
import type { PullPolicy } from '../kubelet/pull-policy.js';
import { CopyFailure, copyImage } from '../pull/copy-image.js';
import { pullContext } from '../pull/pull-context.js';
import { isShortName, refString, type ImageRef } from '../reference/reference.js';
import { resolveShortName } from '../resolve/short-names.js';
import { isSignatureRejection } from '../signature/evaluate.js';
import type { Credential } from '../system-context.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import { copyImageError, prepareImageError } from './copy-errors.js';
import type { CrioProfile } from './crio-profiles.js';
import type { RuntimeInput } from './runtime-input.js';
import { toolSystemContext } from './tool-context.js';
import { registryErrorEra } from '../pull/registry-errors.js';

export interface CrioInput extends RuntimeInput {
  profile: CrioProfile;
  /** The pod's pull secrets, in the kubelet's order. */
  podSecrets: KeyringSource[];
  /** The container's imagePullPolicy; absent: the API server's default for the image. */
  imagePullPolicy?: PullPolicy;
  /** The node's images, shared by every pull of the scenario; absent: an empty node. */
  imageStore?: ImageStore;
}

type CriResult = { ok: true; from: string | null; digest: string; size: number } | { ok: false; error: StackError };

/** Simulated time one registry attempt takes; the kubelet prints pull times truncated to ms. */
const ATTEMPT_MS = 100;

function wrapped(code: TemplateCode, inner: StackError, ...args: unknown[]): StackError {
  return new RuntimeError(code, text(code, ...args, inner.message), inner);
}

/** A net.Error in Go's chain: url.Error around every client.Do failure, or a dial/read OpError. */
const NET_ERROR_CODES = ['net.get', 'net.connection-refused', 'net.no-such-host', 'net.connection-reset'];
function isNetError(err: StackError): boolean {
  return NET_ERROR_CODES.some((c) => err.is(c));
}

/** ≤1.34's artifact probe (ociartifact PullManifest) for a reference copy.Image could not pull. */
function artifactProbeError(f: CopyFailure): StackError {
  if (f.stage === 'source') return wrapped('crio.artifact-get-manifest', wrapped('crio.artifact-build-source', f.error));
  if (f.stage === 'choose-instance') return wrapped('crio.artifact-choose-instance', f.error);
  return new RuntimeError('crio.artifact-is-image', text('crio.artifact-is-image'));
}

/** ≥1.36's artifact pull: EnsureNotContainerImage first. */
function ensureNotContainerImageError(f: CopyFailure): StackError {
  let inner: StackError;
  if (f.stage === 'source') inner = wrapped('crio.artifact-manifest-from-ref', wrapped('crio.artifact-create-source', f.error));
  else if (f.stage === 'choose-instance') inner = wrapped('crio.artifact-choose-manifest-instance', f.error);
  else inner = new RuntimeError('crio.artifact-not-artifact', text('crio.artifact-not-artifact'));
  return wrapped('crio.artifact-image-reference', inner);
}

function bothFailed(copyErr: StackError, artifactErr: StackError): StackError {
  return new RuntimeError('crio.artifact', text('crio.artifact', copyErr.message, artifactErr.message), copyErr);
}

/** CRI-O's wording of one failed candidate, by release (internal/storage/image.go pullImageImplementation). */
export function crioCandidateError(f: CopyFailure, candidate: ImageRef, profile: CrioProfile): StackError {
  switch (profile.pullPath) {
    case 'prepare-image':
      return prepareImageError(f);
    case 'copy':
      return copyImageError(f, candidate);
    case 'artifact-first':
      // The probe reads the manifest first; only an image (or a Docker list) goes on to copy.Image.
      if (f.stage === 'source' || f.stage === 'choose-instance') return wrapped('crio.artifact-probe', artifactProbeError(f));
      return copyImageError(f, candidate);
    case 'artifact-fallback':
      return bothFailed(copyImageError(f, candidate), artifactProbeError(f));
    case 'artifact-fallback-net': {
      const copyErr = copyImageError(f, candidate);
      if (isNetError(f.error)) return wrapped('crio.image-only', copyErr);
      return bothFailed(copyErr, ensureNotContainerImageError(f));
    }
  }
}

/** PullImage's final wrapping: a CRI error reason for signature rejections and refused connections. */
export function crioFinalError(err: StackError, profile: CrioProfile): StackError {
  if (profile.registryUnavailable && err.is('net.connection-refused')) return wrapped('crio.registry-unavailable', err);
  if (isSignatureRejection(err)) return wrapped('crio.signature-validation', err);
  return err;
}

async function criPullImage(input: CrioInput, image: string, cred: Credential | undefined, attempts: AttemptRecord[], notes: string[]): Promise<CriResult> {
  const { profile } = input;
  const sys = toolSystemContext('crio', input.pull);
  sys.registryErrorEra = registryErrorEra(profile.containersImage);
  if (cred && cred.username !== '') sys.dockerAuthConfig = cred;
  const ctx = pullContext(input.fs, sys, input.net, profile.goTlsVerifyPrefix);
  let candidates;
  try {
    let conf;
    try {
      conf = ctx.registries();
    } catch (e) {
      // shortnames.Resolve reads registries.conf only for a short name; otherwise newImageSource is first, and wraps it.
      if (e instanceof RegistriesConfError && !isShortName(image)) throw dockerTransportConfError(e);
      throw e;
    }
    const resolved = resolveShortName(conf, sys, image);
    candidates = resolved.candidates;
    if (resolved.rationale === 'unqualified-search') {
      if (profile.shortNameEnforcing && candidates.length > 1) {
        return { ok: false, error: new RuntimeError('short.crio-ambiguous', text('short.crio-ambiguous', image)) };
      }
      notes.push(`crio: short name "${image}" → ${candidates.map(refString).join(', ')}; tried in order, never prompted, the last error is reported`);
    }
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { ok: false, error: e };
  }
  let last: StackError | undefined;
  for (const candidate of candidates) {
    try {
      const r = await copyImage(ctx, candidate, attempts);
      return { ok: true, from: r.registry, digest: r.digest, size: r.size };
    } catch (e) {
      if (!(e instanceof CopyFailure)) throw e;
      last = crioCandidateError(e, candidate, profile);
    }
  }
  return { ok: false, error: crioFinalError(last!, profile) };
}

/**
 * evalCRIPullErr: the reason startContainer prints as "Error: …". It matches the CRI error name at
 * the start of the text, so with the gRPC prefix kept (1.28 profile) everything is ErrImagePull.
 */
export function kubeletPullReason(message: string): string {
  for (const reason of ['RegistryUnavailable', 'SignatureValidationFailed']) if (message.startsWith(reason)) return reason;
  return 'ErrImagePull';
}

/** One kubelet pull: one CRI PullImage per matching credential until one succeeds. */
async function kubeletPull(input: CrioInput, image: string, creds: (Credential | undefined)[], attempts: AttemptRecord[], notes: string[]): Promise<PullTry> {
  const messages: string[] = [];
  attempts.length = 0;
  for (const cred of creds) {
    const r = await criPullImage(input, image, cred, attempts, notes);
    const durationMs = ATTEMPT_MS * Math.max(1, attempts.length);
    if (r.ok) return { ok: true, durationMs, image: { from: r.from, digest: r.digest, size: r.size } };
    messages.push(input.profile.rpcPrefix ? text('crio.rpc', r.error.message) : r.error.message);
  }
  const message = aggregateMessages(messages);
  return { ok: false, durationMs: ATTEMPT_MS * Math.max(1, attempts.length), message, reason: kubeletPullReason(message) };
}

export async function pullWithCrio(input: CrioInput): Promise<PullOutcome> {
  const { profile } = input;
  const notes = [`crio: ${profile.label}`];
  const attempts: AttemptRecord[] = [];
  const image = defaultTaggedImage(input.image, notes);
  if (typeof image !== 'string') return image;

  const { creds, keyringError, matched } = keyringCredentials(input.fs, input.podSecrets, image);
  const credNotes: string[] = [];
  if (keyringError === undefined && !matched) credNotes.push('kubelet: no credential matches; one CRI call without credentials (CRI-O then reads /var/lib/kubelet/config.json itself)');
  else if (matched > 1) credNotes.push(`kubelet: ${matched} matching credentials; one CRI PullImage per credential until one succeeds`);

  return podPull({
    image: input.image,
    storeName: image,
    imagePullPolicy: input.imagePullPolicy,
    imageStore: input.imageStore,
    retryForSeconds: input.pull.retryForSeconds,
    retrySeed: input.pull.retrySeed,
    keyringError,
    pulledImageSize: profile.pulledImageSize,
    credNotes,
    attempts,
    notes,
    pull: () => kubeletPull(input, image, creds, attempts, notes),
  });
}
