/**
 * Signing keys and signatures for the fake registries: GPG "simple signing" signatures as
 * containers/image writes them to a lookaside, and cosign-style sigstore attachments.
 */
import { createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { KeySpec } from '../src/scenario/types.js';
import { SIGSTORE_SIGNATURE_ANNOTATION, SIGSTORE_SIGNATURE_MEDIA_TYPE } from '../src/signature/sigstore.js';

/** The creator string containers/image 5.23.1 puts into signatures it makes. */
const SIMPLE_SIGNING_CREATOR = 'atomic 5.23.1';
const SIGSTORE_CREATOR = 'containers/image 5.23.1';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';

export interface GpgKey {
  type: 'gpg';
  name: string;
  email: string;
  /** ASCII-armored public key: what a node file `{publicKey: KEY}` contains. */
  publicKeyFile: string;
  /** Base64 of the binary public key, for `${keyData:KEY}`. */
  keyData: string;
  /** Upper-case hex, as gpgme reports it. */
  fingerprint: string;
  privateKey: openpgp.PrivateKey;
}

export interface SigstoreKey {
  type: 'sigstore';
  name: string;
  /** PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as cosign writes cosign.pub. */
  publicKeyFile: string;
  /** Base64 of the PEM, for a sigstoreSigned `keyData`. */
  keyData: string;
  privateKey: KeyObject;
}

export type GeneratedKey = GpgKey | SigstoreKey;

/**
 * Keys are cached per process by name and spec: a scenario's key names are unique, and two
 * scenarios sharing a name and spec gain nothing from distinct key material. Two different
 * names never share a key, so "signed by the wrong key" stays observable.
 */
const keyCache = new Map<string, Promise<GeneratedKey>>();

function cacheKey(name: string, spec: KeySpec): string {
  return spec.type === 'gpg' ? `gpg\0${name}\0${spec.email ?? ''}` : `sigstore\0${name}`;
}

async function generateGpgKey(name: string, email: string): Promise<GpgKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: `pullsim ${name}`, email }],
    format: 'object',
  });
  return {
    type: 'gpg',
    name,
    email,
    publicKeyFile: publicKey.armor(),
    keyData: Buffer.from(publicKey.write()).toString('base64'),
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    privateKey,
  };
}

function generateSigstoreKey(name: string): SigstoreKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { type: 'sigstore', name, publicKeyFile: pem, keyData: Buffer.from(pem).toString('base64'), privateKey };
}

function defaultEmail(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-') || 'key'}@pullsim.test`;
}

export async function generateKey(name: string, spec: KeySpec): Promise<GeneratedKey> {
  const k = cacheKey(name, spec);
  let p = keyCache.get(k);
  if (!p) {
    p = spec.type === 'gpg' ? generateGpgKey(name, spec.email ?? defaultEmail(name)) : Promise.resolve(generateSigstoreKey(name));
    keyCache.set(k, p);
  }
  return p;
}

/** Generates (or reuses) every key a scenario names. */
export async function generateKeys(keys: Record<string, KeySpec>): Promise<Map<string, GeneratedKey>> {
  const names = Object.keys(keys);
  const generated = await Promise.all(names.map((n) => generateKey(n, keys[n])));
  return new Map(names.map((n, i) => [n, generated[i]]));
}

/**
 * The simple-signing payload. Go's json.Marshal of c/i's maps sorts keys, which this literal
 * order reproduces byte for byte.
 */
function signaturePayload(type: string, creator: string, dockerReference: string, manifestDigest: string): Uint8Array {
  const body = {
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': manifestDigest },
      type,
    },
    optional: { creator, timestamp: Math.floor(Date.now() / 1000) },
  };
  return new TextEncoder().encode(JSON.stringify(body));
}

const gpgSignatureCache = new Map<string, Promise<Uint8Array>>();

/**
 * A containers/image simple-signing signature: an OpenPGP signed (not detached) binary message
 * whose literal data is the JSON payload — the bytes stored as `signature-N` in a lookaside.
 */
export function signGpg(key: GpgKey, dockerReference: string, manifestDigest: string): Promise<Uint8Array> {
  const k = `${key.fingerprint}\0${dockerReference}\0${manifestDigest}`;
  let p = gpgSignatureCache.get(k);
  if (!p) {
    p = (async () => {
      const payload = signaturePayload('atomic container signature', SIMPLE_SIGNING_CREATOR, dockerReference, manifestDigest);
      const message = await openpgp.createMessage({ binary: payload });
      return openpgp.sign({ message, signingKeys: key.privateKey, format: 'binary' });
    })();
    gpgSignatureCache.set(k, p);
  }
  return p;
}

export interface SigstoreSignature {
  payload: Uint8Array;
  /** Base64 of the DER ECDSA-SHA256 signature over the payload: the `dev.cosignproject.cosign/signature` annotation. */
  signatureB64: string;
}

export function signSigstore(key: SigstoreKey, dockerReference: string, manifestDigest: string): SigstoreSignature {
  const payload = signaturePayload('cosign container image signature', SIGSTORE_CREATOR, dockerReference, manifestDigest);
  const signatureB64 = cryptoSign('sha256', payload, key.privateKey).toString('base64');
  return { payload, signatureB64 };
}

function sha256Digest(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** The tag cosign stores an image's signatures under: `sha256-<hex>.sig`. */
export function sigstoreAttachmentTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`;
}

export interface SigstoreAttachment {
  /** `sha256-<hex>.sig`, in the same repository as the signed image. */
  tag: string;
  mediaType: typeof OCI_MANIFEST_MEDIA_TYPE;
  manifest: Uint8Array;
  manifestDigest: string;
  /** Config and layer blobs by digest. */
  blobs: Map<string, Uint8Array>;
}

/**
 * The attachment manifest a registry serves for signed image `manifestDigest`: an OCI manifest
 * with one simple-signing layer per signature, each annotated with its base64 signature.
 */
export function buildSigstoreAttachment(manifestDigest: string, signatures: SigstoreSignature[]): SigstoreAttachment {
  const blobs = new Map<string, Uint8Array>();
  const layers = signatures.map((s) => {
    const digest = sha256Digest(s.payload);
    blobs.set(digest, s.payload);
    return {
      mediaType: SIGSTORE_SIGNATURE_MEDIA_TYPE,
      size: s.payload.length,
      digest,
      annotations: { [SIGSTORE_SIGNATURE_ANNOTATION]: s.signatureB64 },
    };
  });
  const config = new TextEncoder().encode(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const configDigest = sha256Digest(config);
  blobs.set(configDigest, config);
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: { mediaType: OCI_CONFIG_MEDIA_TYPE, size: config.length, digest: configDigest },
      layers,
    }),
  );
  return { tag: sigstoreAttachmentTag(manifestDigest), mediaType: OCI_MANIFEST_MEDIA_TYPE, manifest, manifestDigest: sha256Digest(manifest), blobs };
}
