/**
 * signedIdentity rules (signature/policy_reference_match.go): does the identity a signature
 * claims satisfy the rule, for the reference the user asked for (the logical one, never a mirror)?
 */
import type { SignedIdentity } from '../policy/policy-types.js';
import { parseNormalizedNamed, refName, refString, tagNameOnly, type ImageRef } from '../reference/reference.js';

function tryParse(s: string): ImageRef | undefined {
  try {
    return parseNormalizedNamed(s);
  } catch {
    return undefined;
  }
}

function isNameOnly(r: ImageRef): boolean {
  return r.tag === undefined && r.digest === undefined;
}

/** matchRepoDigestOrExactReferenceValues: tagged → exact; digest-only → same repository. */
function matchRepoDigestOrExact(intended: ImageRef, signature: ImageRef): boolean {
  if (isNameOnly(signature)) return false;
  if (intended.tag !== undefined) return refString(signature) === refString(intended);
  if (intended.digest !== undefined) return refName(signature) === refName(intended);
  return false;
}

function exact(intended: ImageRef, signature: ImageRef): boolean {
  if (isNameOnly(intended) || isNameOnly(signature)) return false;
  return refString(signature) === refString(intended);
}

/** reference.ParseNamed: like ParseNormalizedNamed, but the input must already be in canonical form. */
function parseNamedCanonical(s: string): ImageRef | undefined {
  const r = tryParse(s);
  return r && refString(r) === s ? r : undefined;
}

/** prmRemapIdentity.remapReferencePrefix: rewrites the name's prefix (whole path components only), once. */
function remap(ref: ImageRef, prefix: string, signedPrefix: string): ImageRef | undefined {
  const name = refName(ref);
  const matches = name.length === prefix.length ? name === prefix : name.length > prefix.length && name.startsWith(prefix) && name[prefix.length] === '/';
  if (!matches) return ref;
  return parseNamedCanonical(refString(ref).replace(prefix, () => signedPrefix));
}

/**
 * Whether a signature claiming `signatureRef` satisfies `rule` for the image requested as
 * `logicalRef` (the docker transport adds :latest to a bare name, so this does too).
 */
export function matchesDockerReference(rule: SignedIdentity, logicalRef: ImageRef, signatureRef: string): boolean {
  const signature = tryParse(signatureRef);
  if (!signature) return false;
  const intended = tagNameOnly(logicalRef);
  switch (rule.type) {
    case 'matchExact':
      return exact(intended, signature);
    case 'matchRepoDigestOrExact':
      return matchRepoDigestOrExact(intended, signature);
    case 'matchRepository':
      return refName(signature) === refName(intended);
    case 'exactReference': {
      const want = tryParse(rule.dockerReference);
      return want !== undefined && exact(want, signature);
    }
    case 'exactRepository': {
      const want = tryParse(rule.dockerRepository);
      return want !== undefined && refName(signature) === refName(want);
    }
    case 'remapIdentity': {
      const remapped = remap(intended, rule.prefix, rule.signedPrefix);
      return remapped !== undefined && matchRepoDigestOrExact(remapped, signature);
    }
  }
}
