import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, signGpg, type GpgKey } from '../../sim/signing.js';
import { MemoryFS } from '../../src/node-fs.js';
import { outcome } from './outcome.js';
import type { SignatureRequirement, SignedIdentity } from '../../src/policy/policy-types.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { evaluateSignatureRequirement, isSignatureRejection, type SignatureEvalContext } from '../../src/signature/evaluate.js';
import { encodeSignatureFile, readLookasideSignatures } from '../../src/signature/lookaside.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const IMAGE = 'harbor.lab.test/signed/app:v1';
let a: GpgKey;
let b: GpgKey;

beforeAll(async () => {
  const keys = await generateKeys({ 'signer-a': { type: 'gpg', email: 'signer-a@lab.test' }, 'signer-b': { type: 'gpg', email: 'signer-b@lab.test' } });
  a = keys.get('signer-a') as GpgKey;
  b = keys.get('signer-b') as GpgKey;
});

function ctx(sigs: Uint8Array[], files: Record<string, string> = {}, image = IMAGE): SignatureEvalContext {
  return {
    fs: new MemoryFS({ '/etc/containers/keys/signer-a.pub': a.publicKeyFile, ...files }),
    logicalRef: parseNormalizedNamed(image),
    manifestDigest: DIGEST,
    gpgSignatures: async () => sigs,
    sigstoreAttachments: async () => [],
  };
}

const matchDefault: SignedIdentity = { type: 'matchRepoDigestOrExact' };
function signedBy(extra: Partial<Extract<SignatureRequirement, { type: 'signedBy' }>> = {}): SignatureRequirement {
  return { type: 'signedBy', keyType: 'GPGKeys', keyPath: '/etc/containers/keys/signer-a.pub', signedIdentity: matchDefault, ...extra };
}

describe('signedBy with GPG keys (conformance 133-143)', () => {
  it('accepts a signature by the trusted key (keyPath, armored)', async () => {
    expect(await outcome(signedBy(), ctx([await signGpg(a, IMAGE, DIGEST)]))).toBe('accepted');
  });

  it('accepts inline keyData (base64 of the binary key)', async () => {
    const req = signedBy({ keyPath: undefined, keyData: a.keyData });
    expect(await outcome(req, ctx([await signGpg(a, IMAGE, DIGEST)]))).toBe('accepted');
  });

  it('accepts keyPaths when any listed key signed', async () => {
    const req = signedBy({ keyPath: undefined, keyPaths: ['/k/b.pub', '/etc/containers/keys/signer-a.pub'] });
    expect(await outcome(req, ctx([await signGpg(a, IMAGE, DIGEST)], { '/k/b.pub': b.publicKeyFile }))).toBe('accepted');
  });

  it('rejects a signature by another key with gpgme\'s dump', async () => {
    const msg = await outcome(signedBy(), ctx([await signGpg(b, IMAGE, DIGEST)]));
    expect(msg.startsWith('Invalid GPG signature: gpgme.Signature{Summary:128, Fingerprint:"')).toBe(true);
    expect(msg).toContain(`Fingerprint:"${b.fingerprint}"`);
  });

  it('rejects a tampered signature by the trusted key as a bad signature', async () => {
    const sig = new Uint8Array(await signGpg(a, IMAGE, DIGEST));
    // Flip a byte inside the signed JSON itself: a lone '{' can also occur in the key ID bytes before it.
    const at = Buffer.from(sig).indexOf('{"critical"');
    expect(at).toBeGreaterThan(0);
    sig[at + 3] ^= 1;
    const msg = await outcome(signedBy(), ctx([sig]));
    expect(msg).toMatch(/^Invalid GPG signature: gpgme\.Signature\{Summary:4, Fingerprint:"[0-9A-F]{40}"/);
  });

  it.each([
    ['no signatures', [] as string[], 'A signature was required, but no signature exists'],
    ['identity of another image', ['harbor.lab.test/signed/other:v1'], 'Signature for identity harbor.lab.test/signed/other:v1 is not accepted'],
  ])('%s', async (_name, identities, want) => {
    const sigs = await Promise.all(identities.map((i) => signGpg(a, i, DIGEST)));
    expect(await outcome(signedBy(), ctx(sigs))).toBe(want);
  });

  it('checks the manifest digest before the identity', async () => {
    const sig = await signGpg(a, 'harbor.lab.test/signed/other:v1', OTHER_DIGEST);
    expect(await outcome(signedBy(), ctx([sig]))).toBe(`Signature for digest ${OTHER_DIGEST} does not match`);
  });

  it('joins the reasons when several signatures are all rejected', async () => {
    const sigs = [await signGpg(a, 'harbor.lab.test/signed/other:v1', DIGEST), await signGpg(a, IMAGE, OTHER_DIGEST)];
    expect(await outcome(signedBy(), ctx(sigs))).toBe(
      `None of the signatures were accepted, reasons: Signature for identity harbor.lab.test/signed/other:v1 is not accepted; Signature for digest ${OTHER_DIGEST} does not match`,
    );
  });

  it('one accepted signature is enough', async () => {
    const sigs = [await signGpg(b, IMAGE, DIGEST), await signGpg(a, IMAGE, DIGEST)];
    expect(await outcome(signedBy(), ctx(sigs))).toBe('accepted');
  });

  it('reads the key only when there is a signature to check (141 vs 136)', async () => {
    const req = signedBy({ keyPath: '/etc/containers/keys/missing.pub' });
    expect(await outcome(req, ctx([]))).toBe('A signature was required, but no signature exists');
    expect(await outcome(req, ctx([await signGpg(a, IMAGE, DIGEST)]))).toBe('open /etc/containers/keys/missing.pub: no such file or directory');
  });

  it.each([
    ['X509Certificates', 'Unimplemented "keyType" value "X509Certificates"'],
    ['signedByGPGKeys', 'Unimplemented "keyType" value "signedByGPGKeys"'],
    ['Bogus', 'Unknown "keyType" value "Bogus"'],
  ])('keyType %s', async (keyType, want) => {
    expect(await outcome(signedBy({ keyType }), ctx([await signGpg(a, IMAGE, DIGEST)]))).toBe(want);
  });

  it.each([
    ['a key file with no key in it', { '/etc/containers/keys/signer-a.pub': 'not a key\n' }, signedBy(), 'No public keys imported'],
    ['both keyPath and keyData', {}, signedBy({ keyData: 'AAAA' }), 'Internal inconsistency: not exactly one of "keyPath", "keyPaths" and "keyData" specified'],
    ['a directory as keyPath', { '/etc/keys/dir/x': 'x' }, signedBy({ keyPath: '/etc/keys/dir' }), 'read /etc/keys/dir: is a directory'],
  ])('fails for %s', async (_n, files, req, want) => {
    expect(await outcome(req, ctx([await signGpg(a, IMAGE, DIGEST)], files))).toBe(want);
  });

  it.each([
    ['garbage after a valid first byte', new Uint8Array([0xc4, 1, 2, 3]), 'No data'],
  ])('malformed signature: %s', async (_n, sig, want) => {
    expect(await outcome(signedBy(), ctx([sig]))).toBe(want);
  });
});

describe('isSignatureRejection (CRI-O SignatureValidationFailed)', () => {
  it.each([
    ['no signature', async () => ctx([]), signedBy(), true],
    ['wrong key', async () => ctx([await signGpg(b, IMAGE, DIGEST)]), signedBy(), true],
    ['missing key file', async () => ctx([await signGpg(a, IMAGE, DIGEST)]), signedBy({ keyPath: '/nope' }), false],
  ])('%s → %s', async (_n, mk, req, want) => {
    const err = await evaluateSignatureRequirement(req, await mk()).then(() => undefined, (e: unknown) => e);
    expect(isSignatureRejection(err)).toBe(want);
  });
});

describe('lookaside signatures through the node filesystem', () => {
  it('reads signature-1, -2 … until one is missing and verifies them', async () => {
    const sig = await signGpg(a, IMAGE, DIGEST);
    const dir = `/srv/lookaside/harbor/signed/app@sha256=${'a'.repeat(64)}`;
    const fs = new MemoryFS({ [`${dir}/signature-1`]: encodeSignatureFile(sig), [`${dir}/signature-3`]: encodeSignatureFile(sig) });
    const sigs = readLookasideSignatures(fs, 'file:///srv/lookaside/harbor/signed/app', DIGEST);
    expect(sigs).toHaveLength(1);
    expect(await outcome(signedBy(), { ...ctx([]), gpgSignatures: async () => sigs })).toBe('accepted');
  });
});
