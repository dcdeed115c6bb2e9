/**
 * Shared settings of the property suite. `npm test` runs a few hundred cases per property;
 * `npm run fuzz` raises PULLSIM_FUZZ_RUNS. A failing case prints its seed and path: pin it in
 * regressions.test.ts with `{ seed, path }` so it replays exactly.
 */
import fc from 'fast-check';
import { InputError, StackError } from '../../src/errors/index.js';

export const NUM_RUNS = Number(process.env.PULLSIM_FUZZ_RUNS ?? 200);

/**
 * A parse that takes longer than this on one small input is a hang in the making (a loop
 * over its input, a backtracking pattern). Generous on purpose: the bound is for runaway work,
 * not for speed, and it is measured around a synchronous call, so it can only fail late, never flake early.
 */
export const DEADLINE_MS = 2_000;

/** The errors a parser may throw at bad input: the stack's typed errors and pullsim's own input error. */
export function isTypedInputError(e: unknown): boolean {
  return e instanceof StackError || e instanceof InputError;
}

/** Runs parse once; returns what it threw (undefined when it accepted the input), failing on a deadline overrun. */
export function guarded(parse: () => unknown): unknown {
  const started = performance.now();
  let thrown: unknown;
  try {
    parse();
  } catch (e) {
    thrown = e;
  }
  const took = performance.now() - started;
  if (took > DEADLINE_MS) throw new Error(`parse took ${Math.round(took)} ms (deadline ${DEADLINE_MS} ms)`);
  return thrown;
}

export function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, params: fc.Parameters<[T]> = {}): void {
  fc.assert(fc.property(arb, predicate), { numRuns: NUM_RUNS, ...params });
}

/**
 * Text made of a format's own tokens mixed with arbitrary characters: close enough to the format
 * to get past the first byte, far enough to reach its error paths.
 */
export function soup(tokens: readonly string[], maxPieces = 40): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\t', '\r\n', '\u0000', '\ufeff', '\u2028', '\ud800') },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((p) => p.join(''));
}
