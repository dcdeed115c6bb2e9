/**
 * The kubelet's side of a pull that does not depend on the runtime behind the CRI: the default
 * tag it adds, the InvalidImageName outcome when it cannot parse the image, the keyring lookup
 * that decides one PullImage per credential, and how it aggregates their errors.
 */
import { buildKeyring, nodeKeyringSource, type KeyringSource } from '../auth/kubelet-keyring.js';
import { StackError, text } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { parseNormalizedNamed } from '../reference/reference.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import type { Credential } from '../system-context.js';
import { EventRecorder } from './event-recorder.js';
import { goDurationMs } from './go-duration.js';
import { ImageStore } from './image-store.js';
import { runPodSyncs, type PullTry } from './pod-sync.js';
import { DEFAULT_RETRY_SEED } from './seeded-random.js';
import { effectivePullPolicy, type PullPolicy } from './pull-policy.js';

/** kuberuntime applyDefaultImageTag: ":latest" appended to the text, with no domain added. */
export function applyDefaultImageTag(image: string): string {
  const r = parseNormalizedNamed(image);
  if (r.digest === undefined && r.tag === undefined) return `${image}:latest`;
  return image;
}

/** EnsureImageExists fails before any pull: an InspectFailed event, then startContainer's. */
export function invalidImageNameOutcome(image: string, err: StackError): PullOutcome {
  const error = text('kubelet.invalid-image-name', image, image, err.message);
  const recorder = new EventRecorder();
  recorder.record(0, 'Warning', 'InspectFailed', error);
  recorder.record(0, 'Warning', 'Failed', text('kubelet.start-error', 'InvalidImageName'));
  const eventTable = recorder.rows(0);
  return { image, result: 'failed', from: null, digest: null, attempts: [], error, events: eventTable.map((r) => r.message), eventTable, notes: [] };
}

/** The image with the kubelet's default tag, or, when it does not parse, the InvalidImageName outcome carrying the runtime's notes. */
export function defaultTaggedImage(image: string, notes: string[]): string | PullOutcome {
  try {
    return applyDefaultImageTag(image);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { ...invalidImageNameOutcome(image, e), notes };
  }
}

/** utilerrors.NewAggregate(...).Error(): one distinct message as is, several as "[a, b]". */
export function aggregateMessages(messages: string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

export interface KeyringCredentials {
  /** One entry per CRI PullImage the kubelet makes; undefined: a call without credentials. */
  creds: (Credential | undefined)[];
  /** MakeDockerKeyring's error (a malformed pod secret): EnsureImageExists returns it. */
  keyringError?: string;
  /** How many credentials matched. */
  matched: number;
}

/** The kubelet's keyring (pod secrets, then the node's config.json) for an image with its default tag. */
export function keyringCredentials(fs: NodeFS, podSecrets: KeyringSource[], image: string): KeyringCredentials {
  try {
    const found = buildKeyring(podSecrets, nodeKeyringSource(fs)).lookup(image);
    return { creds: found.length ? found : [undefined], matched: found.length };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { creds: [undefined], keyringError: e.message, matched: 0 };
  }
}

export interface PodPullInput {
  /** The image as the pod spec writes it. */
  image: string;
  /** The same with the kubelet's default tag. */
  storeName: string;
  imagePullPolicy?: PullPolicy;
  imageStore?: ImageStore;
  retryForSeconds?: number;
  /** Seed of the requeue jitter (default DEFAULT_RETRY_SEED). */
  retrySeed?: number;
  keyringError?: string;
  /** The kubelet's "Pulled" event ends with "Image size: N bytes." (kubelet ≥1.30). */
  pulledImageSize: boolean;
  /** Notes about the credentials, kept only when a pull was made. */
  credNotes: string[];
  /** Filled by `pull` with the registry attempts of the last pull. */
  attempts: AttemptRecord[];
  notes: string[];
  pull: () => Promise<PullTry>;
}

/** The pod's syncs on the simulated clock, and the outcome as `kubectl describe` and the contract report it. */
export async function podPull(p: PodPullInput): Promise<PullOutcome> {
  const { notes } = p;
  const policy = effectivePullPolicy(p.image, p.imagePullPolicy);
  const windowMs = p.retryForSeconds !== undefined ? p.retryForSeconds * 1000 : undefined;
  const r = await runPodSyncs({
    image: p.image,
    storeName: p.storeName,
    policy,
    store: p.imageStore ?? new ImageStore(),
    windowMs,
    retrySeed: p.retrySeed,
    keyringError: p.keyringError,
    pull: p.pull,
    pulledMessage: (img, pullMs, totalMs, size) => p.pulledImageSize
      ? text('kubelet.pulled', img, goDurationMs(pullMs), goDurationMs(totalMs), size)
      : text('kubelet.pulled-no-size', img, goDurationMs(pullMs), goDurationMs(totalMs)),
  });
  if (r.pulls > 0) notes.push(...p.credNotes);
  if (p.imagePullPolicy === undefined) notes.push(`kubelet: imagePullPolicy ${policy} (the default for this image)`);
  if (r.state === 'present') notes.push(`kubelet: ${p.storeName} is already in the node's image store; no pull`);
  if (windowMs !== undefined) {
    notes.push(`kubelet: ${r.syncs} pod syncs and ${r.pulls} pulls in ${p.retryForSeconds}s (back-off 10s doubling to 300s; a pod left waiting syncs again 10-15s later, on the next 1s sync tick, jitter seed ${p.retrySeed ?? DEFAULT_RETRY_SEED})`);
  }
  const eventTable = r.recorder.rows(r.describeAtMs);
  const ok = r.state !== 'failed';
  return {
    image: p.image,
    result: ok ? 'pulled' : 'failed',
    from: ok ? r.stored!.from : null,
    digest: ok ? r.stored!.digest : null,
    attempts: p.attempts,
    error: ok ? null : r.error ?? null,
    events: eventTable.map((e) => e.message),
    eventTable,
    notes: [...new Set(notes)],
  };
}
