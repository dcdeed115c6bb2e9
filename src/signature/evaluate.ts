/**
 * Evaluating one signature requirement of policy.json (signedBy, sigstoreSigned) against a pulled
 * manifest and its signatures, as containers/image 5.23.1 does after fetching the manifest
 * (signature/policy_eval_*.go). The requirements that need no signature are decided by
 * checkRequirement (policy-scope). Errors carry c/i's texts; the caller wraps them as
 * "Source image rejected: %s".
 */
import { asStackError, fail, SignatureError, StackError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import type { PolicyRequirement, SignatureRequirement, SignedIdentity } from '../policy/policy-types.js';
import type { ImageRef } from '../reference/reference.js';
import { importGpgKeys, verifyGpgSignature } from './gpg.js';
import { matchesDockerReference } from './identity-match.js';
import { readNodeBytes } from './lookaside.js';
import { parseSignedClaims, SIGSTORE_PAYLOAD_TYPE, SIMPLE_SIGNING_TYPE, type SignedClaims } from './payload.js';
import { parseSigstorePublicKey, SIGSTORE_SIGNATURE_ANNOTATION, SIGSTORE_SIGNATURE_MEDIA_TYPE, verifySigstoreSignature } from './sigstore.js';

export interface SigstoreAttachmentLayer {
  payload: Uint8Array;
  annotations: Record<string, string>;
  /** The layer's media type; default: the cosign simple-signing type. Other attachments are counted, not verified. */
  mediaType?: string;
}

export interface SignatureEvalContext {
  fs: NodeFS;
  /** The reference the user asked for (never the mirror that served it). */
  logicalRef: ImageRef;
  /** Digest of the manifest that was pulled (the instance's, for a multi-platform image). */
  manifestDigest: string;
  /** Simple-signing signatures from the lookaside (see readLookasideSignatures); may throw c/i's read errors. */
  gpgSignatures(): Promise<Uint8Array[]>;
  /** Sigstore attachment layers ([] when use-sigstore-attachments is off or none exist). */
  sigstoreAttachments(): Promise<SigstoreAttachmentLayer[]>;
}

/**
 * Codes of errors c/i types as PolicyRequirementError or InvalidSignatureError: what CRI-O
 * reports as SignatureValidationFailed (WrapSignatureCRIErrorIfNeeded).
 */
const REJECTION_CODES = new Set<string>([
  'policy.no-signature',
  'policy.reject',
  'policy.signed-base-layer',
  'sig.identity-not-accepted',
  'sig.digest-mismatch',
  'sig.key-not-accepted',
  'sig.none-accepted',
  'sig.none-sigstore-counts',
  'sig.no-public-keys',
  'sig.invalid-gpg',
  'sig.gpg-count',
  'sig.invalid-signature-json',
  'sig.unrecognized-type',
  'sig.timestamp-not-integer',
  'sig.sigstore-base64',
  'sig.sigstore-crypto',
]);

/** True when err (or what it wraps) is a signature/policy rejection rather than an I/O or config failure. */
export function isSignatureRejection(err: unknown): boolean {
  if (!(err instanceof StackError)) return false;
  for (let e: StackError | undefined = err; e; e = e.cause) if (REJECTION_CODES.has(e.code)) return true;
  return false;
}

function readKeyFile(fs: NodeFS, path: string): Uint8Array {
  const bytes = readNodeBytes(fs, path);
  if (bytes !== undefined) return bytes;
  if (fs.isDir(path)) throw fail(SignatureError, 'sig.read-is-dir', path);
  throw fail(SignatureError, 'sig.open-missing', path);
}

function decodeKeyData(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** The checks after the cryptography: digest first, then identity (verifyAndExtractSignature's order). */
function acceptClaims(claims: SignedClaims, rule: SignedIdentity, ctx: SignatureEvalContext): void {
  if (claims.dockerManifestDigest !== ctx.manifestDigest) throw fail(SignatureError, 'sig.digest-mismatch', claims.dockerManifestDigest);
  if (!matchesDockerReference(rule, ctx.logicalRef, claims.dockerReference)) {
    throw fail(SignatureError, 'sig.identity-not-accepted', claims.dockerReference);
  }
}

function summarize(rejections: StackError[], noneExists: () => StackError): StackError {
  if (rejections.length === 0) return noneExists();
  if (rejections.length === 1) return rejections[0]!;
  return fail(SignatureError, 'sig.none-accepted', rejections.map((e) => e.message).join('; '));
}

type SignedBy = Extract<PolicyRequirement, { type: 'signedBy' }>;
type SigstoreSigned = Extract<PolicyRequirement, { type: 'sigstoreSigned' }>;

/** prSignedBy.isSignatureAuthorAccepted for one signature. Keys are read per signature, as c/i does. */
async function acceptGpgSignature(req: SignedBy, ctx: SignatureEvalContext, sig: Uint8Array): Promise<void> {
  if (req.keyType !== 'GPGKeys') {
    const known = ['signedByGPGKeys', 'X509Certificates', 'signedByX509CAs'].includes(req.keyType);
    throw fail(SignatureError, known ? 'policy.unimplemented-keytype' : 'sig.unknown-keytype', req.keyType);
  }
  let sources = 0;
  let blobs: Uint8Array[] = [];
  if (req.keyPath) {
    sources++;
    blobs = [readKeyFile(ctx.fs, req.keyPath)];
  }
  if (req.keyPaths !== undefined) {
    sources++;
    blobs = req.keyPaths.map((p) => readKeyFile(ctx.fs, p));
  }
  if (req.keyData !== undefined) {
    sources++;
    blobs = [decodeKeyData(req.keyData)];
  }
  if (sources !== 1) throw fail(SignatureError, 'sig.key-sources');
  const keyring = await importGpgKeys(blobs);
  if (keyring.identities.length === 0) throw fail(SignatureError, 'sig.no-public-keys');
  const verified = await verifyGpgSignature(keyring, sig);
  if (!keyring.identities.includes(verified.keyIdentity)) throw fail(SignatureError, 'sig.key-not-accepted', verified.keyIdentity);
  acceptClaims(parseSignedClaims(verified.contents, SIMPLE_SIGNING_TYPE), req.signedIdentity, ctx);
}

async function evaluateSignedBy(req: SignedBy, ctx: SignatureEvalContext): Promise<void> {
  const sigs = await ctx.gpgSignatures();
  await ctx.sigstoreAttachments();
  const rejections: StackError[] = [];
  for (const sig of sigs) {
    try {
      await acceptGpgSignature(req, ctx, sig);
      return;
    } catch (e) {
      rejections.push(asStackError(e));
    }
  }
  throw summarize(rejections, () => fail(SignatureError, 'policy.no-signature'));
}

/** The public keys a sigstoreSigned requirement trusts (keyPaths/keyDatas are later c/i forms, accepted as "any of"). */
function sigstoreKeys(req: SigstoreSigned, fs: NodeFS): Uint8Array[] {
  if (req.keyPath && req.keyData !== undefined) throw fail(SignatureError, 'sig.sigstore-key-both');
  const pems: Uint8Array[] = [];
  if (req.keyPath) pems.push(readKeyFile(fs, req.keyPath));
  for (const p of req.keyPaths ?? []) pems.push(readKeyFile(fs, p));
  if (req.keyData !== undefined) pems.push(decodeKeyData(req.keyData));
  for (const d of req.keyDatas ?? []) pems.push(decodeKeyData(d));
  if (pems.length === 0) {
    if (req.fulcio) throw fail(SignatureError, 'sig.sigstore-fulcio-unsupported');
    throw fail(SignatureError, 'sig.sigstore-no-key-source');
  }
  if (req.rekorPublicKeyPath || req.rekorPublicKeyData) throw fail(SignatureError, 'sig.sigstore-rekor-unsupported');
  return pems;
}

function acceptSigstoreSignature(req: SigstoreSigned, ctx: SignatureEvalContext, layer: SigstoreAttachmentLayer): void {
  const keys = sigstoreKeys(req, ctx.fs).map(parseSigstorePublicKey);
  const b64 = layer.annotations[SIGSTORE_SIGNATURE_ANNOTATION];
  if (b64 === undefined) throw fail(SignatureError, 'sig.sigstore-missing-annotation', SIGSTORE_SIGNATURE_ANNOTATION);
  let firstFailure: unknown;
  for (const key of keys) {
    try {
      verifySigstoreSignature(key, layer.payload, b64);
      firstFailure = undefined;
      break;
    } catch (e) {
      firstFailure ??= e;
    }
  }
  if (firstFailure !== undefined) throw firstFailure;
  acceptClaims(parseSignedClaims(layer.payload, SIGSTORE_PAYLOAD_TYPE), req.signedIdentity, ctx);
}

async function evaluateSigstoreSigned(req: SigstoreSigned, ctx: SignatureEvalContext): Promise<void> {
  const nonSigstore = (await ctx.gpgSignatures()).length;
  const layers = await ctx.sigstoreAttachments();
  let nonSignatureAttachments = 0;
  const rejections: StackError[] = [];
  for (const layer of layers) {
    if ((layer.mediaType ?? SIGSTORE_SIGNATURE_MEDIA_TYPE) !== SIGSTORE_SIGNATURE_MEDIA_TYPE) {
      nonSignatureAttachments++;
      continue;
    }
    try {
      acceptSigstoreSignature(req, ctx, layer);
      return;
    } catch (e) {
      rejections.push(asStackError(e));
    }
  }
  throw summarize(rejections, () =>
    nonSigstore === 0 && nonSignatureAttachments === 0
      ? fail(SignatureError, 'policy.no-signature')
      : fail(SignatureError, 'sig.none-sigstore-counts', nonSigstore, nonSignatureAttachments),
  );
}

/**
 * Resolves when the requirement accepts the image; otherwise throws SignatureError with
 * containers/image's text (not yet wrapped in "Source image rejected: ").
 */
export async function evaluateSignatureRequirement(req: SignatureRequirement, ctx: SignatureEvalContext): Promise<void> {
  return req.type === 'signedBy' ? evaluateSignedBy(req, ctx) : evaluateSigstoreSigned(req, ctx);
}
