/**
 * Every parser, on input nobody thought of: it accepts it or throws its typed input error (the
 * text the real stack prints, or pullsim's one-line InputError), and never runs away with the time.
 */
import { describe, expect, it } from 'vitest';
import { check, guarded, isTypedInputError } from './harness.js';
import { PARSERS } from './parsers.js';

describe('a parser throws nothing but its typed input error, within the deadline', () => {
  it.each(PARSERS.map((p) => [p.name, p] as const))('%s', (_name, row) => {
    const typed = row.typed ?? isTypedInputError;
    check(row.inputs, (input) => {
      const thrown = guarded(() => row.parse(input));
      if (thrown !== undefined && !typed(thrown)) throw thrown;
    });
    expect(PARSERS.length).toBeGreaterThan(0);
  });
});
