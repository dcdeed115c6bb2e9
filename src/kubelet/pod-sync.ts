/**
 * One container's image on a simulated clock: the kubelet's pod syncs calling EnsureImageExists
 * (images/image_manager.go), then startContainer's "Error: <reason>" event when it fails.
 *
 * When syncs happen (kubelet pod_workers.go completeWork): a sync that returned an error is
 * requeued after wait.Jitter(backOffPeriod=10s, 0.5), i.e. 10–15s; one that returned none after
 * wait.Jitter(resyncInterval=1m, 0.5). kubelet.go's SyncPod means to drop an error whose only
 * cause is ImagePullBackOff, but its check also sees the successful ConfigPodSandbox result the
 * runtime's SyncPod always adds, so the error is returned (docs/kubelet.md); the OKD 4.15 node
 * agrees (BackOff x630 over 146m, one every ~14s): every sync that leaves the container waiting
 * is requeued at 10s jittered.
 * The requeued pod is only picked up by kubelet.go syncLoop's one-second syncTicker (getPodsToSync
 * reads the work queue on each tick), so a sync starts on the first tick at or after its due time;
 * the ticker's phase against the pod's first sync is arbitrary and drawn from the same seed.
 * A sync that starts the container ends the story for the image (later resyncs find it running).
 * The jitter comes from a seeded source so a run is reproducible (see seeded-random.ts).
 */
import { text } from '../errors/index.js';
import { Backoff } from './back-off.js';
import { EventRecorder } from './event-recorder.js';
import type { ImageStore, StoredImage } from './image-store.js';
import { decidePull, type PullPolicy } from './pull-policy.js';
import { DEFAULT_RETRY_SEED, jitter, seededRandom } from './seeded-random.js';

/** pod_workers.go: backOffPeriod and workerBackOffPeriodJitterFactor. */
export const ERROR_REQUEUE_MS = 10_000;
export const REQUEUE_JITTER = 0.5;
/** kubelet.go syncLoop: syncTicker period. */
export const SYNC_TICK_MS = 1_000;

/** The first syncTicker tick at or after dueMs, the ticker firing at phaseMs + k·SYNC_TICK_MS. */
export function nextTick(dueMs: number, phaseMs: number): number {
  return phaseMs + Math.ceil((dueMs - phaseMs) / SYNC_TICK_MS) * SYNC_TICK_MS;
}

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
  /** Seed of the requeue jitter (default DEFAULT_RETRY_SEED). */
  retrySeed?: number;
  /** Where events go (default a fresh one). */
  recorder?: EventRecorder;
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

type SyncOutcome = { kind: 'running' | 'waiting'; endMs: number };

export async function runPodSyncs(input: PodSyncInput): Promise<PodSyncResult> {
  const recorder = input.recorder ?? new EventRecorder();
  const backoff = new Backoff();
  const random = seededRandom(input.retrySeed ?? DEFAULT_RETRY_SEED);
  const tickPhaseMs = random() * SYNC_TICK_MS;
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
        return { kind: 'waiting', endMs: t };
      }
      case 'pull':
        break;
    }
    if (input.keyringError !== undefined) {
      startError(t, input.keyringError);
      result.error = input.keyringError;
      return { kind: 'waiting', endMs: t };
    }
    if (backoff.isInBackOffSinceUpdate(key, t)) {
      recorder.record(t, 'Normal', 'BackOff', text('kubelet.backoff', input.image));
      startError(t, 'ImagePullBackOff');
      return { kind: 'waiting', endMs: t };
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
    return { kind: 'waiting', endMs: end };
  }

  let t = 0;
  for (;;) {
    const o = await sync(t);
    result.syncs++;
    result.describeAtMs = o.endMs;
    if (o.kind === 'running' || input.windowMs === undefined) break;
    const next = nextTick(o.endMs + jitter(ERROR_REQUEUE_MS, REQUEUE_JITTER, random), tickPhaseMs);
    if (next > input.windowMs) break;
    t = next;
  }
  if (input.windowMs !== undefined) result.describeAtMs = Math.max(result.describeAtMs, input.windowMs);
  return result;
}
