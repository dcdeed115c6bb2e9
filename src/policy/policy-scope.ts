/**
 * Which policy requirements apply to an image (signature/policy_eval.go requirementsForImageRef,
 * docker/policyconfiguration/naming.go) and the verdict of the requirements that need no
 * signature. Always evaluated on the logical reference the user asked for, never a mirror.
 * registries.d walks the same identity and namespaces (on the physical reference), since
 * docker/registries_d.go uses the same naming.go.
 *
 * The scopes are already Maps, so a lookup probes one key per candidate: O(path depth + host
 * labels), independent of how many scopes the policy has.
 */
import { fail, PolicyError } from '../errors/index.js';
import { familiarString, refName, type ImageRef } from '../reference/reference.js';
import type { Policy, PolicyRequirement, PolicyRequirements, ScopeMatch, SignatureRequirement } from './policy-types.js';

/**
 * The reference as the docker transport holds it: a name-only reference gets :latest; one with
 * both tag and digest keeps the digest (podman drops the tag; skopeo refuses such input earlier).
 */
export function policyReference(ref: ImageRef): ImageRef {
  if (ref.digest !== undefined) return { domain: ref.domain, path: ref.path, digest: ref.digest };
  if (ref.tag !== undefined) return ref;
  return { ...ref, tag: 'latest' };
}

/** PolicyConfigurationIdentity: `name:tag` or `name@digest` on the normalized name. */
export function policyIdentity(ref: ImageRef): string {
  const r = policyReference(ref);
  return r.digest !== undefined ? `${refName(r)}@${r.digest}` : `${refName(r)}:${r.tag}`;
}

/**
 * PolicyConfigurationNamespaces: the repository, each parent namespace, host[:port]; then
 * `*.`-wildcards from the host with its port stripped (never the bare portless host).
 */
export function policyNamespaces(ref: ImageRef): { scope: string; kind: 'namespace' | 'wildcard' }[] {
  const out: { scope: string; kind: 'namespace' | 'wildcard' }[] = [];
  let name = refName(ref);
  for (;;) {
    out.push({ scope: name, kind: 'namespace' });
    const slash = name.lastIndexOf('/');
    if (slash === -1) break;
    name = name.slice(0, slash);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.')) {
    name = name.slice(dot + 1);
    out.push({ scope: `*.${name}`, kind: 'wildcard' });
  }
  return out;
}

/** requirementsForImageRef, with which scope matched. */
export function requirementsFor(policy: Policy, ref: ImageRef, transport = 'docker'): ScopeMatch {
  const scopes = policy.transports.get(transport);
  if (scopes) {
    const identity = policyIdentity(ref);
    const exact = scopes.get(identity);
    if (exact) return { transport, scope: identity, kind: 'identity', requirements: exact };
    for (const { scope, kind } of policyNamespaces(ref)) {
      const reqs = scopes.get(scope);
      if (reqs) return { transport, scope, kind, requirements: reqs };
    }
    const transportDefault = scopes.get('');
    if (transportDefault) return { transport, scope: '', kind: 'transport-default', requirements: transportDefault };
  }
  return { transport, scope: 'default', kind: 'default', requirements: policy.default };
}

/** transports.ImageName for a docker reference, as policy errors print it: `docker://busybox:latest`. */
export function dockerImageName(ref: ImageRef): string {
  return `docker://${familiarString(policyReference(ref))}`;
}

export type RequirementVerdict =
  | { kind: 'accepted' }
  /** The error is built on demand: a verdict is often only counted (benchmarks, explain), and formatting costs. */
  | { kind: 'rejected'; error(): PolicyError }
  /** signedBy / sigstoreSigned: the signature verifier decides. */
  | { kind: 'needs-signature'; requirement: SignatureRequirement };

/** isRunningImageAllowed of one requirement, for the kinds that need no signature. */
export function checkRequirement(req: PolicyRequirement, ref: ImageRef): RequirementVerdict {
  switch (req.type) {
    case 'insecureAcceptAnything':
      return { kind: 'accepted' };
    case 'reject':
      return { kind: 'rejected', error: () => fail(PolicyError, 'policy.reject', dockerImageName(ref)) };
    case 'signedBaseLayer':
      return { kind: 'rejected', error: () => fail(PolicyError, 'policy.signed-base-layer') };
    case 'signedBy':
    case 'sigstoreSigned':
      return { kind: 'needs-signature', requirement: req };
  }
}

/**
 * The requirements are ANDed in order and the first failure is the error. Stops at the first
 * requirement that is not accepted, so a caller verifying signatures resumes after it.
 */
export function firstUnaccepted(reqs: PolicyRequirements, ref: ImageRef): { index: number; verdict: Exclude<RequirementVerdict, { kind: 'accepted' }> } | undefined {
  for (let index = 0; index < reqs.length; index++) {
    const verdict = checkRequirement(reqs[index], ref);
    if (verdict.kind !== 'accepted') return { index, verdict };
  }
  return undefined;
}
