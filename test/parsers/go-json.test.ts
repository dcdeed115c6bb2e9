import { describe, expect, it } from 'vitest';
import {
  GoJsonSyntaxError,
  goJsonKind,
  parseGoJson,
  parseGoJsonTree,
  quoteChar,
  unmarshalTypeError,
} from '../../src/config/go-json.js';

function syntaxError(src: string | Uint8Array): string {
  try {
    parseGoJson(src);
  } catch (e) {
    expect(e).toBeInstanceOf(GoJsonSyntaxError);
    return (e as Error).message;
  }
  throw new Error('parsed without error');
}

describe('syntax errors carry encoding/json scanner texts', () => {
  it.each([
    // observed: conformance config-invalid/122-policy-invalid-json
    ['{"default": [{"type": "insecureAcceptAnything"}],}\n', "invalid character '}' looking for beginning of object key string"],
    // observed: conformance auth/172-auth-malformed-json
    ['{"auths": {\n', 'unexpected end of JSON input'],
    ['', 'unexpected end of JSON input'],
    ['   \n', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['[1, 2', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a": x}', "invalid character 'x' looking for beginning of value"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ["{'a': 1}", "invalid character '\\'' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a": 1 "b": 2}', `invalid character '"' after object key:value pair`],
    ['{"a": 1]', "invalid character ']' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1}', "invalid character '}' after array element"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['{}x', "invalid character 'x' after top-level value"],
    ['{}\n{}', "invalid character '{' after top-level value"],
    ['123x', "invalid character 'x' after top-level value"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['"a\x01"', "invalid character '\\x01' in string literal"],
    ['"a\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"\\uZ"', "invalid character 'Z' in \\u hexadecimal character escape"],
    // scanner.eof() feeds a space, so a truncated literal reports that space.
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['tx', "invalid character 'x' in literal true (expecting 'r')"],
    ['{"a": tRue}', "invalid character 'R' in literal true (expecting 'r')"],
    ['[truE]', "invalid character 'E' in literal true (expecting 'e')"],
    ['fals', "invalid character ' ' in literal false (expecting 'e')"],
    ['fxlse', "invalid character 'x' in literal false (expecting 'a')"],
    ['faxse', "invalid character 'x' in literal false (expecting 'l')"],
    ['falxe', "invalid character 'x' in literal false (expecting 's')"],
    ['falsx', "invalid character 'x' in literal false (expecting 'e')"],
    ['nxll', "invalid character 'x' in literal null (expecting 'u')"],
    ['nuxl', "invalid character 'x' in literal null (expecting 'l')"],
    ['nulx', "invalid character 'x' in literal null (expecting 'l')"],
    ['None', "invalid character 'N' looking for beginning of value"],
    ['-', "invalid character ' ' in numeric literal"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['[1.]', "invalid character ']' after decimal point in numeric literal"],
    ['1e', "invalid character ' ' in exponent of numeric literal"],
    ['1e+x', "invalid character 'x' in exponent of numeric literal"],
    ['01', "invalid character '1' after top-level value"],
    ['[01]', "invalid character '1' after array element"],
    ['+1', "invalid character '+' looking for beginning of value"],
    ['.5', "invalid character '.' looking for beginning of value"],
    ['{"a":1,,}', `invalid character ',' looking for beginning of object key string`],
    ['[\\]', "invalid character '\\\\' looking for beginning of value"],
    ['\x7f', "invalid character '\\x7f' looking for beginning of value"],
    ['\r\n\x00', "invalid character '\\x00' looking for beginning of value"],
    // Go quotes the first byte of a UTF-8 sequence as a Latin-1 rune.
    ['é', "invalid character 'Ã' looking for beginning of value"],
    ['\u00a0', "invalid character 'Â' looking for beginning of value"],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
    [new Uint8Array([0x85]), "invalid character '\\u0085' looking for beginning of value"],
    [new Uint8Array([0xa0]), "invalid character '\\u00a0' looking for beginning of value"],
    [new Uint8Array([0xad]), "invalid character '\\u00ad' looking for beginning of value"],
    ['['.repeat(10001), "invalid character '[' exceeded max depth"],
  ])('%j → %s', (src, message) => {
    expect(syntaxError(src)).toBe(message);
  });

  it('reports the byte offset Go reports', () => {
    try {
      parseGoJson('{"a": x}');
    } catch (e) {
      expect((e as GoJsonSyntaxError).offset).toBe(7);
    }
    expect.assertions(1);
  });
});

describe('quoteChar matches Go for every byte class', () => {
  it.each([
    [0x27, "'\\''"],
    [0x22, `'"'`],
    [0x5c, "'\\\\'"],
    [0x0a, "'\\n'"],
    [0x0d, "'\\r'"],
    [0x07, "'\\a'"],
    [0x0b, "'\\v'"],
    [0x1b, "'\\x1b'"],
    [0x41, "'A'"],
    [0x9f, "'\\u009f'"],
    [0xff, "'ÿ'"],
  ])('%i → %s', (c, q) => {
    expect(quoteChar(c)).toBe(q);
  });
});

describe('values decode like encoding/json into interface{}', () => {
  it.each([
    ['{"a": [1, 2.5, -3e2, true, false, null, "x"]}', { a: [1, 2.5, -300, true, false, null, 'x'] }],
    ['  "\\u00e9\\n\\/\\"\\\\"  ', 'é\n/"\\'],
    ['"\\ud83d\\ude00"', '😀'],
    ['"\\ud83d"', '\ufffd'],
    ['"\\ude00x"', '\ufffdx'],
    ['"\\ud83dA"', '\ufffdA'],
    ['"\\ud83d\\u0041"', '\ufffdA'],
    [new Uint8Array([0x22, 0xff, 0x41, 0x22]), '\ufffdA'],
    [new Uint8Array([0x22, 0xe2, 0x82, 0x22]), '\ufffd\ufffd'],
    ['"日本"', '日本'],
    ['{"a": 1, "a": 2}', { a: 2 }],
    ['{}', {}],
    ['[]', []],
    ['0', 0],
  ])('%j', (src, value) => {
    expect(parseGoJson(src)).toEqual(value);
  });

  it('keeps a "__proto__" key as data, not as the prototype', () => {
    const v = parseGoJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('tree parse keeps every member for the paranoid object decoders', () => {
  it('keeps repeated keys in document order, numbers as literals', () => {
    expect(parseGoJsonTree('{"z": 1, "a": [1e3, null, true], "z": "x"}')).toEqual({
      kind: 'object',
      members: [
        ['z', { kind: 'number', literal: '1' }],
        ['a', { kind: 'array', items: [{ kind: 'number', literal: '1e3' }, { kind: 'null' }, { kind: 'bool', value: true }] }],
        ['z', { kind: 'string', value: 'x' }],
      ],
    });
  });

  it('unquotes strings as Go does: an unpaired surrogate escape becomes U+FFFD', () => {
    expect(parseGoJsonTree('"a\\ud800b\\u00e9"')).toEqual({ kind: 'string', value: 'a\ufffdb\u00e9' });
  });

  it.each(['[1,]', '{"a" 1}', '{"a": 1} x', ''])('rejects %j with the same text as parseGoJson', (src) => {
    let want = '';
    try {
      parseGoJson(src);
    } catch (e) {
      want = (e as Error).message;
    }
    expect(want).not.toBe('');
    expect(() => parseGoJsonTree(src)).toThrow(want);
  });
});

describe('UnmarshalTypeError texts (Go 1.19)', () => {
  it.each([
    [unmarshalTypeError('string', 'bool', 'Foo', 'insecure'), 'json: cannot unmarshal string into Go struct field Foo.insecure of type bool'],
    [unmarshalTypeError('number', 'string'), 'json: cannot unmarshal number into Go value of type string'],
    [unmarshalTypeError('number 1.5', 'int'), 'json: cannot unmarshal number 1.5 into Go value of type int'],
    [
      unmarshalTypeError('array', 'config.dockerConfigFile'),
      'json: cannot unmarshal array into Go value of type config.dockerConfigFile',
    ],
    [
      unmarshalTypeError('number', 'string', 'dockerAuthConfig', 'auths.auth'),
      'json: cannot unmarshal number into Go struct field dockerAuthConfig.auths.auth of type string',
    ],
  ])('%s', (got, want) => {
    expect(got).toBe(want);
  });

  it.each([
    ['"x"', 'string'],
    ['1', 'number'],
    ['true', 'bool'],
    ['null', 'null'],
    ['[]', 'array'],
    ['{}', 'object'],
  ])('kind of %s is %s', (src, kind) => {
    expect(goJsonKind(parseGoJson(src))).toBe(kind);
  });
});
