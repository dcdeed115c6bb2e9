/**
 * Signature blobs as stored in a lookaside (internal/signature.FromBlob): bare OpenPGP
 * simple-signing data, recognised by its first packet byte, or the newer `\0format\n…` framing.
 */
import { fail, SignatureError } from '../errors/index.js';

export type SignatureBlob =
  | { format: 'simple-signing'; data: Uint8Array }
  | { format: 'sigstore-json'; data: Uint8Array };

/** OpenPGP packet headers c/i accepts as the start of a simple signature: compressed data, one-pass signature, signature. */
const OPENPGP_FIRST_BYTES = new Set([0xa0, 0xa1, 0xa2, 0xa3, 0xc8, 0x90, 0x91, 0x92, 0x3d, 0xc4, 0x88, 0x89, 0x8a, 0x8b, 0xc2]);

function hexByte(b: number): string {
  return `0x${b.toString(16)}`;
}

export function parseSignatureBlob(blob: Uint8Array): SignatureBlob {
  if (blob.length === 0) throw fail(SignatureError, 'sig.blob-empty');
  const first = blob[0]!;
  if (OPENPGP_FIRST_BYTES.has(first)) return { format: 'simple-signing', data: blob };
  if (first !== 0x00) throw fail(SignatureError, 'sig.blob-unrecognized-binary', hexByte(first));
  const rest = blob.subarray(1);
  const nl = rest.indexOf(0x0a);
  if (nl === -1) throw fail(SignatureError, 'sig.blob-missing-newline');
  const formatBytes = rest.subarray(0, nl);
  for (const b of formatBytes) if (b < 32 || b >= 0x7f) throw fail(SignatureError, 'sig.blob-non-ascii', hexByte(b));
  const format = new TextDecoder('latin1').decode(formatBytes);
  const data = rest.subarray(nl + 1);
  if (format === 'simple-signing') return { format: 'simple-signing', data };
  if (format === 'sigstore-json') return { format: 'sigstore-json', data };
  throw fail(SignatureError, 'sig.blob-unrecognized', format);
}
