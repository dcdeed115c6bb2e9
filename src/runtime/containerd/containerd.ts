/**
 * The kubelet on a containerd node (runtime containerd): the same kubelet as on a CRI-O node —
 * pull policy, default tag, keyring credentials passed as the CRI auth of one PullImage each,
 * back-off on a simulated clock — over containerd's CRI plugin. The kubelet of the release's era
 * either keeps gRPC's "rpc error: code = … desc = " or strips it for code Unknown only.
 */
import type { KeyringSource } from '../../auth/kubelet-keyring.js';
import { ImageStore } from '../../kubelet/image-store.js';
import { aggregateMessages, defaultTaggedImage, keyringCredentials, podPull } from '../../kubelet/kubelet-pull.js';
import type { PullTry } from '../../kubelet/pod-sync.js';
import type { PullPolicy } from '../../kubelet/pull-policy.js';
import { text } from '../../errors/index.js';
import type { AttemptRecord, PullOutcome } from '../../run/outcome.js';
import type { Credential } from '../../system-context.js';
import type { RuntimeInput } from '../runtime-input.js';
import { platformOf } from './client-pull.js';
import { loadCriRegistryConfig } from './config-toml.js';
import { criPullImage, type CriPullResult } from './cri.js';
import type { ContainerdProfile } from './profiles.js';

export interface ContainerdInput extends RuntimeInput {
  profile: ContainerdProfile;
  podSecrets: KeyringSource[];
  imagePullPolicy?: PullPolicy;
  imageStore?: ImageStore;
  /** PEM texts of the node's system trust store. */
  systemRoots?: string[];
}

/** Simulated time one registry attempt takes; the kubelet prints pull times truncated to ms. */
const ATTEMPT_MS = 100;

/** What the kubelet puts after `Failed to pull image "X": ` for a failed CRI call. */
export function kubeletMessage(r: Extract<CriPullResult, { ok: false }>, profile: ContainerdProfile): string {
  if (r.code === 'Unknown' && profile.kubeletStripsUnknown) return r.message;
  return text('containerd.rpc', r.code, r.message);
}

export async function pullWithContainerd(input: ContainerdInput): Promise<PullOutcome> {
  const { profile } = input;
  const notes = [`containerd: ${profile.label}`];
  const image = defaultTaggedImage(input.image, notes);
  if (typeof image !== 'string') return image;
  const config = loadCriRegistryConfig(input.fs, profile);
  notes.push(...config.log.map((l) => `containerd log: ${l}`));
  const { creds, keyringError, matched } = keyringCredentials(input.fs, input.podSecrets, image);
  const credNotes: string[] = [];
  if (keyringError === undefined && !matched) credNotes.push('kubelet: no credential matches; one CRI call without auth (containerd then uses registry.configs.<host>.auth from config.toml, if any)');
  else if (matched > 1) credNotes.push(`kubelet: ${matched} matching credentials; one CRI PullImage per credential until one succeeds`);

  const attempts: AttemptRecord[] = [];
  const pull = async (): Promise<PullTry> => {
    const messages: string[] = [];
    attempts.length = 0;
    for (const auth of creds as (Credential | undefined)[]) {
      const r = await criPullImage({ fs: input.fs, net: input.net, profile, image, auth, platform: platformOf(input.pull.platform), systemRoots: input.systemRoots, attempts, notes, config });
      const durationMs = ATTEMPT_MS * Math.max(1, attempts.length);
      if (r.ok) return { ok: true, durationMs, image: { from: r.from, digest: r.digest, size: r.size } };
      messages.push(kubeletMessage(r, profile));
    }
    return { ok: false, durationMs: ATTEMPT_MS * Math.max(1, attempts.length), message: aggregateMessages(messages), reason: 'ErrImagePull' };
  };

  return podPull({
    image: input.image,
    storeName: image,
    imagePullPolicy: input.imagePullPolicy,
    imageStore: input.imageStore,
    retryForSeconds: input.pull.retryForSeconds,
    keyringError,
    pulledImageSize: profile.pulledImageSize,
    credNotes,
    attempts,
    notes,
    pull,
  });
}
