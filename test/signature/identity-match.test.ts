import { describe, expect, it } from 'vitest';
import type { SignedIdentity } from '../../src/policy/policy-types.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { matchesDockerReference } from '../../src/signature/identity-match.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function check(rule: SignedIdentity, requested: string, signed: string): boolean {
  return matchesDockerReference(rule, parseNormalizedNamed(requested), signed);
}

describe('matchExact', () => {
  const rule: SignedIdentity = { type: 'matchExact' };
  it.each([
    ['h.test/ns/app:v1', 'h.test/ns/app:v1', true],
    ['h.test/ns/app:v1', 'h.test/ns/app:v2', false],
    ['h.test/ns/app:v1', 'h.test/ns/app', false],
    [`h.test/ns/app@${D1}`, `h.test/ns/app@${D1}`, true],
    [`h.test/ns/app@${D1}`, `h.test/ns/app@${D2}`, false],
    ['busybox', 'docker.io/library/busybox:latest', true],
    ['h.test/ns/app:v1', 'not a reference', false],
  ])('%s signed as %s → %s', (req, signed, want) => expect(check(rule, req, signed)).toBe(want));
});

describe('matchRepoDigestOrExact (the default)', () => {
  const rule: SignedIdentity = { type: 'matchRepoDigestOrExact' };
  it.each([
    ['h.test/ns/app:v1', 'h.test/ns/app:v1', true],
    ['h.test/ns/app:v1', 'h.test/ns/app:v2', false],
    [`h.test/ns/app@${D1}`, 'h.test/ns/app:v9', true],
    [`h.test/ns/app@${D1}`, `h.test/ns/app@${D2}`, true],
    [`h.test/ns/app@${D1}`, 'h.test/ns/other:v9', false],
    [`h.test/ns/app@${D1}`, 'h.test/ns/app', false],
    ['mirror.test/ns/app:v1', 'h.test/ns/app:v1', false],
  ])('%s signed as %s → %s', (req, signed, want) => expect(check(rule, req, signed)).toBe(want));
});

describe('matchRepository', () => {
  const rule: SignedIdentity = { type: 'matchRepository' };
  it.each([
    ['h.test/ns/app:v1', 'h.test/ns/app:v2', true],
    ['h.test/ns/app:v1', 'h.test/ns/app', true],
    ['h.test/ns/app:v1', 'h.test/ns/app2:v1', false],
  ])('%s signed as %s → %s', (req, signed, want) => expect(check(rule, req, signed)).toBe(want));
});

describe('exactReference / exactRepository ignore the requested name', () => {
  it.each([
    [{ type: 'exactReference', dockerReference: 'h.test/ns/app:v1' }, 'h.test/ns/app:v1', true],
    [{ type: 'exactReference', dockerReference: 'h.test/ns/app:v1' }, 'h.test/ns/app:v2', false],
    [{ type: 'exactReference', dockerReference: 'h.test/ns/app' }, 'h.test/ns/app', false],
    [{ type: 'exactRepository', dockerRepository: 'h.test/ns/app' }, 'h.test/ns/app:anything', true],
    [{ type: 'exactRepository', dockerRepository: 'h.test/ns/app' }, 'h.test/other/app:v1', false],
  ] as [SignedIdentity, string, boolean][])('%o signed as %s → %s', (rule, signed, want) => {
    expect(check(rule, 'unrelated.test/x/y:z', signed)).toBe(want);
  });
});

describe('remapIdentity', () => {
  const rule: SignedIdentity = { type: 'remapIdentity', prefix: 'mirror.test/ns', signedPrefix: 'h.test/prod' };
  it.each([
    ['mirror.test/ns/app:v1', 'h.test/prod/app:v1', true],
    ['mirror.test/ns/app:v1', 'mirror.test/ns/app:v1', false],
    ['mirror.test/nsx/app:v1', 'mirror.test/nsx/app:v1', true],
    ['mirror.test/nsx/app:v1', 'h.test/prodx/app:v1', false],
    [`mirror.test/ns/app@${D1}`, 'h.test/prod/app:v7', true],
  ])('%s signed as %s → %s', (req, signed, want) => expect(check(rule, req, signed)).toBe(want));

  it('fails when the remapped name is not canonical', () => {
    expect(check({ type: 'remapIdentity', prefix: 'mirror.test/ns', signedPrefix: 'busybox' }, 'mirror.test/ns/app:v1', 'busybox/app:v1')).toBe(false);
  });
});
