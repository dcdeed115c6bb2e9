import { describe, expect, it } from 'vitest';
import { goDuration, goDurationMs } from '../../src/kubelet/go-duration.js';
import { humanDuration } from '../../src/kubelet/human-duration.js';

describe("goDuration is Go's time.Duration.String()", () => {
  it.each([
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_100, '1.1µs'],
    [2_200_000, '2.2ms'],
    [100_000_000, '100ms'],
    [1_000_001, '1.000001ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [59_999_000_000, '59.999s'],
    [60_000_000_000, '1m0s'],
    [61_000_000_000, '1m1s'],
    [3_600_000_000_000, '1h0m0s'],
    [4_000_001_000_000, '1h6m40.001s'],
    [-1_500_000_000, '-1.5s'],
    [-1, '-1ns'],
  ])('%d ns → %s', (ns, want) => {
    expect(goDuration(ns)).toBe(want);
  });

  it.each([
    [100, '100ms'],
    [1234, '1.234s'],
    [90_000, '1m30s'],
  ])('%d ms → %s', (ms, want) => {
    expect(goDurationMs(ms)).toBe(want);
  });
});

describe("humanDuration is apimachinery's HumanDuration (kubectl describe ages)", () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-2500, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 5 * s, '2m5s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [8 * h, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + h, '2d1h'],
    [8 * d, '8d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [8 * 365 * d, '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});
