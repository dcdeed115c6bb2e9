import { describe, expect, it } from 'vitest';
import { goFormat, goQuote, goQuoteRune } from '../../src/errors/go-format.js';

describe('goQuote is strconv.Quote', () => {
  it.each([
    ['', '""'],
    ['plain text', '"plain text"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", `"it's"`],
    ['back\\slash', '"back\\\\slash"'],
    ['\n\r\t\x07\b\f\v', '"\\n\\r\\t\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['\u0085', '"\\u0085"'],
    ['no\u00a0break', '"no\\u00a0break"'],
    ['\ufeffbom', '"\\ufeffbom"'],
    ['\u200b\u2028', '"\\u200b\\u2028"'],
    ['\ue000', '"\\ue000"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['café ü ñ', '"café ü ñ"'],
    ['e\u0301', '"e\u0301"'],
    ['日本 😀 €', '"日本 😀 €"'],
    ['\ud800', '"\\ufffd"'],
  ])('%j → %s', (s, q) => {
    expect(goQuote(s)).toBe(q);
  });

  it('is what %q prints', () => {
    expect(goFormat('name %q, %d%%', ['\ufeffx', 5])).toBe('name "\\ufeffx", 5%');
  });
});

describe('goQuoteRune is strconv.QuoteRune', () => {
  it.each([
    [0x27, "'\\''"],
    [0x22, `'"'`],
    [0x5c, "'\\\\'"],
    [0x0a, "'\\n'"],
    [0x00, "'\\x00'"],
    [0x7f, "'\\x7f'"],
    [0xe9, "'é'"],
    [0x85, "'\\u0085'"],
    [0xfeff, "'\\ufeff'"],
    [0xe0001, "'\\U000e0001'"],
    [0xd800, "'�'"],
    [0x110000, "'�'"],
  ])('%i → %s', (r, q) => {
    expect(goQuoteRune(r)).toBe(q);
  });
});
