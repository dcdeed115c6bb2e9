/** The one flattener both decision loops use: paths as explain --json names them. */
import { describe, expect, it } from 'vitest';
import { flatten } from '../../src/compare/flatten.js';

const flat = (v: unknown) => {
  const out = new Map<string, string>();
  flatten(v, '', out);
  return Object.fromEntries(out);
};

describe('flatten', () => {
  it.each([
    ['nested objects and lists', { candidates: [{ sources: [{ blocked: true }, { blocked: false }] }] }, { 'candidates[0].sources[0].blocked': 'true', 'candidates[0].sources[1].blocked': 'false' }],
    ['null and undefined leave no fact', { a: null, b: undefined, c: 0 }, { c: '0' }],
    ['an empty list is a fact, unlike an absent one', { hosts: [], caFiles: undefined }, { hosts: '[]' }],
    ['a top-level list', ['x', 'y'], { '[0]': 'x', '[1]': 'y' }],
  ])('%s', (_what, v, want) => {
    expect(flat(v)).toEqual(want);
  });
});
