/**
 * Signatures for images served with `sign:`, made with the scenario's keys (signing.ts): GPG
 * simple-signing signatures become lookaside files on the node, sigstore signatures become the
 * `sha256-<hex>.sig` attachment in the image's repository.
 */
import { InputError } from '../src/errors/index.js';
import type { Scenario } from '../src/scenario/types.js';
import type { ServedEntry, RegistryContent } from './registry-content.js';
import { repositoryOf, store } from './registry-content.js';
import { buildSigstoreAttachment, generateKeys, signGpg, signSigstore, type GeneratedKey, type SigstoreSignature } from './signing.js';

export interface SignedScenario {
  keys: Map<string, GeneratedKey>;
  /** Lookaside signature files by node path, one char per byte (latin1) as src/signature reads them. */
  lookasideFiles: Record<string, string>;
}

function lookasideDir(lookaside: string, where: string, file: string): string {
  if (!lookaside.startsWith('file://')) throw new InputError(`${where}: pullsim publishes gpg signatures to file:// lookasides only, not ${lookaside}`, file);
  return lookaside.slice('file://'.length).replace(/\/+$/, '');
}

export async function signScenario(scenario: Scenario, contents: Map<string, RegistryContent>, served: Map<string, ServedEntry[]>): Promise<SignedScenario> {
  const keys = Object.keys(scenario.keys).length ? await generateKeys(scenario.keys) : new Map<string, GeneratedKey>();
  const lookasideFiles: Record<string, string> = {};
  const gpgJobs: Array<Promise<void>> = [];
  for (const [handle, spec] of Object.entries(scenario.registries)) {
    const sigstore = new Map<string, { repository: string; digest: string; signatures: SigstoreSignature[] }>();
    for (const entry of served.get(handle) ?? []) {
      for (const sign of entry.served.sign) {
        const where = `registries.${handle}.images.${entry.repository}:${entry.tag}`;
        const key = keys.get(sign.key);
        if (!key) throw new InputError(`${where}: unknown key ${JSON.stringify(sign.key)}`, scenario.file);
        const digest = entry.image.manifest.digest;
        const identity = sign.identity ?? `${spec.host}/${entry.repository}:${entry.tag}`;
        if (key.type === 'gpg') {
          if (!spec.lookaside) throw new InputError(`${where}: gpg signatures need 'lookaside' on registry ${handle}`, scenario.file);
          const dir = `${lookasideDir(spec.lookaside, `registries.${handle}.lookaside`, scenario.file)}/${entry.repository}@${digest.replace(':', '=')}`;
          let n = 1;
          while (`${dir}/signature-${n}` in lookasideFiles) n++;
          const path = `${dir}/signature-${n}`;
          lookasideFiles[path] = '';
          gpgJobs.push(signGpg(key, identity, digest).then((bytes) => void (lookasideFiles[path] = Buffer.from(bytes).toString('latin1'))));
        } else {
          const k = `${entry.repository}\0${digest}`;
          let group = sigstore.get(k);
          if (!group) sigstore.set(k, (group = { repository: entry.repository, digest, signatures: [] }));
          group.signatures.push(signSigstore(key, identity, digest));
        }
      }
    }
    const content = contents.get(handle)!;
    for (const { repository, digest, signatures } of sigstore.values()) {
      const a = buildSigstoreAttachment(digest, signatures);
      store(
        repositoryOf(content, repository),
        [{ digest: a.manifestDigest, mediaType: a.mediaType, bytes: Buffer.from(a.manifest) }],
        [...a.blobs].map(([d, b]) => ({ digest: d, bytes: Buffer.from(b) })),
        a.tag,
      );
    }
  }
  await Promise.all(gpgJobs);
  return { keys, lookasideFiles };
}
