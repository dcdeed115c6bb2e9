/**
 * `skopeo copy docker://IMAGE dir:…` (skopeo 1.9.3): the trust policy is loaded first, the image
 * string is parsed by the docker transport with no short-name resolution, and the copy's error is
 * printed as the fatal message.
 */
import { fail, ImageRefError, RuntimeError, StackError, text } from '../errors/index.js';
import { policyLoadErrorFor } from '../policy/policy-json.js';
import { CopyFailure, copyImage } from '../pull/copy-image.js';
import { pullContext } from '../pull/pull-context.js';
import { parseNormalizedNamed, tagNameOnly, type ImageRef } from '../reference/reference.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import { copyImageError } from './copy-errors.js';
import type { RuntimeInput } from './runtime-input.js';
import { toolSystemContext } from './tool-context.js';

function failed(input: RuntimeInput, attempts: AttemptRecord[], err: StackError, notes: string[]): PullOutcome {
  return { image: input.image, result: 'failed', from: null, digest: null, attempts, error: err.message, events: [], notes };
}

/** docker.ParseReference: what `docker://X` becomes. */
function dockerReference(image: string): ImageRef {
  const ref = tagNameOnly(parseNormalizedNamed(image));
  if (ref.tag !== undefined && ref.digest !== undefined) throw fail(ImageRefError, 'ref.tag-and-digest');
  return ref;
}

export async function pullWithSkopeo(input: RuntimeInput): Promise<PullOutcome> {
  const sys = toolSystemContext('skopeo', input.pull);
  const ctx = pullContext(input.fs, sys, input.net);
  const notes = ['skopeo: no short-name resolution; a name without registry is docker.io/…'];
  const attempts: AttemptRecord[] = [];
  try {
    ctx.policy();
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return failed(input, attempts, policyLoadErrorFor('skopeo', e as never), notes);
  }
  let ref: ImageRef;
  try {
    ref = dockerReference(input.image);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    const name = `docker://${input.image}`;
    return failed(input, attempts, new RuntimeError('ref.invalid-source-name', text('ref.invalid-source-name', name, e.message), e), notes);
  }
  try {
    const r = await copyImage(ctx, ref, attempts);
    return { image: input.image, result: 'pulled', from: r.registry, digest: r.digest, attempts, error: null, events: [], notes };
  } catch (e) {
    if (!(e instanceof CopyFailure)) throw e;
    return failed(input, attempts, copyImageError(e, ref), notes);
  }
}
