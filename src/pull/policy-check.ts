/**
 * PolicyContext.IsRunningImageAllowed, as copy.Image calls it after the manifest is read and before
 * any blob: the requirements for the logical reference, ANDed in order, the first failure wins.
 * Signature requirements go through the signature verifiers (src/signature).
 */
import { fail, PolicyError } from '../errors/index.js';
import { checkRequirement } from '../policy/policy-scope.js';
import type { ScopeMatch } from '../policy/policy-types.js';
import type { ImageRef } from '../reference/reference.js';
import { evaluateSignatureRequirement, type SignatureEvalContext } from '../signature/evaluate.js';

/** Throws the requirement's error (unwrapped; the caller adds `Source image rejected: `). */
export async function checkPolicy(
  scope: ScopeMatch,
  logical: ImageRef,
  signatures: () => Omit<SignatureEvalContext, 'logicalRef'>,
): Promise<void> {
  if (scope.requirements.length === 0) throw fail(PolicyError, 'policy.empty-requirements');
  for (const req of scope.requirements) {
    const verdict = checkRequirement(req, logical);
    if (verdict.kind === 'accepted') continue;
    if (verdict.kind === 'rejected') throw verdict.error();
    await evaluateSignatureRequirement(verdict.requirement, { ...signatures(), logicalRef: logical });
  }
}

