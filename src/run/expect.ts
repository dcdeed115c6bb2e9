import type { Expectation } from '../scenario/types.js';
import type { ExpectVerdict, PullOutcome } from './outcome.js';

/** Compares an outcome with a scenario's `expect`: error is a substring, attempts compare exactly with attempts[].source. */
export function judge(outcome: PullOutcome, expect: Expectation | undefined): ExpectVerdict | undefined {
  if (!expect) return undefined;
  const failures: string[] = [];
  if (expect.result !== undefined && expect.result !== outcome.result) {
    failures.push(`result: expected ${expect.result}, got ${outcome.result}`);
  }
  if (expect.reason !== undefined && expect.reason !== (outcome.import?.reason ?? null)) {
    failures.push(`reason: expected ${expect.reason}, got ${outcome.import?.reason ?? 'none'}`);
  }
  if (expect.from !== undefined && expect.from !== outcome.from) {
    failures.push(`from: expected ${expect.from}, got ${outcome.from ?? 'nothing'}`);
  }
  if (expect.digest !== undefined && expect.digest !== outcome.digest) {
    failures.push(`digest: expected ${expect.digest}, got ${outcome.digest ?? 'none'}`);
  }
  if (expect.error !== undefined && !(outcome.error ?? '').includes(expect.error)) {
    failures.push(`error: expected to contain ${JSON.stringify(expect.error)}, got ${JSON.stringify(outcome.error)}`);
  }
  if (expect.attempts !== undefined) {
    const got = outcome.attempts.map((a) => a.source);
    if (got.length !== expect.attempts.length || got.some((s, i) => s !== expect.attempts![i])) {
      failures.push(`attempts: expected [${expect.attempts.join(', ')}], got [${got.join(', ')}]`);
    }
  }
  return failures.length ? { met: false, failures } : { met: true };
}
