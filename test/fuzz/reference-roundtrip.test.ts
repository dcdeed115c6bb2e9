/** Image references survive parse → format → parse, in both the full and the familiar form. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familiarString, parseNormalizedNamed, refString } from '../../src/reference/reference.js';
import { check } from './harness.js';

const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const component = fc.tuple(alnum, fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([sep, run]) => sep + run).join(''));
const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?$/);
const domain = fc.oneof(
  fc.constant(''),
  fc.constantFrom('docker.io/', 'index.docker.io/', 'localhost/', 'localhost:5000/', 'quay.io/', '192.168.10.11:5001/'),
  fc.tuple(fc.array(label, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
    .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}/`),
);
const tag = fc.option(fc.stringMatching(/^[\w][\w.-]{0,10}$/), { nil: undefined });
const digest = fc.option(fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`), { nil: undefined });
const reference = fc.tuple(domain, fc.array(component, { minLength: 1, maxLength: 3 }), tag, digest)
  .map(([d, path, t, g]) => `${d}${path.join('/')}${t ? `:${t}` : ''}${g ? `@${g}` : ''}`);

/** Go's FamiliarString drops docker.io/ even when the path's first component then reads as a host. */
const readsAsHost = (familiar: string) => /^[^/]*[.:][^/]*\/|^localhost\//.test(familiar);

describe('references round-trip through parse and format', () => {
  it('parse(refString(parse(s))) is parse(s)', () => {
    check(reference, (s) => {
      const ref = parseNormalizedNamed(s);
      expect(parseNormalizedNamed(refString(ref))).toEqual(ref);
    });
  });

  it('parse(familiarString(parse(s))) is parse(s), unless the familiar name starts with a host-like component', () => {
    check(reference, (s) => {
      const ref = parseNormalizedNamed(s);
      const familiar = familiarString(ref);
      if (ref.domain === 'docker.io' && readsAsHost(familiar)) expect(parseNormalizedNamed(familiar).domain).not.toBe('docker.io');
      else expect(parseNormalizedNamed(familiar)).toEqual(ref);
    });
  });

  it('formatting a parsed reference is a fixed point', () => {
    check(reference, (s) => {
      const once = refString(parseNormalizedNamed(s));
      expect(refString(parseNormalizedNamed(once))).toBe(once);
    });
  });
});
