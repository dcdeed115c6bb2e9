import { describe, expect, it } from 'vitest';
import { ImageRefError } from '../../src/errors/index.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';

describe('parsed references are shared, so they cannot be changed', () => {
  it.each([['busybox'], ['quay.io/ns/app:1'], ['localhost:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef']])('%s', (input) => {
    const a = parseNormalizedNamed(input);
    expect(parseNormalizedNamed(input)).toEqual(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { path: string }).path = 'changed';
    }).toThrow(TypeError);
    expect(parseNormalizedNamed(input).path).not.toBe('changed');
  });

  it('a bad reference fails every time', () => {
    for (let i = 0; i < 2; i++) expect(() => parseNormalizedNamed('Quay.io/UPPER/app')).toThrow(ImageRefError);
  });
});
