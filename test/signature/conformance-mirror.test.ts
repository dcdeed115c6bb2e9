/**
 * The signature/ and sigstore/ conformance groups, end to end through this area's pieces: the
 * runner's lookaside layout (sim/signing + encodeSignatureFile), registries.d, lookaside reading
 * and the evaluator. The pull runner replays the same scenarios over HTTP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, signGpg, type GpgKey } from '../../sim/signing.js';
import { loadRegistriesD, fileUrlPath, lookasideSignatureUrl } from '../../src/config/registries-d.js';
import { MemoryFS } from '../../src/node-fs.js';
import type { SignatureRequirement } from '../../src/policy/policy-types.js';
import { parseNormalizedNamed, refName } from '../../src/reference/reference.js';
import { evaluateSignatureRequirement } from '../../src/signature/evaluate.js';
import { encodeSignatureFile, readLookasideSignatures } from '../../src/signature/lookaside.js';
import { defaultSystemContext } from '../../src/system-context.js';

const DIGEST = `sha256:${'9'.repeat(64)}`;
const KEY_PATH = '/etc/containers/keys/signer-a.pub';
const HARBOR_D = 'docker:\n  harbor.lab.test:\n    lookaside: file:///srv/lookaside/harbor\n  mirror1.lab.test:5000:\n    lookaside: file:///srv/lookaside/mirror1\n';
let keys: Map<string, GpgKey>;

beforeAll(async () => {
  keys = (await generateKeys({ 'signer-a': { type: 'gpg', email: 'signer-a@lab.test' }, 'signer-b': { type: 'gpg', email: 'signer-b@lab.test' } })) as Map<string, GpgKey>;
});

interface Case {
  /** Registry lookaside the runner publishes to, and what it signs there. */
  publish?: { lookaside: string; physical: string; key: string; identity?: string };
  registriesD?: string;
  keyFile?: boolean;
  req?: (k: Map<string, GpgKey>) => SignatureRequirement;
  logical: string;
  physical?: string;
  want: string;
}

const signedByA = (): SignatureRequirement => ({ type: 'signedBy', keyType: 'GPGKeys', keyPath: KEY_PATH, signedIdentity: { type: 'matchRepoDigestOrExact' } });

async function run(c: Case): Promise<string> {
  const fs = new MemoryFS();
  if (c.keyFile !== false) fs.write(KEY_PATH, keys.get('signer-a')!.publicKeyFile);
  if (c.registriesD) fs.write('/etc/containers/registries.d/harbor.yaml', c.registriesD);
  if (c.publish) {
    const physical = parseNormalizedNamed(c.publish.physical);
    const sig = await signGpg(keys.get(c.publish.key)!, c.publish.identity ?? `${refName(physical)}:${physical.tag}`, DIGEST);
    fs.write(fileUrlPath(lookasideSignatureUrl(`${c.publish.lookaside}/${physical.path}`, DIGEST, 1))!, encodeSignatureFile(sig));
  }
  const rd = loadRegistriesD(fs, defaultSystemContext('skopeo'));
  const physical = parseNormalizedNamed(c.physical ?? c.logical);
  try {
    await evaluateSignatureRequirement((c.req ?? signedByA)(keys), {
      fs,
      logicalRef: parseNormalizedNamed(c.logical),
      manifestDigest: DIGEST,
      gpgSignatures: async () => readLookasideSignatures(fs, rd.lookasideFor(physical), DIGEST),
      sigstoreAttachments: async () => [],
    });
    return 'pulled';
  } catch (e) {
    return `Source image rejected: ${(e as Error).message}`;
  }
}

const HARBOR = 'file:///srv/lookaside/harbor';
const cases: [string, Case][] = [
  ['133 gpg-signed-accepted', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/app:v1', key: 'signer-a' }, registriesD: HARBOR_D, logical: 'harbor.lab.test/signed/app:v1', want: 'pulled' }],
  ['135 gpg-wrong-key', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/wrongkey:v1', key: 'signer-b' }, registriesD: HARBOR_D, logical: 'harbor.lab.test/signed/wrongkey:v1', want: 'Source image rejected: Invalid GPG signature: gpgme.Signature{Summary:128, Fingerprint:"' }],
  ['136 gpg-unsigned', { registriesD: HARBOR_D, logical: 'harbor.lab.test/unsigned/app:v1', want: 'Source image rejected: A signature was required, but no signature exists' }],
  ['138 gpg-bad-identity', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/badident:v1', key: 'signer-a', identity: 'harbor.lab.test/signed/other:v1' }, registriesD: HARBOR_D, logical: 'harbor.lab.test/signed/badident:v1', want: 'Source image rejected: Signature for identity harbor.lab.test/signed/other:v1 is not accepted' }],
  ['139 gpg-no-lookaside', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/app:v1', key: 'signer-a' }, logical: 'harbor.lab.test/signed/app:v1', want: 'Source image rejected: A signature was required, but no signature exists' }],
  ['140 gpg-keydata', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/app:v1', key: 'signer-a' }, registriesD: HARBOR_D, keyFile: false, req: (k) => ({ type: 'signedBy', keyType: 'GPGKeys', keyData: k.get('signer-a')!.keyData, signedIdentity: { type: 'matchRepoDigestOrExact' } }), logical: 'harbor.lab.test/signed/app:v1', want: 'pulled' }],
  ['141 gpg-missing-keyfile', { publish: { lookaside: HARBOR, physical: 'harbor.lab.test/signed/app:v1', key: 'signer-a' }, registriesD: HARBOR_D, keyFile: false, logical: 'harbor.lab.test/signed/app:v1', want: `Source image rejected: open ${KEY_PATH}: no such file or directory` }],
  ['143 gpg-via-mirror-mirror-lookaside', { publish: { lookaside: 'file:///srv/lookaside/mirror1', physical: 'mirror1.lab.test:5000/signed/app:v1', key: 'signer-a', identity: 'harbor.lab.test/signed/app:v1' }, registriesD: HARBOR_D, logical: 'harbor.lab.test/signed/app:v1', physical: 'mirror1.lab.test:5000/signed/app:v1', want: 'pulled' }],
  ['150 sigstore-unsigned', { registriesD: 'docker:\n  harbor.lab.test:\n    use-sigstore-attachments: true\n', req: () => ({ type: 'sigstoreSigned', keyPath: '/etc/containers/keys/sigstore.pub', signedIdentity: { type: 'matchRepoDigestOrExact' } }), logical: 'harbor.lab.test/unsigned/app:v1', want: 'Source image rejected: A signature was required, but no signature exists' }],
];

describe('signature and sigstore conformance outcomes', () => {
  it.each(cases)('%s', async (_n, c) => {
    const got = await run(c);
    if (c.want === 'pulled') expect(got).toBe('pulled');
    else expect(got.slice(0, c.want.length)).toBe(c.want);
  });
});
