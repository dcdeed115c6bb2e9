/**
 * Reading simple-signing signatures from a file:// lookaside, as the docker transport does:
 * `<base>@sha256=<hex>/signature-1`, `-2`, … until one is missing.
 */
import { fail, SignatureError, wrap } from '../errors/index.js';
import { fileUrlPath, lookasideSignatureUrl, redactUrl } from '../config/registries-d.js';
import type { NodeFS } from '../node-fs.js';
import { parseSignatureBlob } from './blob.js';

/** A NodeFS that can also return raw bytes (signatures are binary OpenPGP data). */
export interface BinaryNodeFS extends NodeFS {
  readBytes?(p: string): Uint8Array | undefined;
}

/**
 * How signature bytes are stored in a string-valued NodeFS: one char per byte (latin1), so
 * binary OpenPGP survives. The scenario runner writes lookaside files with this.
 */
export function encodeSignatureFile(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** A node file's bytes (binary-safe over a string NodeFS written with encodeSignatureFile or holding ASCII). */
export function readNodeBytes(fs: BinaryNodeFS, path: string): Uint8Array | undefined {
  if (fs.readBytes) return fs.readBytes(path);
  const s = fs.read(path);
  return s === undefined ? undefined : new Uint8Array(Buffer.from(s, 'latin1'));
}

/**
 * The simple-signing signatures for a manifest in a lookaside whose base (repository path
 * included) is `base`. Only file:// bases are read here; other schemes are the HTTP client's.
 */
export function readLookasideSignatures(fs: BinaryNodeFS, base: string, manifestDigest: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = 1; ; n++) {
    const url = lookasideSignatureUrl(base, manifestDigest, n);
    const path = fileUrlPath(url);
    if (path === undefined) {
      if (/^https?:/i.test(url)) throw new Error(`readLookasideSignatures: ${redactUrl(base)} is an HTTP lookaside; the pull client fetches those`);
      throw fail(SignatureError, 'sig.unsupported-scheme', redactUrl(url));
    }
    if (fs.isDir(path)) throw fail(SignatureError, 'sig.read-is-dir', path);
    const blob = readNodeBytes(fs, path);
    if (blob === undefined) return out;
    let parsed;
    try {
      parsed = parseSignatureBlob(blob);
    } catch (e) {
      if (e instanceof SignatureError) throw wrap(SignatureError, 'sig.parsing-signature-file', e, path);
      throw e;
    }
    // Only simple-signing signatures are what signedBy verifies; sigstore ones stored in a lookaside are not.
    if (parsed.format === 'simple-signing') out.push(parsed.data);
  }
}
