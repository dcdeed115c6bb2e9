/**
 * One container's image on a simulated clock: the kubelet's pod syncs calling EnsureImageExists
 * (images/image_manager.go), then startContainer's "Error: <reason>" event when it fails.
 *
 * When syncs happen (kubelet pod_workers.go completeWork): a sync whose result is an error other
 * than ImagePullBackOff is requeued after backOffPeriod (10s); a sync that only met the back-off
 * returns no error and waits for the resync interval (1m). Both get up to 50% jitter in the kubelet;
 * pullsim uses none, so every retry lands at the earliest moment it could.
 */
import { text } from '../errors/index.js';
import { Backoff } from './back-off.js';
import { EventRecorder } from './event-recorder.js';
import type { ImageStore, StoredImage } from './image-store.js';
import { decidePull, type PullPolicy } from './pull-policy.js';

export const ERROR_REQUEUE_MS = 10_000;
export const RESYNC_MS = 60_000;

export type PullTry =
  | { ok: true; durationMs: number; image: StoredImage }
  /** message: the error after `Failed to pull image "X": `; reason: what evalCRIPullErr returned ("ErrImagePull", …). */
  | { ok: false; durationMs: number; message: string; reason: string };

export interface PodSyncInput {
  /** The image as the pod spec writes it (event texts use it). */
  image: string;
  /** The name the kubelet asks the runtime about (default tag applied). */
  storeName: string;
  policy: PullPolicy;
  store: ImageStore;
  /** Simulated retry window; without one, a single sync. */
  windowMs?: number;
  /** MakeDockerKeyring's error: EnsureImageExists returns it before any pull. */
  keyringError?: string;
  pull: () => Promise<PullTry>;
  pulledMessage: (image: string, pullMs: number, totalMs: number, size: number) => string;
}

export interface PodSyncResult {
  state: 'present' | 'pulled' | 'failed';
  stored?: StoredImage;
  /** The last pull actually made, if any. */
  lastTry?: PullTry;
  /** The final error text (for a failure): what follows `Failed to pull image "X": `, or the kubelet's own message. */
  error?: string;
  recorder: EventRecorder;
  /** When `kubectl describe` looks: the end of the window, or the end of the only sync. */
  describeAtMs: number;
  pulls: number;
  syncs: number;
}

type SyncOutcome = { kind: 'running' | 'error' | 'backoff'; endMs: number };

export async function runPodSyncs(input: PodSyncInput): Promise<PodSyncResult> {
  const recorder = new EventRecorder();
  const backoff = new Backoff();
  const key = input.storeName;
  const result: PodSyncResult = { state: 'failed', recorder, describeAtMs: 0, pulls: 0, syncs: 0 };

  const startError = (at: number, reason: string) => recorder.record(at, 'Warning', 'Failed', text('kubelet.start-error', reason));

  async function sync(t: number): Promise<SyncOutcome> {
    const present = input.store.get(input.storeName);
    switch (decidePull(input.policy, present !== undefined)) {
      case 'use-present':
        recorder.record(t, 'Normal', 'Pulled', text('kubelet.present', input.image));
        Object.assign(result, { state: 'present', stored: present, error: undefined });
        return { kind: 'running', endMs: t };
      case 'never-pull': {
        const message = text('kubelet.never-pull', input.image);
        recorder.record(t, 'Warning', 'ErrImageNeverPull', message);
        startError(t, 'ErrImageNeverPull');
        result.error = message;
        return { kind: 'error', endMs: t };
      }
      case 'pull':
        break;
    }
    if (input.keyringError !== undefined) {
      startError(t, input.keyringError);
      result.error = input.keyringError;
      return { kind: 'error', endMs: t };
    }
    if (backoff.isInBackOffSinceUpdate(key, t)) {
      recorder.record(t, 'Normal', 'BackOff', text('kubelet.backoff', input.image));
      startError(t, 'ImagePullBackOff');
      return { kind: 'backoff', endMs: t };
    }
    recorder.record(t, 'Normal', 'Pulling', text('kubelet.pulling', input.image));
    const r = await input.pull();
    result.pulls++;
    result.lastTry = r;
    const end = t + r.durationMs;
    if (r.ok) {
      recorder.record(end, 'Normal', 'Pulled', input.pulledMessage(input.image, r.durationMs, r.durationMs, r.image.size));
      input.store.add(input.storeName, r.image);
      Object.assign(result, { state: 'pulled', stored: r.image, error: undefined });
      return { kind: 'running', endMs: end };
    }
    recorder.record(end, 'Warning', 'Failed', text('kubelet.failed', input.image, r.message));
    backoff.next(key, end);
    startError(end, r.reason);
    result.error = r.message;
    return { kind: 'error', endMs: end };
  }

  let t = 0;
  for (;;) {
    const o = await sync(t);
    result.syncs++;
    result.describeAtMs = o.endMs;
    if (o.kind === 'running' || input.windowMs === undefined) break;
    const next = o.endMs + (o.kind === 'backoff' ? RESYNC_MS : ERROR_REQUEUE_MS);
    if (next > input.windowMs) break;
    t = next;
  }
  if (input.windowMs !== undefined) result.describeAtMs = Math.max(result.describeAtMs, input.windowMs);
  return result;
}
