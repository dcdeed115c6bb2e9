/**
 * `skopeo copy docker://IMAGE dir:…` (skopeo 1.9.3): the trust policy is loaded first, the image
 * string is parsed by the docker transport with no short-name resolution, and the copy's error is
 * printed as the fatal message.
 */
import { PolicyError, RuntimeError, StackError, text } from '../errors/index.js';
import { policyLoadErrorFor } from '../policy/policy-json.js';
import { CopyFailure, copyImage } from '../pull/copy-image.js';
import { pullContext } from '../pull/pull-context.js';
import type { ImageRef } from '../reference/reference.js';
import { dockerTransportReference } from '../resolve/short-names.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import { copyImageError } from './copy-errors.js';
import type { RuntimeInput } from './runtime-input.js';
import { toolFailed, toolPulled } from './tool-outcome.js';
import { toolSystemContext } from './tool-context.js';

export async function pullWithSkopeo(input: RuntimeInput): Promise<PullOutcome> {
  const sys = toolSystemContext('skopeo', input.pull);
  const ctx = pullContext(input.fs, sys, input.net);
  const notes = ['skopeo: no short-name resolution; a name without registry is docker.io/…'];
  const attempts: AttemptRecord[] = [];
  try {
    ctx.policy();
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return toolFailed(input.image, attempts, policyLoadErrorFor('skopeo', e as PolicyError), notes);
  }
  let ref: ImageRef;
  try {
    ref = dockerTransportReference(input.image);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    const name = `docker://${input.image}`;
    return toolFailed(input.image, attempts, new RuntimeError('ref.invalid-source-name', text('ref.invalid-source-name', name, e.message), e), notes);
  }
  try {
    const r = await copyImage(ctx, ref, attempts);
    return toolPulled(input.image, r, attempts, notes);
  } catch (e) {
    if (!(e instanceof CopyFailure)) throw e;
    return toolFailed(input.image, attempts, copyImageError(e, ref), notes);
  }
}
