import { describe, expect, it } from 'vitest';
import { ImageStore } from '../../src/kubelet/image-store.js';
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

describe('retries follow the back-off at pod syncs (10s after an error, 1m after a back-off)', () => {
  it('ten minutes of a registry that always fails', async () => {
    const r = await runPodSyncs(input({ windowMs: 600_000 }));
    // pulls at 0, 10.1, 80.2, 150.3, 280.4, 470.5; back-offs in between
    expect(r.pulls).toBe(6);
    expect(r.syncs).toBe(15);
    expect(r.recorder.rows(r.describeAtMs).map((e) => [e.reason, e.age, e.message])).toEqual([
      ['Pulling', '5m20s (x5 over 10m)', `Pulling image "${IMAGE}"`],
      ['Failed', '5m20s (x5 over 10m)', `Failed to pull image "${IMAGE}": pinging container registry: boom`],
      ['Failed', '5m20s (x5 over 10m)', 'Error: ErrImagePull'],
      ['Failed', '5m10s (x5 over 9m40s)', 'Error: ImagePullBackOff'],
      ['BackOff', '4m10s (x6 over 9m40s)', `Back-off pulling image "${IMAGE}"`],
    ]);
  });

  it.each([
    [undefined, 1, 1],
    [5_000, 1, 1],
    [10_100, 2, 2],
    [20_200, 2, 3],
    [80_200, 3, 4],
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
