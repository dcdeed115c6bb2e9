import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/compare/shard.js';

const refs = Array.from({ length: 400 }, (_, i) => `quay.io/team/app-${i}:v${i % 7}`);

describe('--shard i/n: a stable split by the reference', () => {
  it.each([['1/1'], ['2/4'], ['4/4']])('accepts %s', (t) => {
    const [i, n] = t.split('/').map(Number);
    expect(parseShard(t)).toEqual({ index: i, count: n });
  });

  it.each([['3/2'], ['0/2'], ['1/0'], ['1'], ['a/b'], ['1/2/3'], ['-1/2']])('refuses %s', (t) => {
    expect(() => parseShard(t)).toThrow('accepted: i/n with 1 ≤ i ≤ n');
  });

  it('every reference falls in exactly one shard', () => {
    for (const r of refs) expect([1, 2, 3].filter((i) => inShard(r, { index: i, count: 3 }))).toHaveLength(1);
  });

  it('no shard is empty or holds nearly all of 400 references', () => {
    for (let i = 1; i <= 4; i++) {
      const n = refs.filter((r) => inShard(r, { index: i, count: 4 })).length;
      expect(n).toBeGreaterThan(50);
      expect(n).toBeLessThan(150);
    }
  });

  it('a reference stays in its shard when others are added', () => {
    const shard = { index: 2, count: 3 };
    const before = refs.slice(0, 100).filter((r) => inShard(r, shard));
    const after = [...refs.slice(0, 100), 'docker.io/new/one:1', 'ghcr.io/x/y:2'].filter((r) => inShard(r, shard));
    expect(after.filter((r) => refs.includes(r))).toEqual(before);
  });
});
