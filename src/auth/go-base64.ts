/**
 * Go's encoding/base64 decoder (StdEncoding and RawStdEncoding), because the byte offset in
 * "illegal base64 data at input byte N" is part of the error users see (auth.json "auth",
 * policy.json "keyData", kubelet pull secrets). Node's Buffer decoder is lenient and has no offsets.
 */
import { text } from '../errors/index.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decodeMap = new Int16Array(256).fill(-1);
for (let i = 0; i < alphabet.length; i++) decodeMap[alphabet.charCodeAt(i)] = i;

export class Base64Error extends Error {
  constructor(readonly offset: number) {
    super(text('auth.base64-illegal', offset));
    this.name = 'Base64Error';
  }
}

/** Go's (*Encoding).DecodeString: padded (StdEncoding) or unpadded (RawStdEncoding). Throws Base64Error. */
export function goBase64Decode(src: string, padded = true): Uint8Array {
  // Go strings are UTF-8 bytes, and the offset counts bytes.
  const bytes = Buffer.from(src, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < bytes.length) {
    const r = decodeQuantum(bytes, si, padded);
    out.push(...r.out);
    if (r.err !== undefined) throw new Base64Error(r.err);
    si = r.si;
    if (r.done) break;
  }
  return Uint8Array.from(out);
}

function isNewline(b: number): boolean {
  return b === 0x0a || b === 0x0d;
}

function decodeQuantum(src: Buffer, start: number, padded: boolean): { si: number; out: number[]; err?: number; done: boolean } {
  const dbuf = [0, 0, 0, 0];
  let dlen = 4;
  let si = start;
  let trailingErr: number | undefined;
  let done = false;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return { si, out: [], done: true };
      if (j === 1 || padded) return { si, out: [], err: si - j, done: true };
      dlen = j;
      done = true;
      break;
    }
    const b = src[si];
    si++;
    const v = decodeMap[b];
    if (v !== -1) {
      dbuf[j] = v;
      continue;
    }
    if (isNewline(b)) {
      j--;
      continue;
    }
    if (!padded || b !== 0x3d) return { si, out: [], err: si - 1, done: true };
    // Padding reached: only "xx==" or "xxx=" are well formed.
    if (j === 0 || j === 1) return { si, out: [], err: si - 1, done: true };
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) return { si, out: [], err: src.length, done: true };
      if (src[si] !== 0x3d) return { si, out: [], err: si - 1, done: true };
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    if (si < src.length) trailingErr = si;
    dlen = j;
    done = true;
    break;
  }
  const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
  const b0 = (val >> 16) & 0xff;
  const b1 = (val >> 8) & 0xff;
  const b2 = val & 0xff;
  const out = dlen === 4 ? [b0, b1, b2] : dlen === 3 ? [b0, b1] : dlen === 2 ? [b0] : [];
  return { si, out, err: trailingErr, done };
}
