import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSigstoreAttachment, generateKeys, signSigstore, type SigstoreKey } from '../../sim/signing.js';
import { MemoryFS } from '../../src/node-fs.js';
import { outcome } from './outcome.js';
import type { SignatureRequirement } from '../../src/policy/policy-types.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import type { SigstoreAttachmentLayer, SignatureEvalContext } from '../../src/signature/evaluate.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const IMAGE = 'harbor.lab.test/sigstore/app:v1';
const ANNOTATION = 'dev.cosignproject.cosign/signature';
let k: SigstoreKey;
let other: SigstoreKey;

beforeAll(async () => {
  const keys = await generateKeys({ release: { type: 'sigstore' }, other: { type: 'sigstore' } });
  k = keys.get('release') as SigstoreKey;
  other = keys.get('other') as SigstoreKey;
});

function layerFor(key: SigstoreKey, identity = IMAGE, digest = DIGEST): SigstoreAttachmentLayer {
  const s = signSigstore(key, identity, digest);
  return { payload: s.payload, annotations: { [ANNOTATION]: s.signatureB64 } };
}

function ctx(layers: SigstoreAttachmentLayer[], gpg: Uint8Array[] = []): SignatureEvalContext {
  return {
    fs: new MemoryFS({ '/etc/containers/keys/sigstore.pub': k.publicKeyFile }),
    logicalRef: parseNormalizedNamed(IMAGE),
    manifestDigest: DIGEST,
    gpgSignatures: async () => gpg,
    sigstoreAttachments: async () => layers,
  };
}

function sigstoreSigned(extra: Partial<Extract<SignatureRequirement, { type: 'sigstoreSigned' }>> = {}): SignatureRequirement {
  return { type: 'sigstoreSigned', keyPath: '/etc/containers/keys/sigstore.pub', signedIdentity: { type: 'matchRepoDigestOrExact' }, ...extra };
}

describe('sigstoreSigned with a public key (upstream c/i, as RHCOS CRI-O)', () => {
  it('accepts an attachment signed by the key (keyPath)', async () => {
    expect(await outcome(sigstoreSigned(), ctx([layerFor(k)]))).toBe('accepted');
  });

  it('accepts keyData (base64 of the PEM)', async () => {
    expect(await outcome(sigstoreSigned({ keyPath: undefined, keyData: k.keyData }), ctx([layerFor(k)]))).toBe('accepted');
  });

  it.each([
    ['no attachment (150 sigstore-unsigned)', () => [], 'A signature was required, but no signature exists'],
    ['signed by another key', () => [layerFor(other)], 'cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature'],
    ['another identity', () => [layerFor(k, 'harbor.lab.test/sigstore/other:v1')], 'Signature for identity harbor.lab.test/sigstore/other:v1 is not accepted'],
    ['another digest', () => [layerFor(k, IMAGE, `sha256:${'d'.repeat(64)}`)], `Signature for digest sha256:${'d'.repeat(64)} does not match`],
    ['no signature annotation', () => [{ payload: layerFor(k).payload, annotations: {} }], `missing ${ANNOTATION} annotation`],
    ['bad base64', () => [{ payload: layerFor(k).payload, annotations: { [ANNOTATION]: 'ab!d' } }], 'base64 decoding: illegal base64 data at input byte 2'],
  ])('%s', async (_n, layers, want) => {
    expect(await outcome(sigstoreSigned(), ctx(layers()))).toBe(want);
  });

  it('counts lookaside signatures and other attachments when nothing is a sigstore signature', async () => {
    const other = { payload: new Uint8Array([1]), annotations: {}, mediaType: 'application/vnd.dev.sigstore.bundle+json' };
    expect(await outcome(sigstoreSigned(), ctx([other], [new Uint8Array([0xc4])]))).toBe(
      'A signature was required, but no signature exists (1 non-sigstore signatures, 1 sigstore non-signature attachments)',
    );
  });

  it.each([
    ['missing key file', () => sigstoreSigned({ keyPath: '/nope.pub' }), 'open /nope.pub: no such file or directory'],
    ['key that is not PEM', () => sigstoreSigned({ keyPath: undefined, keyData: Buffer.from('hello').toString('base64') }), 'parsing public key: PEM decoding failed'],
    ['both keyPath and keyData', () => sigstoreSigned({ keyData: k.keyData }), 'Internal inconsistency: both "keyPath" and "keyData" specified'],
    ['no key at all', () => sigstoreSigned({ keyPath: undefined }), 'Internal inconsistency: A public key, Fulcio, or PKI must be specified.'],
    ['fulcio only', () => sigstoreSigned({ keyPath: undefined, fulcio: { caPath: '/ca.pem' } }), 'sigstoreSigned "fulcio" verification is not supported by containers/image 5.23.1 (use "keyPath" or "keyData")'],
  ])('%s', async (_n, req, want) => {
    expect(await outcome(req(), ctx([layerFor(k)]))).toBe(want);
  });

  it('accepts an attachment built for the registry, read back through its layers', async () => {
    const att = buildSigstoreAttachment(DIGEST, [signSigstore(k, IMAGE, DIGEST)]);
    const manifest = JSON.parse(new TextDecoder().decode(att.manifest)) as {
      layers: { mediaType: string; digest: string; annotations: Record<string, string> }[];
    };
    const layers = manifest.layers.map((l) => ({ payload: att.blobs.get(l.digest)!, annotations: l.annotations, mediaType: l.mediaType }));
    expect(await outcome(sigstoreSigned(), ctx(layers))).toBe('accepted');
  });
});

describe('sigstore attachment manifest (sim/signing)', () => {
  it('is an OCI manifest at sha256-<hex>.sig with one annotated simple-signing layer per signature', () => {
    const sigs = [signSigstore(k, IMAGE, DIGEST), signSigstore(other, IMAGE, DIGEST)];
    const att = buildSigstoreAttachment(DIGEST, sigs);
    expect(att.tag).toBe(`sha256-${'c'.repeat(64)}.sig`);
    expect(att.manifestDigest).toBe(`sha256:${createHash('sha256').update(att.manifest).digest('hex')}`);
    const m = JSON.parse(new TextDecoder().decode(att.manifest));
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(Array(2).fill('application/vnd.dev.cosign.simplesigning.v1+json'));
    expect(m.layers[1].annotations[ANNOTATION]).toBe(sigs[1].signatureB64);
    for (const d of [m.config.digest, ...m.layers.map((l: { digest: string }) => l.digest)]) {
      expect(`sha256:${createHash('sha256').update(att.blobs.get(d)!).digest('hex')}`).toBe(d);
    }
  });
});
