import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/kubelet/back-off.js';

describe('the image back-off window: 10s, doubling, capped at 300s', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [5, 160_000],
    [6, 300_000],
    [7, 300_000],
  ])('after failure %d the window is %d ms', (failures, want) => {
    const b = new Backoff();
    for (let i = 0; i < failures; i++) b.next('pod_img', i * 1000);
    expect(b.get('pod_img')).toBe(want);
  });
});

describe('IsInBackOffSinceUpdate: strictly less than the window since the last failure', () => {
  it.each([
    [9_999, true],
    [10_000, false],
    [15_000, false],
  ])('10s window, %d ms after the failure → %s', (after, want) => {
    const b = new Backoff();
    b.next('k', 5_000);
    expect(b.isInBackOffSinceUpdate('k', 5_000 + after)).toBe(want);
  });

  it('an unknown key is never in back-off', () => {
    expect(new Backoff().isInBackOffSinceUpdate('k', 0)).toBe(false);
  });
});

describe('an entry idle for more than twice the maximum starts over', () => {
  it.each([
    [600_000, 20_000],
    [600_001, 10_000],
  ])('next failure %d ms after the last → window %d', (idle, want) => {
    const b = new Backoff();
    b.next('k', 0);
    b.next('k', idle);
    expect(b.get('k')).toBe(want);
  });
});
