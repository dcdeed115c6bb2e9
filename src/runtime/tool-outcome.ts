/** The outcome of a `skopeo copy` or `podman pull`: the tool's final error, and no kubelet events. */
import type { StackError } from '../errors/index.js';
import type { CopyResult } from '../pull/copy-image.js';
import type { AttemptRecord, PullOutcome } from '../run/outcome.js';

export function toolFailed(image: string, attempts: AttemptRecord[], err: StackError, notes: string[]): PullOutcome {
  return { image, result: 'failed', from: null, digest: null, attempts, error: err.message, events: [], notes };
}

export function toolPulled(image: string, r: CopyResult, attempts: AttemptRecord[], notes: string[]): PullOutcome {
  return { image, result: 'pulled', from: r.registry, digest: r.digest, attempts, error: null, events: [], notes };
}
