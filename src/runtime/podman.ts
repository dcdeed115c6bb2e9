/**
 * `podman pull IMAGE` (podman 4.3.1, libimage) as root without a TTY: --authfile is checked first,
 * registries.conf is loaded to resolve the name (so its errors come out unwrapped), each candidate
 * is copied in turn with up to 3 retries of network errors (1 s apart, on a simulated clock), and
 * the errors of all candidates are reported together.
 */
import { checkAuthFileExists } from '../auth/credentials.js';
import { PolicyError, RuntimeError, StackError, text } from '../errors/index.js';
import { policyLoadErrorFor } from '../policy/policy-json.js';
import { CopyFailure, copyImage } from '../pull/copy-image.js';
import { pullContext } from '../pull/pull-context.js';
import { refString } from '../reference/reference.js';
import { resolveShortName } from '../resolve/short-names.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';
import { copyImageError } from './copy-errors.js';
import { isRetryable } from './retryable.js';
import type { RuntimeInput } from './runtime-input.js';
import { toolFailed, toolPulled } from './tool-outcome.js';
import { toolSystemContext } from './tool-context.js';

const MAX_RETRIES = 3;

/** libimage's Resolved.FormatPullErrors. */
function pullErrors(errors: StackError[]): StackError {
  if (errors.length === 1) return errors[0];
  const list = errors.map((e) => `\n * ${e.message}`).join('');
  return new RuntimeError('podman.pull-errors', text('podman.pull-errors', errors.length, list), errors[errors.length - 1]);
}

export async function pullWithPodman(input: RuntimeInput): Promise<PullOutcome> {
  const sys = toolSystemContext('podman', input.pull);
  const ctx = pullContext(input.fs, sys, input.net);
  const notes: string[] = [];
  const attempts: AttemptRecord[] = [];
  const guard = <T>(f: () => T): T | StackError => {
    try {
      return f();
    } catch (e) {
      if (e instanceof StackError) return e;
      throw e;
    }
  };
  if (sys.authFilePath !== undefined) {
    const missing = checkAuthFileExists(input.fs, sys.authFilePath);
    if (missing) return toolFailed(input.image, attempts, missing, notes);
  }
  const conf = guard(() => ctx.registries());
  if (conf instanceof StackError) return toolFailed(input.image, attempts, conf, notes);
  const resolved = guard(() => resolveShortName(conf, sys, input.image));
  if (resolved instanceof StackError) return toolFailed(input.image, attempts, resolved, notes);
  if (resolved.description) notes.push(`podman: ${resolved.description}`);
  if (resolved.rationale === 'unqualified-search') notes.push(`podman: no TTY, short-name mode ${resolved.mode}: every candidate is tried in order`);
  const policy = guard(() => ctx.policy());
  if (policy instanceof StackError) return toolFailed(input.image, attempts, policyLoadErrorFor('podman', policy as PolicyError), notes);

  const errors: StackError[] = [];
  for (const candidate of resolved.candidates) {
    notes.push(`podman: Trying to pull ${refString(candidate)}...`);
    for (let retry = 0; ; retry++) {
      try {
        const r = await copyImage(ctx, candidate, attempts);
        return toolPulled(input.image, r, attempts, notes);
      } catch (e) {
        if (!(e instanceof CopyFailure)) throw e;
        const err = copyImageError(e, candidate);
        if (retry < MAX_RETRIES && isRetryable(err)) {
          notes.push(`podman: ${text('podman.retrying', '1s', retry + 1, MAX_RETRIES, err.message)}`);
          continue;
        }
        errors.push(err);
        break;
      }
    }
  }
  return toolFailed(input.image, attempts, pullErrors(errors), notes);
}
