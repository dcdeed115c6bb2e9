/**
 * The kubelet and CRI-O (runtime crio): the kubelet adds a default tag textually, looks the image
 * up in its keyring (pod secrets, then the node's /var/lib/kubelet/config.json) and makes one CRI
 * PullImage per matching credential until one succeeds; CRI-O resolves short names (all candidates,
 * never a prompt) and returns the last candidate's error, worded by the profile's release.
 */
import { buildKeyring, nodeKeyringSource, type KeyringSource } from '../auth/kubelet-keyring.js';
import { dockerTransportConfError } from '../config/registries-conf.js';
import { RegistriesConfError, RuntimeError, StackError, text } from '../errors/index.js';
import { CopyFailure, copyImage } from '../pull/copy-image.js';
import { pullContext } from '../pull/pull-context.js';
import { isShortName, parseNormalizedNamed, refString } from '../reference/reference.js';
import { resolveShortName } from '../resolve/short-names.js';
import { isSignatureRejection } from '../signature/evaluate.js';
import type { Credential } from '../system-context.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import { copyImageError, prepareImageError } from './copy-errors.js';
import type { CrioProfile } from './crio-profiles.js';
import type { RuntimeInput } from './runtime-input.js';
import { toolSystemContext } from './tool-context.js';

export interface CrioInput extends RuntimeInput {
  profile: CrioProfile;
  /** The pod's pull secrets, in the kubelet's order. */
  podSecrets: KeyringSource[];
}

type CriResult = { ok: true; from: string | null; digest: string; size: number } | { ok: false; error: StackError };

function isRefused(err: StackError): boolean {
  return err.is('net.connection-refused');
}

/** CRI-O's wording of one failed candidate, by release. */
function crioCandidateError(f: CopyFailure, candidate: ReturnType<typeof parseNormalizedNamed>, profile: CrioProfile): StackError {
  let err = profile.prepareImage ? prepareImageError(f) : copyImageError(f, candidate);
  if (profile.artifactFallback && f.stage === 'source') {
    err = new RuntimeError('crio.artifact', text('crio.artifact', err.message, f.error.message), err);
  }
  return err;
}

/** PullImage's final wrapping: signature rejections and (newer releases) refused connections get a CRI error reason. */
function crioFinalError(err: StackError, profile: CrioProfile): StackError {
  if (isSignatureRejection(err)) return new RuntimeError('crio.signature-validation', text('crio.signature-validation', err.message), err);
  if (profile.registryUnavailable && isRefused(err)) return new RuntimeError('crio.registry-unavailable', text('crio.registry-unavailable', err.message), err);
  return err;
}

async function criPullImage(input: CrioInput, image: string, cred: Credential | undefined, attempts: AttemptRecord[], notes: string[]): Promise<CriResult> {
  const { profile } = input;
  const sys = toolSystemContext('crio', input.pull);
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

/** utilerrors.NewAggregate(...).Error(): one distinct message as is, several as "[a, b]". */
function aggregate(messages: string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

/** kuberuntime applyDefaultImageTag: ":latest" appended to the text, with no domain added. */
function applyDefaultImageTag(image: string): string {
  const r = parseNormalizedNamed(image);
  if (r.digest === undefined && r.tag === undefined) return `${image}:latest`;
  return image;
}

function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return `${(ms / 1000).toString()}s`;
}

export async function pullWithCrio(input: CrioInput): Promise<PullOutcome> {
  const { profile } = input;
  const notes = [`crio: ${profile.label}`];
  const attempts: AttemptRecord[] = [];
  const events = [text('kubelet.pulling', input.image)];
  let image: string;
  try {
    image = applyDefaultImageTag(input.image);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    const error = `Failed to apply default image tag ${JSON.stringify(input.image)}: couldn't parse image name ${JSON.stringify(input.image)}: ${e.message}`;
    return { image: input.image, result: 'failed', from: null, digest: null, attempts, error, events: [error, 'Error: InvalidImageName'], notes };
  }

  let creds: (Credential | undefined)[];
  try {
    const keyring = buildKeyring(input.podSecrets, nodeKeyringSource(input.fs));
    const found = keyring.lookup(image);
    creds = found.length ? found : [undefined];
    if (!found.length) notes.push('kubelet: no credential matches; one CRI call without credentials (CRI-O then reads /var/lib/kubelet/config.json itself)');
    else if (found.length > 1) notes.push(`kubelet: ${found.length} matching credentials; one CRI PullImage per credential until one succeeds`);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { image: input.image, result: 'failed', from: null, digest: null, attempts, error: e.message, events: [...events, text('kubelet.failed', input.image, e.message), text('kubelet.err-image-pull')], notes };
  }

  const messages: string[] = [];
  let registryUnavailable = false;
  for (const cred of creds) {
    const before = attempts.length;
    const r = await criPullImage(input, image, cred, attempts, notes);
    if (r.ok) {
      const ms = 100 * Math.max(1, attempts.length - before);
      events.push(text('kubelet.pulled', input.image, goDuration(ms), goDuration(ms), r.size));
      return { image: input.image, result: 'pulled', from: r.from, digest: r.digest, attempts, error: null, events, notes };
    }
    if (r.error.code === 'crio.registry-unavailable') registryUnavailable = true;
    messages.push(profile.rpcPrefix ? text('crio.rpc', r.error.message) : r.error.message);
  }
  let message = aggregate(messages);
  let reason = 'Error: ErrImagePull';
  if (registryUnavailable && !profile.rpcPrefix && message.startsWith('RegistryUnavailable')) {
    message = text('kubelet.registry-unavailable', input.image, message.slice('RegistryUnavailable'.length));
    reason = 'Error: RegistryUnavailable';
  }
  events.push(text('kubelet.failed', input.image, message), reason);
  return { image: input.image, result: 'failed', from: null, digest: null, attempts, error: message, events, notes };
}
