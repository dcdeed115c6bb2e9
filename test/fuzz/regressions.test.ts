/**
 * Inputs the property suite found, kept as plain cases, and the seed that found each so the
 * property run that failed can be replayed exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRegistriesDFile } from '../../src/config/registries-d.js';
import { SignatureError } from '../../src/errors/index.js';
import { familiarString, parseNormalizedNamed } from '../../src/reference/reference.js';
import { guarded, isTypedInputError } from './harness.js';
import { PARSERS } from './parsers.js';

const row = (name: string) => PARSERS.find((p) => p.name === name)!;

describe('found by the property suite', () => {
  it.each([
    // image reference row, fc.sample seed 42: minutes of regex backtracking on a long lowercase run
    ['image reference', `ns${'a'.repeat(256)}lequay.io@:5000docker.io[::1]sha256:`],
    ['image reference', `${'a'.repeat(40)}!`],
    ['image reference', `${'a-'.repeat(60)}A`],
    // registries.d row, seed -1878897872 path "13:1:0:0": yaml's ReferenceError escaped as a crash
    ['registries.d', '*.example.com:\n'],
    // registries.d row under npm run fuzz (3000 runs), seed 1966907211 path "109:1:0:2": yaml's merge-key Error escaped
    ['registries.d', '<<: '],
  ])('%s: %j throws its typed error, within the deadline', (name, input) => {
    const r = row(name);
    const thrown = guarded(() => r.parse(input));
    expect((r.typed ?? isTypedInputError)(thrown)).toBe(true);
  });

  it.each([
    ['*.example.com:\n', 'yaml: did not find expected alphabetic or numeric character'],
    ['docker:\n  x: *.y\n', 'yaml: line 2: did not find expected alphabetic or numeric character'],
    ['docker:\n  x: *y\n', "yaml: unknown anchor 'y' referenced"],
    ['<<: ', 'yaml: map merge requires map or sequence of maps as the value'],
    ['x: &a 1\n<<: *a\n', 'yaml: map merge requires map or sequence of maps as the value'],
  ])('registries.d %j: go-yaml v2 wording', (content, yaml) => {
    expect(() => parseRegistriesDFile('/etc/containers/registries.d/f.yaml', content)).toThrow(SignatureError);
    expect(() => parseRegistriesDFile('/etc/containers/registries.d/f.yaml', content))
      .toThrow(`parsing /etc/containers/registries.d/f.yaml: error converting YAML to JSON: ${yaml}`);
  });

  it('the registries.d seed replays', () => {
    const r = row('registries.d');
    fc.assert(fc.property(r.inputs, (input) => {
      const thrown = guarded(() => r.parse(input));
      return thrown === undefined || isTypedInputError(thrown);
    }), { seed: -1878897872, path: '13:1:0:0', endOnFailure: true });
  });

  // reference-roundtrip seed 1287020186: Go's FamiliarString keeps no docker.io/ for a path whose
  // first component reads as a host, so the familiar name parses elsewhere (as upstream does).
  it('familiarString of docker.io/0.a/a is 0.a/a, which names the host 0.a', () => {
    expect(familiarString(parseNormalizedNamed('docker.io/0.a/a'))).toBe('0.a/a');
    expect(parseNormalizedNamed('0.a/a').domain).toBe('0.a');
  });
});
