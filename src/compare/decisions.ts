/**
 * Offline decisions for compare without a world: what `explain` shows for one image on one side,
 * reduced to what a config change can alter (candidates, source order, skipped and blocked sources,
 * insecure, certs.d, the credential chosen — its name, never its value —, the policy requirement,
 * the short-name mode), and whether the pull is certain to fail before any network access.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { explain } from '../explain/explain.js';
import type { NodeFS } from '../node-fs.js';
import type { SystemContext } from '../system-context.js';
import { flatten } from './flatten.js';

export interface Decision {
  /** Why the pull cannot succeed whatever the registries answer, or null. */
  certainFailure: string | null;
  /** The sources that would be tried, in order, over all candidates. */
  sources: string[];
  /** The compared decisions as one string: equal strings, equal decisions (the common case, decided without flattening). */
  digest: string;
  /** Flattened decisions: "candidates[0].sources[1].blocked" → text; built only when two sides differ. */
  facts(): Map<string, string>;
}

export function decide(fs: NodeFS, sys: SystemContext, image: string, podSecrets: KeyringSource[] = []): Decision {
  const x = explain(fs, sys, image, podSecrets);
  // configFiles and the [[registry]]'s file name list what was read, not what is decided: a new
  // drop-in that does not match the image changes nothing about its pull.
  const compared = {
    resolution: x.resolution,
    cannotPull: x.cannotPull,
    kubeletCredentials: x.kubeletCredentials,
    candidates: x.candidates.map((c) => ({ ...c, registry: c.registry && { prefix: c.registry.prefix, location: c.registry.location } })),
  };
  const sources = x.candidates.flatMap((c) => c.sources.filter((s) => !s.skipped && !s.blocked).map((s) => s.reference));
  return {
    // explain's own verdict: a refused name or configuration, policy reject, every source blocked.
    certainFailure: x.cannotPull.length ? x.cannotPull.join('; ') : null,
    sources,
    digest: JSON.stringify(compared),
    facts: () => {
      const facts = new Map<string, string>();
      flatten(compared, '', facts);
      return facts;
    },
  };
}
