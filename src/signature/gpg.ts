/**
 * OpenPGP verification as containers/image's gpgme mechanism does it: an ephemeral keyring of
 * only the policy's keys, a signed (not detached) message with exactly one signature, and
 * gpgme's own dump of the signature when it is not valid.
 */
import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { fail, SignatureError } from '../errors/index.js';

export interface GpgKeyring {
  keys: openpgp.PublicKey[];
  /** Upper-case fingerprints of the imported keys: what c/i trusts. */
  identities: string[];
}

export interface GpgVerified {
  contents: Uint8Array;
  /** Upper-case fingerprint of the key that made the signature. */
  keyIdentity: string;
}

const ARMORED_BLOCK = /-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g;

async function readKeysLenient(blob: Uint8Array): Promise<openpgp.PublicKey[]> {
  const asText = Buffer.from(blob).toString('latin1');
  const blocks = asText.match(ARMORED_BLOCK);
  const out: openpgp.PublicKey[] = [];
  // gpg imports whatever parses and skips the rest, so a bad block just contributes no key.
  const add = async (read: () => Promise<openpgp.Key[]>): Promise<void> => {
    try {
      for (const k of await read()) out.push(k.toPublic());
    } catch {
      // nothing importable in this block
    }
  };
  if (blocks) for (const armoredKeys of blocks) await add(() => openpgp.readKeys({ armoredKeys }));
  else await add(() => openpgp.readKeys({ binaryKeys: blob }));
  return out;
}

const keyringCache = new Map<string, Promise<GpgKeyring>>();

/** newEphemeralGPGSigningMechanism: imports every key of every blob. Cached by content (keys are immutable). */
export function importGpgKeys(blobs: Uint8Array[]): Promise<GpgKeyring> {
  const h = createHash('sha256');
  for (const b of blobs) h.update(createHash('sha256').update(b).digest());
  const cacheKey = h.digest('hex');
  let p = keyringCache.get(cacheKey);
  if (!p) {
    p = (async () => {
      const keys = (await Promise.all(blobs.map(readKeysLenient))).flat();
      return { keys, identities: keys.map((k) => k.getFingerprint().toUpperCase()) };
    })();
    keyringCache.set(cacheKey, p);
  }
  return p;
}

// gpgme_error_t values as gpgme reports verify statuses: source GPGME (7) << 24 | code.
const GPGME_STATUS_BAD_SIGNATURE = 0x7000008;
const GPGME_STATUS_NO_PUBKEY = 0x7000009;
const SIGSUM_RED = 4;
const SIGSUM_KEY_MISSING = 128;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Go's %#v of a time.Time from time.Unix (the node runs in UTC, so Local prints UTC fields). */
function goTimeDump(d: Date): string {
  return `time.Date(${d.getUTCFullYear()}, time.${MONTHS[d.getUTCMonth()]}, ${d.getUTCDate()}, ${d.getUTCHours()}, ${d.getUTCMinutes()}, ${d.getUTCSeconds()}, 0, time.Local)`;
}

interface GpgmeSignatureFields {
  summary: number;
  fingerprint: string;
  status: number;
  created: Date;
  pubkeyAlgo: number;
  hashAlgo: number;
}

/** Go's %#v of the gpgme.Signature c/i prints in "Invalid GPG signature: …". */
function gpgmeSignatureDump(s: GpgmeSignatureFields): string {
  return (
    `gpgme.Signature{Summary:${s.summary}, Fingerprint:"${s.fingerprint}", Status:gpgme.Error{err:0x${s.status.toString(16)}}, ` +
    `Timestamp:${goTimeDump(s.created)}, ExpTimestamp:${goTimeDump(new Date(0))}, WrongKeyUsage:false, PKATrust:0x0, ` +
    `ChainModel:false, Validity:0, ValidityReason:error(nil), PubkeyAlgo:${s.pubkeyAlgo}, HashAlgo:${s.hashAlgo}}`
  );
}

const verifyCache = new Map<string, Promise<GpgVerified>>();

/**
 * gpgmeSigningMechanism.Verify: returns the signed contents and signer, or throws the error
 * c/i returns (a gpgme error, or an InvalidSignatureError). Cached per keyring and signature.
 */
export function verifyGpgSignature(keyring: GpgKeyring, signature: Uint8Array): Promise<GpgVerified> {
  const cacheKey = `${keyring.identities.join(',')}\0${createHash('sha256').update(signature).digest('hex')}`;
  let p = verifyCache.get(cacheKey);
  if (!p) {
    p = verifyUncached(keyring, signature);
    verifyCache.set(cacheKey, p);
  }
  return p;
}

async function verifyUncached(keyring: GpgKeyring, signature: Uint8Array): Promise<GpgVerified> {
  let result;
  try {
    const message = await openpgp.readMessage({ binaryMessage: signature });
    result = await openpgp.verify({ message, verificationKeys: keyring.keys, format: 'binary' });
  } catch {
    throw fail(SignatureError, 'sig.gpgme-no-data');
  }
  if (result.signatures.length !== 1) throw fail(SignatureError, 'sig.gpg-count', result.signatures.length);
  const sig = result.signatures[0]!;
  const keyID = sig.keyID;
  const signer = keyring.keys.find((k) => k.getKeys(keyID).length > 0);
  let ok = false;
  try {
    ok = (await sig.verified) === true;
  } catch {
    ok = false;
  }
  if (ok && signer) return { contents: result.data as Uint8Array, keyIdentity: signer.getFingerprint().toUpperCase() };

  let packet: openpgp.SignaturePacket | undefined;
  try {
    packet = (await sig.signature).packets[0];
  } catch {
    packet = undefined;
  }
  const issuerFingerprint = packet?.issuerFingerprint;
  const fingerprint = signer
    ? signer.getFingerprint().toUpperCase()
    : issuerFingerprint
      ? Buffer.from(issuerFingerprint).toString('hex').toUpperCase()
      : keyID.toHex().toUpperCase();
  throw fail(
    SignatureError,
    'sig.invalid-gpg',
    gpgmeSignatureDump({
      summary: signer ? SIGSUM_RED : SIGSUM_KEY_MISSING,
      fingerprint,
      status: signer ? GPGME_STATUS_BAD_SIGNATURE : GPGME_STATUS_NO_PUBKEY,
      created: packet?.created ?? new Date(0),
      pubkeyAlgo: packet?.publicKeyAlgorithm ?? 0,
      hashAlgo: packet?.hashAlgorithm ?? 0,
    }),
  );
}
