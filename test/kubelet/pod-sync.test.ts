import { describe, expect, it } from 'vitest';
import { EventRecorder, type EventType } from '../../src/kubelet/event-recorder.js';
import { ImageStore } from '../../src/kubelet/image-store.js';
import { DEFAULT_RETRY_SEED } from '../../src/kubelet/seeded-random.js';
import { runPodSyncs, type PodSyncInput, type PullTry } from '../../src/kubelet/pod-sync.js';

const IMAGE = '192.168.10.11:5001/test/test:latest';
const failing: PullTry = { ok: false, durationMs: 100, message: 'pinging container registry: boom', reason: 'ErrImagePull' };
const ok: PullTry = { ok: true, durationMs: 100, image: { from: 'reg', digest: 'sha256:1', size: 42 } };

function input(over: Partial<PodSyncInput>, tries: PullTry[] = [failing]): PodSyncInput & { times: number[] } {
  const times: number[] = [];
  let i = 0;
  return {
    image: IMAGE,
    storeName: IMAGE,
    policy: 'Always',
    store: new ImageStore(),
    pull: async () => tries[Math.min(i++, tries.length - 1)],
    pulledMessage: (img, a, b, size) => `pulled ${img} ${a} ${b} ${size}`,
    times,
    ...over,
  };
}

/** Every event with its time, in the order the kubelet recorded them. */
class Spy extends EventRecorder {
  readonly log: { at: number; reason: string }[] = [];
  override record(at: number, type: EventType, reason: string, message: string): void {
    this.log.push({ at, reason });
    super.record(at, type, reason, message);
  }
}

describe('a pod left waiting syncs again on the first 1s syncTicker tick after wait.Jitter(10s, 0.5); pulls wait out the back-off', () => {
  it.each([1, 2, 99])('seed %d: every gap between syncs is 10–16s after the previous sync ended, every requeued sync on one tick grid', async (seed) => {
    const recorder = new Spy();
    await runPodSyncs(input({ windowMs: 3_600_000, retrySeed: seed, recorder }));
    const times = recorder.log;
    const opens = times.filter((t) => t.reason === 'Pulling' || t.reason === 'BackOff');
    // a sync that pulled ends 100ms (the pull) after it opened
    const ends = times.filter((t) => t.reason !== 'Pulling' && t.reason !== 'BackOff').map((t) => t.at);
    for (let i = 1; i < opens.length; i++) {
      const prevEnd = Math.max(opens[i - 1].at, ...ends.filter((e) => e >= opens[i - 1].at && e < opens[i].at));
      const gap = opens[i].at - prevEnd;
      expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThan(16_000);
      const offGrid = (opens[i].at - opens[1].at) % 1000;
      expect(Math.min(offGrid, 1000 - offGrid), `sync ${i} off the ticker`).toBeLessThan(1e-6);
    }
  });

  it('pulls only once the back-off window (10s doubling to 300s) has passed since the last failure', async () => {
    const recorder = new Spy();
    await runPodSyncs(input({ windowMs: 3_600_000, recorder }));
    const times = recorder.log;
    const pulls = times.filter((t) => t.reason === 'Pulling').map((t) => t.at);
    const windows = [10, 20, 40, 80, 160, 300, 300, 300].map((s) => s * 1000);
    for (let i = 1; i < windows.length; i++) {
      const sinceFailure = pulls[i] - (pulls[i - 1] + 100);
      expect(sinceFailure).toBeGreaterThanOrEqual(windows[i - 1]);
      expect(sinceFailure).toBeLessThan(windows[i - 1] + 15_000);
    }
  });

  it('the same seed gives the same events; another seed moves them', async () => {
    const rows = async (retrySeed?: number) => {
      const r = await runPodSyncs(input({ windowMs: 600_000, retrySeed }));
      return r.recorder.rows(r.describeAtMs);
    };
    expect(await rows(5)).toEqual(await rows(5));
    expect(await rows()).toEqual(await rows(DEFAULT_RETRY_SEED));
    expect(await rows(6)).not.toEqual(await rows(5));
  });

  it.each([
    [undefined, 1, 1],
    [5_000, 1, 1],
    [10_099, 1, 1],
    [15_100, 2, 2],
  ])('window %s ms → %d pulls in %d syncs', async (windowMs, pulls, syncs) => {
    const r = await runPodSyncs(input({ windowMs }));
    expect([r.pulls, r.syncs]).toEqual([pulls, syncs]);
  });

  it('a pull that starts succeeding stops the retries and stores the image', async () => {
    const store = new ImageStore();
    const r = await runPodSyncs(input({ windowMs: 600_000, store }, [failing, failing, ok]));
    expect(r.state).toBe('pulled');
    expect(r.pulls).toBe(3);
    expect(store.get(IMAGE)).toEqual(ok.ok && ok.image);
    expect(r.recorder.rows(r.describeAtMs).at(-1)!.message).toBe(`pulled ${IMAGE} 100 100 42`);
  });
});

describe('pull policy against the node image store', () => {
  const present = () => {
    const s = new ImageStore();
    s.add(IMAGE, { from: 'reg', digest: 'sha256:1', size: 42 });
    return s;
  };
  it.each([
    ['IfNotPresent', true, 'present', [`Container image "${IMAGE}" already present on machine`]],
    ['Never', true, 'present', [`Container image "${IMAGE}" already present on machine`]],
    ['Always', true, 'pulled', [`Pulling image "${IMAGE}"`, `pulled ${IMAGE} 100 100 42`]],
    ['IfNotPresent', false, 'pulled', [`Pulling image "${IMAGE}"`, `pulled ${IMAGE} 100 100 42`]],
    ['Never', false, 'failed', [`Container image "${IMAGE}" is not present with pull policy of Never`, 'Error: ErrImageNeverPull']],
  ] as const)('%s, present %s → %s', async (policy, isPresent, state, messages) => {
    const r = await runPodSyncs(input({ policy, store: isPresent ? present() : new ImageStore() }, [ok]));
    expect(r.state).toBe(state);
    expect(r.recorder.rows(r.describeAtMs).map((e) => e.message)).toEqual(messages);
  });

  it('ErrImageNeverPull has its own reason, then startContainer’s Failed', async () => {
    const r = await runPodSyncs(input({ policy: 'Never' }));
    expect(r.recorder.rows(0).map((e) => [e.type, e.reason])).toEqual([['Warning', 'ErrImageNeverPull'], ['Warning', 'Failed']]);
  });
});

describe('a keyring error stops EnsureImageExists before any pull', () => {
  it('reports it as startContainer’s error', async () => {
    const r = await runPodSyncs(input({ keyringError: 'bad secret' }));
    expect(r.pulls).toBe(0);
    expect(r.error).toBe('bad secret');
    expect(r.recorder.rows(0).map((e) => e.message)).toEqual(['Error: bad secret']);
  });
});
