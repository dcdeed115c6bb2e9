import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../sim/bounded-memo.js';

describe('a bounded memo keeps at most its limit, dropping the first stored', () => {
  it.each([
    [['a', 'b', 'c'], 2, { a: undefined, b: 2, c: 3 }],
    [['a', 'b', 'a', 'c'], 2, { a: undefined, b: 2, c: 4 }],
    [['a', 'a', 'a'], 1, { a: 3 }],
  ])('set %j with limit %d', (keys, limit, expected) => {
    const memo = new BoundedMemo<string, number>(limit);
    keys.forEach((k, i) => memo.set(k, i + 1));
    for (const [k, v] of Object.entries(expected)) expect(memo.get(k)).toBe(v);
    expect(memo.size).toBeLessThanOrEqual(limit);
  });
});
