/**
 * Sigstore (cosign) signatures with a public key, as containers/image 5.23.1 verifies them
 * (signature/internal/sigstore_payload.go): ECDSA/RSA-SHA256 over the exact payload bytes,
 * signature from the `dev.cosignproject.cosign/signature` annotation.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { fail, SignatureError, wrap } from '../errors/index.js';

export const SIGSTORE_SIGNATURE_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGSTORE_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

const keyCache = new Map<string, KeyObject | SignatureError>();

/** cryptoutils.UnmarshalPEMToPublicKey; throws "parsing public key: …". */
export function parseSigstorePublicKey(pem: Uint8Array): KeyObject {
  const cacheKey = createHash('sha256').update(pem).digest('hex');
  let k = keyCache.get(cacheKey);
  if (!k) {
    const textPem = Buffer.from(pem).toString('latin1');
    const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/.exec(textPem);
    if (!block) k = fail(SignatureError, 'sig.sigstore-pem-invalid');
    else {
      try {
        k = createPublicKey({ key: block[0], format: 'pem' });
      } catch (e) {
        k = fail(SignatureError, 'sig.sigstore-key-type', (e as Error).message);
      }
    }
    keyCache.set(cacheKey, k);
  }
  if (k instanceof SignatureError) throw wrap(SignatureError, 'sig.sigstore-parsing-key', k);
  return k;
}

/** VerifySigstorePayload's cryptographic part; throws an InvalidSignatureError text. */
export function verifySigstoreSignature(key: KeyObject, payload: Uint8Array, base64Signature: string): void {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64Signature) || base64Signature.length % 4 !== 0) {
    const bad = base64Signature.search(/[^A-Za-z0-9+/=]|=[^=]/);
    const at = bad === -1 ? base64Signature.length - (base64Signature.length % 4) : bad;
    throw wrap(SignatureError, 'sig.sigstore-base64', fail(SignatureError, 'sig.base64-corrupt', at));
  }
  const sig = Buffer.from(base64Signature, 'base64');
  let ok = false;
  try {
    ok = verify('sha256', payload, key, sig);
  } catch {
    ok = false;
  }
  if (!ok) {
    const reason = fail(SignatureError, key.asymmetricKeyType === 'rsa' ? 'sig.sigstore-rsa' : 'sig.sigstore-asn1');
    throw wrap(SignatureError, 'sig.sigstore-crypto', reason);
  }
}
