/**
 * Fills in `${digest:…}` and `${keyData:…}` once the lab has generated the images and keys.
 * The loader has already checked what each placeholder names, so a missing value here is a bug
 * in the caller, not bad input.
 */
import { replacePlaceholders, type Placeholder } from './placeholders.js';
import type { Expectation, NodeFileSpec, PullSpec, Scenario } from './types.js';

export interface PlaceholderValues {
  /** `NAME` or `NAME/os/arch[/variant]` → manifest digest. */
  digests: Record<string, string>;
  /** gpg key name → base64 of its binary public key. */
  keyData: Record<string, string>;
}

/** Returns a new Scenario with placeholders replaced in pull images, expect fields and node file contents. */
export function substitutePlaceholders(scenario: Scenario, vars: PlaceholderValues): Scenario {
  const digest = (p: Placeholder): string => {
    const found = vars.digests[p.arg] ?? singlePlatformDigest(scenario, p.arg, vars.digests);
    if (found === undefined) throw new Error(`substitutePlaceholders: no digest for ${p.text}`);
    return found;
  };
  const inPull = (s: string): string => replacePlaceholders(s, (p) => (p.kind === 'digest' ? digest(p) : p.text));
  const inFile = (s: string): string =>
    replacePlaceholders(s, (p) => {
      if (p.kind === 'digest') return digest(p);
      const data = vars.keyData[p.arg];
      if (data === undefined) throw new Error(`substitutePlaceholders: no keyData for ${p.text}`);
      return data;
    });

  const files: Record<string, NodeFileSpec> = {};
  for (const [path, spec] of Object.entries(scenario.node.files)) files[path] = typeof spec === 'string' ? inFile(spec) : spec;

  const pulls = scenario.pulls.map((pull): PullSpec => ({
    ...pull,
    ...(pull.image !== undefined && { image: inPull(pull.image) }),
    ...(pull.import?.from !== undefined && { import: { ...pull.import, from: inPull(pull.import.from) } }),
    ...(pull.expect && { expect: expectation(pull.expect, inPull) }),
  }));

  return { ...scenario, node: { ...scenario.node, files }, pulls };
}

function expectation(e: Expectation, sub: (s: string) => string): Expectation {
  return {
    ...e,
    ...(e.error !== undefined && { error: sub(e.error) }),
    ...(e.digest !== undefined && { digest: sub(e.digest) }),
    ...(e.attempts && { attempts: e.attempts.map(sub) }),
  };
}

/** `${digest:base/linux/amd64}` of a single-platform image is the image's own manifest digest. */
function singlePlatformDigest(scenario: Scenario, arg: string, digests: Record<string, string>): string | undefined {
  const slash = arg.indexOf('/');
  if (slash < 0) return undefined;
  const name = arg.slice(0, slash);
  const image = scenario.images[name];
  return image && !image.platforms ? digests[name] : undefined;
}
