/**
 * The plain registries.conf reader (toml-plain.ts) answers only where it gives exactly the table
 * the faithful parser (toml.ts) gives: on random files built from registries.conf lines and from
 * near misses (escapes, numbers, dotted keys, redefinitions, multi-line values, spaces in headers,
 * CR, non-ASCII), it either declines or agrees, key order included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToml } from '../../src/config/toml.js';
import { parsePlainToml } from '../../src/config/toml-plain.js';
import { check } from './harness.js';

const key = fc.constantFrom('location', 'prefix', 'insecure', 'blocked', 'mirror', 'registry', 'aliases', '"quoted.key"', "'lit'", '""', 'a.b', '__proto__', '"__proto__"', 'k-1_x', '1', 'bad key', '"esc\\"q"');
const value = fc.constantFrom('"quay.io"', "'lit\"eral'", '""', '"a#b"', 'true', 'false', 'truex', '1', '1.0', '["a", "b"]', '[ "a" , ]', '[]', '[ ]', '["a" "b"]', '[true]', '[,]', '"""x"""', "'''x'''", '"tab\there"', '{ a = 1 }', '"esc\\n"', '"unterminated', '1979-05-27', '"é"');
const header = fc.constantFrom('[[registry]]', '[[registry.mirror]]', '[aliases]', '[registry]', '[registries.search]', '[[a.b.c]]', '[ aliases ]', '[[ registry ]]', '[aliases] # c', '[[registry]] # c', '[a]]', '[[registry]', '["q"]', '[]');
const line = fc.oneof(
  fc.tuple(fc.constantFrom('', '  ', '\t'), key, fc.constantFrom(' = ', '=', ' =\t'), value, fc.constantFrom('', ' # comment', '  ', ' x')).map((p) => p.join('')),
  header,
  fc.constantFrom('', '# comment', '   # indented', 'junk', '=', 'key =', '\r', 'a = "x"\r'),
);

describe('the plain reader agrees with toml.ts wherever it answers', () => {
  it('random registries.conf-like files', () => {
    let answered = 0;
    check(fc.array(line, { maxLength: 12 }), (lines) => {
      const text = lines.join('\n');
      const plain = parsePlainToml(text);
      if (!plain) return;
      answered++;
      const full = parseToml(text);
      expect(plain.table).toEqual(full);
      expect(JSON.stringify(plain.table)).toBe(JSON.stringify(full));
      // Bytes read alike.
      expect(parsePlainToml(new TextEncoder().encode(text))?.table).toEqual(full);
    });
    expect(answered).toBeGreaterThan(0);
  });

  it.each([
    ['a registries.conf of the usual shape', 'unqualified-search-registries = ["quay.io", "docker.io"]\n[aliases]\n"app" = "quay.io/org/app"\n[[registry]]\nprefix = "q.io"\nlocation = "m.io"  # mirror\nblocked = true\n[[registry.mirror]]\nlocation = \'x.io\'\n[[registry]]\nlocation = "r.io"\n'],
  ])('reads %s', (_what, text) => {
    expect(parsePlainToml(text)?.table).toEqual(parseToml(text));
  });

  it.each([
    ['an escape', 'a = "x\\ty"\n'],
    ['a key defined twice', 'a = "1"\na = "2"\n'],
    ['a CRLF line end', 'a = "1"\r\n'],
    ['a non-ASCII byte', 'a = "é"\n'],
    ['a multi-line array', 'a = [\n"x"]\n'],
    ['a number', 'a = 1\n'],
  ])('declines %s', (_what, text) => {
    expect(parsePlainToml(text)).toBeUndefined();
  });
});
