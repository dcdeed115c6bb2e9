/**
 * Go's utf8.DecodeRune over bytes: Go's parsers read UTF-8 byte by byte and name or replace the
 * first undecodable byte, which a TextDecoder would already have hidden.
 */

export const RUNE_ERROR = 0xfffd;

/** [code point, width]; an invalid, overlong, surrogate or truncated sequence yields U+FFFD of width 1. */
export function decodeRune(d: Uint8Array, i: number): [number, number] {
  const b0 = d[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number): number => {
    const b = d[i + k];
    return b !== undefined && (b & 0xc0) === 0x80 ? b & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const b1 = cont(1);
    if (b1 >= 0) return [((b0 & 0x1f) << 6) | b1, 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const b1 = cont(1);
    const b2 = cont(2);
    const cp = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
    if (b1 >= 0 && b2 >= 0 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) return [cp, 3];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b1 = cont(1);
    const b2 = cont(2);
    const b3 = cont(3);
    const cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
    if (b1 >= 0 && b2 >= 0 && b3 >= 0 && cp >= 0x10000 && cp <= 0x10ffff) return [cp, 4];
  }
  return [RUNE_ERROR, 1];
}
