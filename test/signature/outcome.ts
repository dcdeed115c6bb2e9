import type { SignatureRequirement } from '../../src/policy/policy-types.js';
import { evaluateSignatureRequirement, type SignatureEvalContext } from '../../src/signature/evaluate.js';

/** 'accepted', or the text the requirement rejects with. */
export async function outcome(req: SignatureRequirement, c: SignatureEvalContext): Promise<string> {
  try {
    await evaluateSignatureRequirement(req, c);
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}
