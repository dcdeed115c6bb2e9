/**
 * Offline decisions for compare without a world: what `explain` shows for one image on one side,
 * reduced to what a config change can alter (candidates, source order, skipped and blocked sources,
 * insecure, certs.d, the credential chosen — its name, never its value —, the policy requirement,
 * the short-name mode), and whether the pull is certain to fail before any network access.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { explain, type Explanation } from '../explain/explain.js';
import type { NodeFS } from '../node-fs.js';
import type { SystemContext } from '../system-context.js';

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

function flatten(v: unknown, path: string, out: Map<string, string>): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, '[]');
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  } else out.set(path, String(v));
}

/** Decides the certain failures: enforcing short-name refusals and config errors, no candidates, every source blocked or skipped, policy reject. */
export function certainFailure(x: Explanation): string | null {
  if ('error' in x.resolution) return x.resolution.error;
  if (x.candidates.length === 0) return 'no candidates: the short name resolves to no registry';
  const reasons: string[] = [];
  for (const c of x.candidates) {
    if ('error' in c.policy) {
      reasons.push(`${c.reference}: ${c.policy.error}`);
      continue;
    }
    if (c.policy.requirements.includes('reject')) {
      reasons.push(`${c.reference}: policy.json scope ${c.policy.scope === '' ? '""' : c.policy.scope} rejects it`);
      continue;
    }
    const usable = c.sources.filter((s) => !s.skipped && !s.blocked);
    if (usable.length === 0) {
      const blocked = c.sources.find((s) => s.blocked);
      reasons.push(`${c.reference}: every source is blocked or skipped${blocked ? ` (${blocked.blocked})` : ''}`);
      continue;
    }
    return null;
  }
  return reasons.join('; ');
}

export function decide(fs: NodeFS, sys: SystemContext, image: string, podSecrets: KeyringSource[] = []): Decision {
  const x = explain(fs, sys, image, podSecrets);
  // configFiles and the [[registry]]'s file name list what was read, not what is decided: a new
  // drop-in that does not match the image changes nothing about its pull.
  const compared = {
    resolution: x.resolution,
    kubeletCredentials: x.kubeletCredentials,
    candidates: x.candidates.map((c) => ({ ...c, registry: c.registry && { prefix: c.registry.prefix, location: c.registry.location } })),
  };
  const sources = x.candidates.flatMap((c) => c.sources.filter((s) => !s.skipped && !s.blocked).map((s) => s.reference));
  return {
    certainFailure: certainFailure(x),
    sources,
    digest: JSON.stringify(compared),
    facts: () => {
      const facts = new Map<string, string>();
      flatten(compared, '', facts);
      return facts;
    },
  };
}
