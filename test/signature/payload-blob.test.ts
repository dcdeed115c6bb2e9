import { describe, expect, it } from 'vitest';
import { parseSignatureBlob } from '../../src/signature/blob.js';
import { parseSignedClaims, SIGSTORE_PAYLOAD_TYPE, SIMPLE_SIGNING_TYPE } from '../../src/signature/payload.js';

const enc = (s: string) => new TextEncoder().encode(s);
const D = `sha256:${'e'.repeat(64)}`;
const good = (type = SIMPLE_SIGNING_TYPE, optional = '{"creator":"x","timestamp":1}') =>
  `{"critical":{"identity":{"docker-reference":"h.test/a:v1"},"image":{"docker-manifest-digest":"${D}"},"type":"${type}"},"optional":${optional}}`;

describe('simple-signing payload decoding', () => {
  it('extracts the claims', () => {
    expect(parseSignedClaims(enc(good()), SIMPLE_SIGNING_TYPE)).toEqual({ dockerManifestDigest: D, dockerReference: 'h.test/a:v1' });
  });

  it('accepts optional: null only for sigstore payloads', () => {
    expect(parseSignedClaims(enc(good(SIGSTORE_PAYLOAD_TYPE, 'null')), SIGSTORE_PAYLOAD_TYPE).dockerReference).toBe('h.test/a:v1');
    expect(() => parseSignedClaims(enc(good(SIMPLE_SIGNING_TYPE, 'null')), SIMPLE_SIGNING_TYPE)).toThrow('JSON object expected, got "%!s(<nil>)"');
  });

  it.each([
    ['not JSON', 'nope', "invalid character 'o' in literal null (expecting 'u')"],
    ['an array', '[]', 'JSON object expected, got "["'],
    ['an unknown top-level key', '{"critical":{},"optional":{},"extra":1}', 'Unknown key "extra"'],
    ['a missing key', '{"optional":{}}', 'Key "critical" missing in a JSON object'],
    ['a fractional timestamp', good(SIMPLE_SIGNING_TYPE, '{"timestamp":1.5}'), 'Field optional.timestamp is not is not an integer'],
    ['a wrong type', good('cosign container image signature'), 'Unrecognized signature type cosign container image signature'],
    ['a numeric reference', good().replace('"h.test/a:v1"', '5'), 'json: cannot unmarshal number into Go value of type string'],
    ['a repeated top-level key', '{"critical":{},"critical":{},"optional":{}}', 'Duplicate key "critical"'],
    ['a repeated optional key', good(SIMPLE_SIGNING_TYPE, '{"creator":"a","creator":"b"}'), 'Duplicate key "creator"'],
    ['a number instead of an object', '5', 'JSON object expected, got "%!s(float64=5)"'],
    // Values are decoded during the walk; the integer check comes after it.
    ['a bad creator after a fractional timestamp', good(SIMPLE_SIGNING_TYPE, '{"timestamp":1.5,"creator":5}'), 'json: cannot unmarshal number into Go value of type string'],
    ['a timestamp beyond float64', good(SIMPLE_SIGNING_TYPE, '{"timestamp":1e400}'), 'json: cannot unmarshal number 1e400 into Go value of type float64'],
    ['a timestamp beyond int64', good(SIMPLE_SIGNING_TYPE, '{"timestamp":1e19}'), 'Field optional.timestamp is not is not an integer'],
    ['a type error before an unknown key', '{"critical":{"type":5,"extra":1},"optional":{}}', 'json: cannot unmarshal number into Go value of type string'],
  ])('rejects %s', (_n, json, want) => {
    expect(() => parseSignedClaims(enc(json), SIMPLE_SIGNING_TYPE)).toThrow(want);
  });
});

describe('signature blob formats (FromBlob)', () => {
  it.each([
    [[0xc4, 1], 'simple-signing'],
    [[0xa3, 1], 'simple-signing'],
    [[0x00, ...enc('simple-signing\n'), 0xc4], 'simple-signing'],
    [[0x00, ...enc('sigstore-json\n{}')], 'sigstore-json'],
  ])('%o is %s', (bytes, format) => expect(parseSignatureBlob(new Uint8Array(bytes)).format).toBe(format));

  it.each([
    [[], 'empty signature blob'],
    [[0x2d, 0x2d], 'unrecognized signature format, starting with binary 0x2d'],
    [[0x00, 0x61], 'invalid signature format, missing newline'],
    [[0x00, 0x07, 0x0a], 'invalid signature format, non-ASCII byte 0x7'],
    [[0x00, ...enc('bogus\n')], 'unrecognized signature format "bogus"'],
  ])('%o fails: %s', (bytes, want) => expect(() => parseSignatureBlob(new Uint8Array(bytes))).toThrow(want));
});
