import { describe, expect, it } from 'vitest';
import { RegistriesConfError } from '../../src/errors/index.js';
import {
  parseToml,
  parseTomlDocument,
  tomlDecodeExpectedTableError,
  tomlDecodeTypeError,
  tomlGoType,
  tomlKey,
} from '../../src/config/toml.js';

function parseError(src: string | Uint8Array): string {
  try {
    parseToml(src);
  } catch (e) {
    expect(e).toBeInstanceOf(RegistriesConfError);
    expect((e as RegistriesConfError).code).toBe('toml.parse');
    return (e as Error).message;
  }
  throw new Error('parsed without error');
}

describe('syntax errors observed on a node (conformance)', () => {
  it.each([
    [
      '202/203 unterminated array',
      'unqualified-search-registries = ["harbor.lab.test"\n[[registry]]\nlocation = "harbor.lab.test"\n',
      `toml: line 2 (last key "unqualified-search-registries"): expected a comma (',') or array terminator (']'), but got '['`,
    ],
    [
      '204 unterminated [[table]] header',
      "[[registry]\nlocation = 'x'\n",
      "toml: line 2: expected end of table array name delimiter ']', but got '\\n' instead",
    ],
    [
      '219 duplicate alias',
      'unqualified-search-registries = ["harbor.lab.test"]\n\n[aliases]\n"app" = "harbor.lab.test/lab/app"\n"app" = "harbor.lab.test/lab/whoami"\n',
      `toml: line 5 (last key "aliases.app"): Key 'aliases.app' has already been defined.`,
    ],
  ])('%s', (_name, src, message) => {
    expect(parseError(src)).toBe(message);
  });
});

describe("syntax errors from BurntSushi v1.2.0's own error tests", () => {
  it.each([
    ['wrong = [ 1 2 3 ]\n', `toml: line 1 (last key "wrong"): expected a comma (',') or array terminator (']'), but got '2'`],
    ['x = [42 #\n', `toml: line 1 (last key "x"): expected a comma (',') or array terminator (']'), but got end of file`],
    [
      '# INVALID TOML DOC\n[[fruit]]\n  name = "apple"\n\n  [[fruit.variety]]\n    name = "red delicious"\n\n  # This table conflicts with the previous table\n  [fruit.variety]\n    name = "granny smith"\n',
      `toml: line 9 (last key "fruit"): Key 'fruit.variety' has already been defined.`,
    ],
    ['# Date cannot end with trailing T\nd = 2006-01-30T\n', `toml: line 2 (last key "d"): Invalid TOML Datetime: "2006-01-30T".`],
  ])('%j', (src, message) => {
    expect(parseError(src)).toBe(message);
  });
});

describe('syntax errors for common registries.conf mistakes', () => {
  it.each([
    ['unterminated string', '[[registry]]\nlocation = "harbor.lab.test\n', 'toml: line 2 (last key "registry.location"): strings cannot contain newlines'],
    ['unterminated literal string', "location = 'harbor\n", 'toml: line 1 (last key "location"): strings cannot contain newlines'],
    ['unterminated string at end of file', 'location = "harbor', `toml: line 0 (last key "location"): unexpected EOF; expected '"'`],
    ['unterminated literal string at end of file', "a = 1\nlocation = 'harbor", `toml: line 1 (last key "location"): unexpected EOF; expected "'"`],
    ['unterminated multi-line string', 'a = """x\ny', `toml: line 1 (last key "a"): unexpected EOF; expected '"""'`],
    ['unterminated multi-line literal', "a = '''x\ny\n", `toml: line 2 (last key "a"): unexpected EOF; expected "'''"`],
    ['six closing quotes', 'a = """x""""""\n', `toml: line 1 (last key "a"): unexpected '""""""'`],
    ['bare key with a slash', '[aliases]\ndocker.io/app = "x"\n', `toml: line 2 (last key "aliases"): expected '.' or '=', but got '/' instead`],
    ['bare key with a colon', 'registry:5000 = 1\n', "toml: line 1: expected '.' or '=', but got ':' instead"],
    ['missing =', '[[registry]]\nlocation "x"\n', `toml: line 2 (last key "registry"): expected '.' or '=', but got '"' instead`],
    ['key alone at end of file', 'location', "toml: line 0: unexpected EOF; expected key separator '='"],
    ['missing value', 'location =\nprefix = "a"\n', `toml: line 2 (last key "location"): expected value but found '\\n' instead`],
    ['missing value at end of file', 'location = ', 'toml: line 0 (last key "location"): unexpected EOF; expected value'],
    ['blank key', '= "x"\n', "toml: line 1: unexpected '=': key name appears blank"],
    ['key starting with a dot', '.a = 1\n', "toml: line 1: unexpected '.': keys cannot start with a '.'"],
    ['empty dotted key part', 'a. = 1\n', "toml: line 1: unexpected '='"],
    ['double dot in key', 'a..b = 1\n', "toml: line 1: unexpected '.'"],
    ['duplicate table', '[aliases]\n"a" = "b/c"\n[aliases]\n', "toml: line 3: Key 'aliases' has already been defined."],
    ['table redefined as array of tables', '[registry]\nprefix = "a"\n[[registry]]\n', "toml: line 3: Key 'registry' was already created and cannot be used as an array."],
    ['array of tables redefined as table', '[[registry]]\nprefix = "a"\n[registry]\n', "toml: line 3: Key 'registry' has already been defined."],
    ['array value then array of tables', 'registry = []\n[[registry]]\n', "toml: line 2: Key 'registry' was already created and cannot be used as an array."],
    ['value then sub-table', 'a = 1\n[a.b]\n', "toml: line 2: Key 'a' was already created as a hash."],
    ['value then dotted key', 'a = 1\na.b = 2\n', `toml: line 2 (last key "a.b"): Key 'a' has already been defined.`],
    ['duplicate key', '[[registry]]\nlocation = "a"\nlocation = "b"\n', `toml: line 3 (last key "registry.location"): Key 'registry.location' has already been defined.`],
    ['duplicate key in inline table', 'a = {x = 1, x = 2}\n', `toml: line 1 (last key "a.x"): Key 'a.x' has already been defined.`],
    ['yes instead of true', '[[registry]]\ninsecure = yes\n', `toml: line 2 (last key "registry.insecure"): expected value but found "yes" instead`],
    ['capitalised True', 'insecure = True\n', `toml: line 1 (last key "insecure"): expected value but found "True" instead`],
    ['unquoted string value', 'location = harbor.lab.test\n', `toml: line 1 (last key "location"): expected value but found "harbor" instead`],
    ['word starting like nan', 'a = naf\n', `toml: line 1 (last key "a"): expected value but found "af" instead`],
    ['trailing garbage after a value', '[[registry]]\nlocation = "x" y\n', `toml: line 2 (last key "registry"): expected a top-level item to end with a newline, comment, or EOF, but got 'y' instead`],
    ['two values on one line', 'a = 1 b = 2\n', "toml: line 1: expected a top-level item to end with a newline, comment, or EOF, but got 'b' instead"],
    ['garbage after a table header', '[aliases] x\n', `toml: line 1 (last key "aliases"): expected a top-level item to end with a newline, comment, or EOF, but got 'x' instead`],
    ['invalid escape', 'location = "C:\\path"\n', `toml: line 1 (last key "location"): invalid escape in string '\\p'`],
    ['\\U of a Windows path', 'location = "C:\\Users"\n', `toml: line 1 (last key "location"): expected eight hexadecimal digits after '\\U', but got "C:\\\\Us" instead`],
    ['short \\u escape', 'a = "\\u12"\n', `toml: line 1 (last key "a"): expected four hexadecimal digits after '\\u', but got "\\\\u12\\"" instead`],
    ['escaped space in basic string', 'a = "x\\ y"\n', `toml: line 1 (last key "a"): invalid escape: '\\ '`],
    ['backslash-space ending a multi-line string', 'a = """x\\ """\n', `toml: line 1 (last key "a"): invalid escape: '\\ '`],
    ['surrogate escape', 'a = "\\uD800"\n', `toml: line 1 (last key "a"): Escaped character '\\uD800' is not valid UTF-8.`],
    ['control character', 'a = "x\x01"\n', `toml: line 1 (last key "a"): TOML files cannot contain control characters: '0x01'`],
    // The lexer reports the bad rune while the parser is already reading b's value.
    ['bare carriage return', 'a = 1\r\nb = 2\r', `toml: line 2 (last key "b"): TOML files cannot contain control characters: '0x0d'`],
    ['unclosed table header', '[aliases\n"a" = "b"\n', "toml: line 2: expected '.' or ']' to end table name, but got '\\n' instead"],
    ['empty table name', '[]\n', 'toml: line 1: unexpected end of table name (table names cannot be empty)'],
    ['table name starting with a dot', '[.a]\n', 'toml: line 1: unexpected table separator (table names cannot be empty)'],
    ['array without comma', 'x = ["a" "b"]\n', `toml: line 1 (last key "x"): expected a comma (',') or array terminator (']'), but got '"'`],
    ['double comma in array', 'x = ["a",,"b"]\n', `toml: line 1 (last key "x"): unexpected comma`],
    ['unclosed array at end of file', 'x = ["a"', `toml: line 0 (last key "x"): expected a comma (',') or array terminator (']'), but got end of file`],
    ['newline in inline table', 'x = {a = 1,\n b = 2}\n', `toml: line 1 (last key "x.a"): newlines not allowed within inline tables`],
    ['trailing comma in inline table', 'x = {a = 1,}\n', `toml: line 1 (last key "x.a"): trailing comma not allowed in inline tables`],
    ['inline table without comma', 'x = {a = 1 b = 2}\n', `toml: line 1 (last key "x.a"): expected a comma or an inline table terminator '}', but got 'b' instead`],
    ['unclosed inline table', 'x = {a = 1', `toml: line 0 (last key "x.a"): expected a comma or an inline table terminator '}', but got end of file instead`],
    ['leading zero', 'a = 01\n', `toml: line 1 (last key "a"): Invalid integer "01": cannot have leading zeroes`],
    ['bad underscore', 'a = 1__0\n', `toml: line 1 (last key "a"): Invalid integer "1__0": underscores must be surrounded by digits`],
    ['int64 overflow', 'a = 9223372036854775808\n', `toml: line 1 (last key "a"): 9223372036854775808 is out of range for int64`],
    ['float overflow', 'a = 1e400\n', `toml: line 1 (last key "a"): 1e400 is out of range for float64`],
    ['float with trailing dot', 'a = 1.\n', `toml: line 1 (last key "a"): Invalid float "1.": '.' must be followed by one or more digits`],
    ['float with two exponents', 'a = 1e5e5\n', `toml: line 1 (last key "a"): Invalid float value: "1e5e5"`],
    ['float starting with a dot', 'a = .5\n', `toml: line 1 (last key "a"): floats must start with a digit, not '.'`],
    ['signed hex', 'a = +0x1\n', `toml: line 1 (last key "a"): cannot use sign with non-decimal numbers: '+0x'`],
    ['hex without digits', 'a = 0xg\n', `toml: line 1 (last key "a"): not a hexidecimal number: '0xg'`],
    ['sign without digits', 'a = -x\n', `toml: line 1 (last key "a"): expected a digit but got 'x'`],
    ['bad signed inf', 'a = +iX\n', `toml: line 1 (last key "a"): invalid float: '+i'`],
    ['invalid month', 'd = 2023-13-01\n', `toml: line 1 (last key "d"): Invalid TOML Datetime: "2023-13-01".`],
    ['February 30', 'd = 2023-02-30\n', `toml: line 1 (last key "d"): Invalid TOML Datetime: "2023-02-30".`],
    ['date-like value', 'a = 1-2\n', `toml: line 1 (last key "a"): Invalid TOML Datetime: "1-2".`],
    ['a value character', 'a = @\n', `toml: line 1 (last key "a"): expected value but found '@' instead`],
    ['UTF-8 byte order mark', '\ufeffa = 1\n', "toml: line 1: expected '.' or '=', but got '\\ufeff' instead"],
    ['literal replacement character', 'a = "\ufffd"\n', 'toml: line 1 (last key "a"): invalid UTF-8 byte: 0xef'],
    ['NUL near the start (UTF-16)', 'a\x00= 1\n', 'toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8'],
    ['invalid UTF-8 bytes', new Uint8Array([0x61, 0x20, 0x3d, 0x20, 0x22, 0xff, 0x22, 0x0a]), 'toml: line 1 (last key "a"): invalid UTF-8 byte: 0xff'],
    ['UTF-16 encoded file', new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x3d, 0x00]), 'toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8'],
    ['quoted key needing quotes in the last key', '[aliases]\n"docker.io/x" = "a"\n"docker.io/x" = "b"\n', `toml: line 3 (last key "aliases.docker.io/x"): Key 'aliases."docker.io/x"' has already been defined.`],
    ['error inside a quoted table name context', '[a."b c"]\nx = 1 2\n', `toml: line 2 (last key "a.\\"b c\\""): expected a top-level item to end with a newline, comment, or EOF, but got '2' instead`],
  ])('%s', (_name, src, message) => {
    expect(parseError(src)).toBe(message);
  });
});

describe('runs of plain characters are lexed like one rune at a time', () => {
  // The lexer skips runs of printable ASCII in names, strings and comments at once; what ends a
  // run (a control character, a newline, EOF, a quote) must still be met exactly as rune by rune.
  it.each([
    ['control character after a run in a string', 'location = "harbor.lab.test\u0001"', `toml: line 1 (last key "location"): TOML files cannot contain control characters: '0x01'`],
    ['DEL after a run in a raw string', "location = 'harbor.lab.test\u007f'", `toml: line 1 (last key "location"): TOML files cannot contain control characters: '0x7f'`],
    ['EOF after a run in a string', 'location = "harbor.lab.test', `toml: line 0 (last key "location"): unexpected EOF; expected '"'`],
    ['EOF after a run in a raw string', "location = 'harbor.lab.test", `toml: line 0 (last key "location"): unexpected EOF; expected "'"`],
    ['newline after a run in a string', 'location = "harbor.lab.test\n"', `toml: line 1 (last key "location"): strings cannot contain newlines`],
    ['bare CR after a run in a string', '[  registry   ]\nlocation = "h.test\rx"', `toml: line 2 (last key "registry.location"): TOML files cannot contain control characters: '0x0d'`],
    ['EOF after a run in a dotted key', 'registry.location', `toml: line 0: unexpected EOF; expected key separator '='`],
    ['tabs then EOF after a key', 'registry\t\t\t\t= 1\nx', `toml: line 1: unexpected EOF; expected key separator '='`],
    ['non-ASCII letter ending a bare key', 'abcdefgh\u00e9 = 1', `toml: line 1: expected '.' or '=', but got 'é' instead`],
    ['control character after a run in a comment', 'location = "h.test" # a comment\u0002', `toml: line 1: TOML files cannot contain control characters: '0x02'`],
    ['NUL after non-ASCII in a comment', 'location = "h.test" # a comment with \u00e9 and \u0000', `toml: line 1: TOML files cannot contain control characters: '0x00'`],
    ['control character in a multi-line string', 'a = """long multi-line text\u0003"""', `toml: line 1 (last key "a"): TOML files cannot contain control characters: '0x03'`],
    ['six quotes closing a multi-line string', 'a = """long multi-line text""""""', `toml: line 1 (last key "a"): unexpected '""""""'`],
    ['six apostrophes closing a raw multi-line string', "a = '''long raw multi-line text''''''", `toml: line 1 (last key "a"): unexpected "''''''"`],
    ['a word value after letters', 'a = trueish', `toml: line 1 (last key "a"): expected value but found "trueish" instead`],
  ])('%s', (_name, src, message) => {
    expect(parseError(src)).toBe(message);
  });

  it.each([
    ['spaces around a dot', 'registry    .    location = 1', { registry: { location: 1 } }],
    ['tab inside a string', 'a = "tab\tinside a long string"', { a: 'tab\tinside a long string' }],
    ['escapes between runs', 'a = "\u00e9 long string with \\u00e9 and \\U0001F600 \\t end"', { a: '\u00e9 long string with \u00e9 and \u{1F600} \t end' }],
    ['line-ending backslash in a multi-line string', 'a = """long multi-line text\\ \n  b"""', { a: 'long multi-line textb' }],
    ['two quotes inside a multi-line string', 'a = """say ""hi"" twice"""', { a: 'say ""hi"" twice' }],
  ])('%s', (_name, src, table) => {
    expect(parseToml(src)).toEqual(table);
  });
});

describe('values', () => {
  it('parses a typical registries.conf', () => {
    const conf = `# comment
unqualified-search-registries = ["harbor.lab.test", 'quay.io',] # trailing comma allowed
short-name-mode = "enforcing"

[[registry]]
prefix = "harbor.lab.test/lab"
location = "harbor.lab.test"
insecure = false
blocked = true
mirror-by-digest-only = true

[[registry.mirror]]
location = "mirror1.lab.test:5000"
pull-from-mirror = "digest-only"

[[registry]]
location = "quay.io"

[aliases]
"app" = "harbor.lab.test/lab/app"
'docker.io/x' = "y"
`;
    expect(parseToml(conf)).toEqual({
      'unqualified-search-registries': ['harbor.lab.test', 'quay.io'],
      'short-name-mode': 'enforcing',
      registry: [
        {
          prefix: 'harbor.lab.test/lab',
          location: 'harbor.lab.test',
          insecure: false,
          blocked: true,
          'mirror-by-digest-only': true,
          mirror: [{ location: 'mirror1.lab.test:5000', 'pull-from-mirror': 'digest-only' }],
        },
        { location: 'quay.io' },
      ],
      aliases: { app: 'harbor.lab.test/lab/app', 'docker.io/x': 'y' },
    });
  });

  it.each([
    ['a = 42', 42],
    ['a = -17', -17],
    ['a = +1_000', 1000],
    ['a = 0xDEAD_beef', 0xdeadbeef],
    ['a = 0o17', 15],
    ['a = 0b101', 5],
    ['a = 3.14', 3.14],
    ['a = -1e-3', -0.001],
    ['a = 6.02E+23', 6.02e23],
    ['a = inf', Infinity],
    ['a = -inf', -Infinity],
    ['a = true', true],
    ['a = "tab\\there \\u00e9 \\U0001F600 \\"q\\" \\\\"', 'tab\there é 😀 "q" \\'],
    ["a = 'C:\\Users\\x'", 'C:\\Users\\x'],
    ['a = """\nline1\nline2"""', 'line1\nline2'],
    ['a = """one \\\n    two"""', 'one two'],
    ["a = '''\nraw \\n'''", 'raw \\n'],
    ['a = """x""""', 'x"'],
    ['a = [[1, 2], ["x"]]', [[1, 2], ['x']]],
    ['a = []', []],
    ['a = {x = 1, y.z = "w"}', { x: 1, y: { z: 'w' } }],
    ['a.b."c.d" = 1', { b: { 'c.d': 1 } }],
    ['"" = 1', 1],
  ])('%s', (src, value) => {
    const t = parseToml(src + '\n');
    expect(Object.values(t)[0]).toEqual(value);
  });

  it('parses nan', () => {
    expect(parseToml('a = nan').a).toBeNaN();
  });

  it.each([
    ['1979-05-27T07:32:00Z', '1979-05-27T07:32:00.000Z'],
    ['1979-05-27T00:32:00.999999-07:00', '1979-05-27T07:32:00.999Z'],
    ['1979-05-27 07:32:00z', '1979-05-27T07:32:00.000Z'],
    ['1979-05-27T07:32:00', '1979-05-27T07:32:00.000Z'],
    ['1979-05-27', '1979-05-27T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('datetime %s', (src, iso) => {
    expect((parseToml(`d = ${src}\n`).d as Date).toISOString()).toBe(iso);
  });

  it('takes a local time as a time of day', () => {
    const d = parseToml('t = 07:32:00.5\n').t as Date;
    expect([d.getUTCHours(), d.getUTCMinutes(), d.getUTCMilliseconds()]).toEqual([7, 32, 500]);
  });

  it('lets a key holding an array be redefined, last wins (BurntSushi 1.2.0 leniency)', () => {
    expect(parseToml('a = ["x"]\na = ["y"]\n')).toEqual({ a: ['y'] });
  });

  it('allows an implicit table to be defined once', () => {
    expect(parseToml('[a.b]\nx = 1\n[a]\ny = 2\n')).toEqual({ a: { b: { x: 1 }, y: 2 } });
    expect(parseError('[a.b]\n[a]\n[a]\n')).toBe("toml: line 3: Key 'a' has already been defined.");
  });

  it('keeps a "__proto__" key as data', () => {
    const t = parseToml('"__proto__" = 1\n[x.__proto__]\ny = 2\n');
    expect(Object.keys(t)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });

  it('accepts bytes and CRLF line ends', () => {
    expect(parseToml(new TextEncoder().encode('a = "é"\r\nb = 1\r\n'))).toEqual({ a: 'é', b: 1 });
  });
});

describe('key lines and types for decode errors', () => {
  const doc = parseTomlDocument(
    [
      'unqualified-search-registries = [', //1
      '  "a",', //2
      ']', //3
      '[[registry]]', //4
      'location = "x"', //5
      'insecure = "yes"', //6
      '[[registry]]', //7
      'insecure = 1.0', //8
      '[aliases]', //9
      '"docker.io/x" = "y"', //10
      '[a.b]', //11
      'c = {d = [1, 2.0]}', //12
    ].join('\n') + '\n',
  );

  it.each([
    ['unqualified-search-registries', 1, 'Array'],
    ['registry', 7, 'ArrayHash'],
    ['registry.location', 5, 'String'],
    ['registry.insecure', 8, 'Float'],
    ['aliases', 9, 'Hash'],
    ['aliases."docker.io/x"', 10, 'String'],
    ['a.b', 11, 'Hash'],
    ['a.b.c', 12, 'Hash'],
    ['a.b.c.d', 12, 'Array'],
  ])('%s → line %i, %s', (key, line, type) => {
    expect(doc.keyLines.get(key)).toBe(line);
    expect(doc.keyTypes.get(key)).toBe(type);
  });

  it('has no line for an implicit table', () => {
    expect(doc.keyLines.has('a')).toBe(false);
  });

  it('records element types of arrays', () => {
    const d = ((doc.table.a as Record<string, Record<string, Record<string, unknown>>>).b!.c!.d) as number[];
    expect(doc.elementTypes.get(d)).toEqual(['Integer', 'Float']);
  });

  it.each([
    [['registry', 'insecure'], 'registry.insecure'],
    [['aliases', 'docker.io/x'], 'aliases."docker.io/x"'],
    [['a', ''], 'a.""'],
    [['q"\\\n\x01'], '"q\\"\\\\\\n\\u0001"'],
  ])('tomlKey(%j) = %s', (parts, key) => {
    expect(tomlKey(parts)).toBe(key);
  });
});

describe('decode error texts (BurntSushi v1.2.0 decode.go)', () => {
  it.each([
    [
      tomlDecodeTypeError('registry.insecure', 3, 'String', 'boolean'),
      'toml: line 3 (last key "registry.insecure"): incompatible types: TOML value has type string; destination has type boolean',
    ],
    // decode_test.go: `V = 1` into struct{ V string }
    [tomlDecodeTypeError('V', 1, 'Integer', 'string'), 'toml: line 1 (last key "V"): incompatible types: TOML value has type int64; destination has type string'],
    [tomlDecodeTypeError('F', 1, 'Bool', 'integer'), 'toml: line 1 (last key "F"): incompatible types: TOML value has type bool; destination has type integer'],
    [
      tomlDecodeTypeError('unqualified-search-registries', 1, 'String', 'slice'),
      'toml: line 1 (last key "unqualified-search-registries"): incompatible types: TOML value has type string; destination has type slice',
    ],
    [
      tomlDecodeTypeError('aliases', 2, 'ArrayHash', 'map'),
      'toml: line 2 (last key "aliases"): incompatible types: TOML value has type []map[string]interface {}; destination has type map',
    ],
    [tomlDecodeTypeError('a.b', undefined, 'Hash', 'string'), 'toml: (last key "a.b"): incompatible types: TOML value has type map[string]interface {}; destination has type string'],
    [tomlDecodeTypeError('', undefined, 'Array', 'map'), 'toml: incompatible types: TOML value has type []interface {}; destination has type map'],
    [
      tomlDecodeExpectedTableError('registry', 1, 'sysregistriesv2.Registry', 'String'),
      'toml: line 1 (last key "registry"): type mismatch for sysregistriesv2.Registry: expected table but found string',
    ],
  ])('%s', (got, want) => {
    expect(got).toBe(want);
  });

  it.each([
    ['Datetime', 'time.Time'],
    ['Float', 'float64'],
    ['Array', '[]interface {}'],
  ] as const)('%s is printed as %s', (t, go) => {
    expect(tomlGoType(t)).toBe(go);
  });
});
