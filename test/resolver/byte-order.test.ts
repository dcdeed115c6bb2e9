import { describe, expect, it } from 'vitest';
import { compareBytewise } from '../../src/byte-order.js';
import { MemoryFS } from '../../src/node-fs.js';

describe('UTF-8 byte order (Go string order)', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['', 'a', -1],
    ['Z', 'a', -1],
    ['a.conf', 'a-b.conf', 1],
    // An astral character sorts after U+FFFD in bytes, though its UTF-16 lead unit is smaller.
    ['\u{1f600}', '\ufffd', 1],
    ['x\u{1f600}', 'x\ue000', 1],
    ['\u{1f600}a', '\u{1f601}', -1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(compareBytewise(a, b))).toBe(sign);
    expect(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).toBe(sign);
  });

  it('orders directory listings as os.ReadDir does', () => {
    const fs = new MemoryFS({ '/d/\ue000.conf': '', '/d/\u{1f600}.conf': '', '/d/B.conf': '', '/d/a.conf': '' });
    expect(fs.list('/d')).toEqual(['B.conf', 'a.conf', '\ue000.conf', '\u{1f600}.conf']);
  });
});
