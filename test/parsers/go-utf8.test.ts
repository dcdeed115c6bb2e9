import { describe, expect, it } from 'vitest';
import { decodeRune } from '../../src/config/go-utf8.js';

describe('decodeRune is utf8.DecodeRune', () => {
  it.each([
    ['ASCII', [0x41], [0x41, 1]],
    ['two bytes', [0xc3, 0xa9], [0xe9, 2]],
    ['three bytes', [0xe2, 0x82, 0xac], [0x20ac, 3]],
    ['four bytes', [0xf0, 0x9f, 0x98, 0x80], [0x1f600, 4]],
    ['lone continuation byte', [0x80], [0xfffd, 1]],
    ['overlong two-byte form', [0xc0, 0x80], [0xfffd, 1]],
    ['overlong three-byte form', [0xe0, 0x80, 0x80], [0xfffd, 1]],
    ['encoded surrogate', [0xed, 0xa0, 0x80], [0xfffd, 1]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], [0xfffd, 1]],
    ['truncated sequence', [0xe2, 0x82], [0xfffd, 1]],
    ['invalid lead byte', [0xff], [0xfffd, 1]],
  ])('%s', (_n, bytes, want) => {
    expect(decodeRune(new Uint8Array(bytes), 0)).toEqual(want);
  });
});
