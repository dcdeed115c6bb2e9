/**
 * TOML as BurntSushi/toml v1.2.0 reads it (containers/image 5.23.1 decodes registries.conf
 * and its drop-ins with it).
 *
 * Its error texts depend on its machinery, not only on the input: which item the lexer has
 * emitted when it stops, which line counter it held then, and what the parser considered the
 * "last key" at that moment. So this is a faithful re-implementation of that machinery — a
 * pull-driven state-machine lexer feeding a parser that keeps BurntSushi's bookkeeping
 * (context, implicit tables, key types) — including its quirks:
 * - an item's line is the lexer's line when the item was emitted (its end);
 * - an error met at end of input is reported one line up (line 0 for a one-line file);
 * - redefining a key that holds an array is silently allowed (last wins);
 * - a dotted key inside an inline table that is an array element loses its nesting.
 */
import { isUtf8 } from 'node:buffer';
import { RegistriesConfError, goQuoteRune, text, type TemplateCode } from '../errors/index.js';
import { decodeRune, RUNE_ERROR } from './go-utf8.js';

export type TomlValue = string | number | boolean | Date | TomlValue[] | TomlTable;
export interface TomlTable { [key: string]: TomlValue }

/** BurntSushi's TOML type names (MetaData.Type). */
export type TomlType = 'String' | 'Integer' | 'Float' | 'Bool' | 'Datetime' | 'Array' | 'Hash' | 'ArrayHash';

export interface TomlDocument {
  table: TomlTable;
  /**
   * Line of each key path's definition, keyed like BurntSushi prints keys (`tomlKey`):
   * `registry.location`, `aliases."docker.io/x"`. Like its keyInfo, a path defined again
   * (one per `[[registry]]`) keeps the LAST line, and implicit tables (`[a.b]` implies `a`)
   * have none. Arrays and inline tables record the line of their `[`/`{`, table headers the
   * header's line, multi-line strings the line where they end.
   */
  readonly keyLines: ReadonlyMap<string, number>;
  /** TOML type of each key path, same keys and same last-wins rule as keyLines. */
  readonly keyTypes: ReadonlyMap<string, TomlType>;
  /** TOML type of each element of every array, for type errors on elements (e.g. `[1.0]` is Float, `[1]` Integer). */
  elementTypes: WeakMap<TomlValue[], TomlType[]>;
}

/** Parses TOML; a syntax error throws RegistriesConfError 'toml.parse' with BurntSushi's exact text. */
export function parseToml(src: string | Uint8Array): TomlTable {
  return parseTomlDocument(src).table;
}

/** Parses TOML, also returning where and of what type each key was defined (for decode errors). */
export function parseTomlDocument(src: string | Uint8Array): TomlDocument {
  try {
    return new Parser(src).run();
  } catch (e) {
    if (e instanceof ParseFailure) {
      const message = e.lastKey === ''
        ? text('toml.parse', e.line, e.message)
        : text('toml.parse-key', e.line, e.lastKey, e.message);
      throw new RegistriesConfError('toml.parse', message);
    }
    throw e;
  }
}

/** BurntSushi's Key.String(): parts joined with ".", a part quoted when not a bare key. */
export function tomlKey(parts: readonly string[]): string {
  return parts.map(quoteKeyPart).join('.');
}

/**
 * The text BurntSushi's decoder returns when a value does not fit the Go field (MetaData.e
 * + badtype): `toml: line 3 (last key "registry.insecure"): incompatible types: TOML value
 * has type string; destination has type boolean`.
 *
 * - keyPath: the decoder's context as `tomlKey` prints it: TOML key names from the root
 *   (array-of-tables and array indexes add nothing: `registry.mirror.location`); `''` at the root.
 * - line: `keyLines.get(keyPath)` — undefined when the path has no line (implicit table);
 *   BurntSushi then prints no line. Note keyLines keeps the LAST definition of a path, as
 *   BurntSushi's lookup does, even when the bad value is in an earlier `[[registry]]`.
 * - tomlType: the offending value's TOML type (keyTypes / elementTypes); it is printed as the
 *   Go type of the parsed value (`tomlGoType`).
 * - goKind: BurntSushi's name for the destination: `string`, `boolean`, `integer`, `float`,
 *   `slice` (Go slice or array), `map`, `primitive (string-like)` (encoding.TextUnmarshaler).
 * A Go struct destination given a non-table is a different text: `tomlDecodeExpectedTableError`.
 * Go walks struct fields in map order, so with several bad values the one reported is
 * random; report the first in document order.
 */
export function tomlDecodeTypeError(keyPath: string, line: number | undefined, tomlType: TomlType, goKind: string): string {
  return decodeError(keyPath, line, text('toml.decode.incompatible', tomlGoType(tomlType), goKind));
}

/** `type mismatch for sysregistriesv2.Registry: expected table but found string`, prefixed like tomlDecodeTypeError. */
export function tomlDecodeExpectedTableError(keyPath: string, line: number | undefined, goStructType: string, tomlType: TomlType): string {
  return decodeError(keyPath, line, text('toml.decode.expected-table', goStructType, tomlGoType(tomlType)));
}

/** Go's %T of the value BurntSushi parsed for a TOML type. */
export function tomlGoType(t: TomlType): string {
  return goTypeNames[t];
}

const goTypeNames: Record<TomlType, string> = {
  String: 'string',
  Integer: 'int64',
  Float: 'float64',
  Bool: 'bool',
  Datetime: 'time.Time',
  Array: '[]interface {}',
  Hash: 'map[string]interface {}',
  ArrayHash: '[]map[string]interface {}',
};

function decodeError(keyPath: string, line: number | undefined, message: string): string {
  if (keyPath === '') return text('toml.decode', message);
  if (line === undefined || line <= 0) return text('toml.decode-key', keyPath, message);
  return text('toml.decode-line-key', line, keyPath, message);
}

// ── quoting as Go prints it ─────────────────────────────────────────────────────────────

const EOF = 0;

/** The lexer's runeOrEOF: the rune raw in single quotes, or "end of file". */
function runeOrEOF(r: number): string {
  return r === EOF ? 'end of file' : `'${String.fromCodePoint(r)}'`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const isWhitespace = (r: number): boolean => r === 0x09 || r === 0x20;
const isNL = (r: number): boolean => r === 0x0a || r === 0x0d;
const isDigit = (r: number): boolean => r >= 0x30 && r <= 0x39;
const isHexDigit = (r: number): boolean => isDigit(r) || (r >= 0x61 && r <= 0x66) || (r >= 0x41 && r <= 0x46);
const isOctal = (r: number): boolean => r >= 0x30 && r <= 0x37;
const isBinary = (r: number): boolean => r === 0x30 || r === 0x31;
const isControl = (r: number): boolean => r !== 0x09 && r !== 0x0a && r !== 0x0d && (r <= 0x1f || r === 0x7f);
const isLetter = (r: number): boolean =>
  r < 0x80 ? (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) : /\p{L}/u.test(String.fromCodePoint(r));
function isBareKeyChar(r: number): boolean {
  return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || isDigit(r) || r === 0x5f || r === 0x2d;
}
/** Characters the lexer tests for, as UTF-16 code units. */
const enum C {
  Quote = 0x22,
  Hash = 0x23,
  Apostrophe = 0x27,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Colon = 0x3a,
  Equals = 0x3d,
  UpperE = 0x45,
  UpperU = 0x55,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  Underscore = 0x5f,
  LowerA = 0x61,
  LowerB = 0x62,
  LowerE = 0x65,
  LowerF = 0x66,
  LowerI = 0x69,
  LowerN = 0x6e,
  LowerO = 0x6f,
  LowerU = 0x75,
  LowerX = 0x78,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

/** BurntSushi's dblQuotedReplacer, used when a key part must be printed quoted. */
function quoteKeyPart(part: string): string {
  if (part === '') return '""';
  let bare = true;
  for (const c of part) if (!isBareKeyChar(c.codePointAt(0)!)) bare = false;
  if (bare) return part;
  let out = '';
  for (const c of part) {
    const r = c.codePointAt(0)!;
    switch (c) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\b': out += '\\b'; break;
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\f': out += '\\f'; break;
      case '\r': out += '\\r'; break;
      default: out += r < 0x20 || r === 0x7f ? `\\u${hex(r, 4)}` : c;
    }
  }
  return `"${out}"`;
}

// ── input ───────────────────────────────────────────────────────────────────────────────

interface Input {
  text: string;
  /** UTF-16 index → the undecodable byte Go would report there. */
  badBytes: Map<number, number>;
}

/** Go works on bytes: invalid UTF-8 is reported by its first byte, so decode keeping that byte. */
function decodeInput(src: string | Uint8Array): Input {
  if (typeof src === 'string') return { text: src, badBytes: new Map() };
  let bytes = src;
  // parse() skips UTF-16 byte order marks only; a UTF-8 BOM reaches the lexer.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) bytes = bytes.subarray(2);
  const badBytes = new Map<number, number>();
  // Valid UTF-8 (nearly every file) decodes to the same text in one native call.
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), badBytes };
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const [cp, width] = decodeRune(bytes, i);
    if (cp === RUNE_ERROR && width === 1) badBytes.set(out.length, bytes[i]!);
    out += String.fromCodePoint(cp);
    i += width;
  }
  return { text: out, badBytes };
}

/** The first UTF-8 byte of a code point, which is what Go names in "invalid UTF-8 byte". */
function firstUtf8Byte(cp: number): number {
  if (cp < 0x80) return cp;
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return 0xe0 | (cp >> 12);
  return 0xf0 | (cp >> 18);
}

// ── lexer ───────────────────────────────────────────────────────────────────────────────

const enum It {
  Error, EOF, Text, String, RawString, MultilineString, RawMultilineString, Bool, Integer, Float,
  Datetime, Array, ArrayEnd, TableStart, TableEnd, ArrayTableStart, ArrayTableEnd, KeyStart,
  KeyEnd, CommentStart, InlineTableStart, InlineTableEnd,
}

interface Item {
  typ: It;
  val: string;
  line: number;
}

type StateFn = (lx: Lexer) => StateFn | null;

class Lexer {
  start = 0;
  pos = 0;
  line = 1;
  private state: StateFn | null = lexTop;
  /** Emitted items not yet taken: items[head..tail), the slots reused once all are taken. */
  private readonly items: Item[] = [];
  private head = 0;
  private tail = 0;
  /** Up to 4 runes can be backed up: TOML has 3-rune tokens (""" and '''). */
  private readonly prevWidths = [0, 0, 0, 0];
  private nprev = 0;
  atEOF = false;
  private readonly stack: StateFn[] = [];

  constructor(readonly input: string, private readonly badBytes: Map<number, number>) {}

  nextItem(): Item {
    for (;;) {
      if (this.head < this.tail) {
        const item = this.items[this.head++]!;
        if (this.head === this.tail) this.head = this.tail = 0;
        return item;
      }
      if (!this.state) throw new Error('BUG in lexer: no state after the last item');
      this.state = this.state(this);
    }
  }

  private queue(item: Item): void {
    this.items[this.tail++] = item;
  }

  push(s: StateFn): void {
    this.stack.push(s);
  }

  pop(): StateFn | null {
    return this.stack.pop() ?? this.errorf('toml.lex.bug-pop');
  }

  current(): string {
    return this.input.slice(this.start, this.pos);
  }

  emit(typ: It): void {
    if (this.start > this.pos) {
      this.fail(text('toml.lex.utf8', hex(firstUtf8Byte(this.input.codePointAt(this.pos) ?? 0), 2)));
      return;
    }
    this.queue({ typ, val: this.current(), line: this.line });
    this.start = this.pos;
  }

  emitTrim(typ: It): void {
    this.queue({ typ, val: this.current().trim(), line: this.line });
    this.start = this.pos;
  }

  next(): number {
    if (this.atEOF) throw new Error('BUG in lexer: next called after EOF');
    const pos = this.pos;
    if (pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const c = this.input.charCodeAt(pos);
    if (c === 0x0a) this.line++;
    const pw = this.prevWidths;
    pw[3] = pw[2]!;
    pw[2] = pw[1]!;
    pw[1] = pw[0]!;
    if (this.nprev < 4) this.nprev++;
    if (c >= 0x20 && c < 0x7f) {
      pw[0] = 1;
      this.pos = pos + 1;
      return c;
    }

    const r = this.input.codePointAt(this.pos)!;
    if (r === RUNE_ERROR || (r >= 0xd800 && r < 0xe000)) {
      this.fail(text('toml.lex.utf8', hex(this.badBytes.get(this.pos) ?? 0xef, 2)));
      return RUNE_ERROR;
    }
    const bareCR = r === 0x0d && (this.pos === this.input.length - 1 || this.input.charCodeAt(this.pos + 1) !== 0x0a);
    if (isControl(r) || bareCR) {
      this.queue({ typ: It.Error, val: text('toml.lex.control', hex(r, 2)), line: this.line });
      return RUNE_ERROR;
    }
    pw[0] = r > 0xffff ? 2 : 1;
    this.pos += pw[0];
    return r;
  }

  ignore(): void {
    this.start = this.pos;
  }

  /**
   * Consumes the characters from pos up to end, all printable ASCII or tabs, leaving the state
   * that one next() call per character would: the hot states skip runs of plain characters
   * with it instead of taking one state step per character.
   */
  private consumed(end: number): void {
    const k = end - this.pos;
    if (k <= 0) return;
    this.pos = end;
    const pw = this.prevWidths;
    for (let i = Math.min(k, 4); i > 0; i--) {
      pw[3] = pw[2]!;
      pw[2] = pw[1]!;
      pw[1] = pw[0]!;
      pw[0] = 1;
    }
    this.nprev = Math.min(this.nprev + k, 4);
  }

  /** Consumes printable ASCII and tabs other than stopA and stopB (-1: none). */
  skipPlain(stopA: number, stopB: number): void {
    const input = this.input;
    let p = this.pos;
    for (; p < input.length; p++) {
      const c = input.charCodeAt(p);
      if ((c < 0x20 && c !== 0x09) || c >= 0x7f || c === stopA || c === stopB) break;
    }
    this.consumed(p);
  }

  /** Consumes bare-key characters. */
  skipBareKey(): void {
    const input = this.input;
    let p = this.pos;
    while (p < input.length && isBareKeyChar(input.charCodeAt(p))) p++;
    this.consumed(p);
  }

  backup(): void {
    if (this.atEOF) {
      this.atEOF = false;
      return;
    }
    if (this.nprev < 1) throw new Error('BUG in lexer: backed up too far');
    const pw = this.prevWidths;
    const w = pw[0]!;
    pw[0] = pw[1]!;
    pw[1] = pw[2]!;
    pw[2] = pw[3]!;
    this.nprev--;
    this.pos -= w;
    if (this.pos < this.input.length && this.input.charCodeAt(this.pos) === 0x0a) this.line--;
  }

  accept(valid: number): boolean {
    if (this.next() === valid) return true;
    this.backup();
    return false;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  /** Skips spaces and tabs. */
  skipWhitespace(): void {
    const input = this.input;
    let p = this.pos;
    for (let c = input.charCodeAt(p); c === 0x20 || c === 0x09; c = input.charCodeAt(++p));
    this.consumed(p);
    while (isWhitespace(this.next()));
    this.backup();
    this.ignore();
  }

  /** lx.error / lx.errorf: stops lexing; at end of input the error is placed on the previous line. */
  fail(message: string): null {
    this.queue({ typ: It.Error, val: message, line: this.atEOF ? this.line - 1 : this.line });
    return null;
  }

  errorf(code: TemplateCode, ...args: unknown[]): null {
    return this.fail(text(code, ...args));
  }

  /** errorPrevLine: unexpected newlines are blamed on the line they end. */
  errorPrevLine(code: TemplateCode): null {
    this.queue({ typ: It.Error, val: text(code), line: this.line - 1 });
    return null;
  }
}

const skipTo = (lx: Lexer, next: StateFn): StateFn => {
  lx.ignore();
  return next;
};

const lexTop: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return skipTo(lx, lexTop);
  switch (r) {
    case C.Hash:
      lx.push(lexTop);
      return lexCommentStart;
    case C.LBracket:
      return lexTableStart;
    case EOF:
      if (lx.pos > lx.start) return lx.errorf('toml.lex.unexpected-eof');
      lx.emit(It.EOF);
      return null;
  }
  lx.backup();
  lx.push(lexTopEnd);
  return lexKeyStart;
};

const lexTopEnd: StateFn = (lx) => {
  const r = lx.next();
  if (r === C.Hash) {
    lx.push(lexTop);
    return lexCommentStart;
  }
  if (isWhitespace(r)) return lexTopEnd;
  if (isNL(r)) {
    lx.ignore();
    return lexTop;
  }
  if (r === EOF) {
    lx.emit(It.EOF);
    return null;
  }
  return lx.errorf('toml.lex.top-end', goQuoteRune(r));
};

const lexTableStart: StateFn = (lx) => {
  if (lx.peek() === C.LBracket) {
    lx.next();
    lx.emit(It.ArrayTableStart);
    lx.push(lexArrayTableEnd);
  } else {
    lx.emit(It.TableStart);
    lx.push(lexTableEnd);
  }
  return lexTableNameStart;
};

const lexTableEnd: StateFn = (lx) => {
  lx.emit(It.TableEnd);
  return lexTopEnd;
};

const lexArrayTableEnd: StateFn = (lx) => {
  const r = lx.next();
  if (r !== C.RBracket) return lx.errorf('toml.lex.array-table-end', goQuoteRune(r));
  lx.emit(It.ArrayTableEnd);
  return lexTopEnd;
};

const lexTableNameStart: StateFn = (lx) => {
  lx.skipWhitespace();
  const r = lx.peek();
  if (r === C.RBracket || r === EOF) return lx.errorf('toml.lex.table-name-empty');
  if (r === C.Dot) return lx.errorf('toml.lex.table-name-dot');
  if (r === C.Quote || r === C.Apostrophe) {
    lx.ignore();
    lx.push(lexTableNameEnd);
    return lexQuotedName;
  }
  lx.push(lexTableNameEnd);
  return lexBareName;
};

const lexTableNameEnd: StateFn = (lx) => {
  lx.skipWhitespace();
  const r = lx.next();
  if (isWhitespace(r)) return lexTableNameEnd;
  if (r === C.Dot) {
    lx.ignore();
    return lexTableNameStart;
  }
  if (r === C.RBracket) return lx.pop();
  return lx.errorf('toml.lex.table-name-end', goQuoteRune(r));
};

const lexBareName: StateFn = (lx) => {
  lx.skipBareKey();
  if (isBareKeyChar(lx.next())) return lexBareName;
  lx.backup();
  lx.emit(It.Text);
  return lx.pop();
};

const lexQuotedName: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r)) return skipTo(lx, lexValue);
  if (r === C.Quote) {
    lx.ignore();
    return lexString;
  }
  if (r === C.Apostrophe) {
    lx.ignore();
    return lexRawString;
  }
  if (r === EOF) return lx.errorf('toml.lex.value-eof');
  return lx.errorf('toml.lex.value', goQuoteRune(r));
};

const lexKeyStart: StateFn = (lx) => {
  lx.skipWhitespace();
  const r = lx.peek();
  if (r === C.Equals || r === EOF) return lx.errorf('toml.lex.key-blank');
  if (r === C.Dot) return lx.errorf('toml.lex.key-leading-dot');
  if (r === C.Quote || r === C.Apostrophe) lx.ignore();
  lx.emit(It.KeyStart);
  return lexKeyNameStart;
};

const lexKeyNameStart: StateFn = (lx) => {
  lx.skipWhitespace();
  const r = lx.peek();
  if (r === C.Equals || r === EOF) return lx.errorf('toml.lex.key-part-eq');
  if (r === C.Dot) return lx.errorf('toml.lex.key-part-dot');
  if (r === C.Quote || r === C.Apostrophe) {
    lx.ignore();
    lx.push(lexKeyEnd);
    return lexQuotedName;
  }
  lx.push(lexKeyEnd);
  return lexBareName;
};

const lexKeyEnd: StateFn = (lx) => {
  lx.skipWhitespace();
  const r = lx.next();
  if (isWhitespace(r)) return skipTo(lx, lexKeyEnd);
  if (r === EOF) return lx.errorf('toml.lex.key-eof');
  if (r === C.Dot) {
    lx.ignore();
    return lexKeyNameStart;
  }
  if (r === C.Equals) {
    lx.emit(It.KeyEnd);
    return skipTo(lx, lexValue);
  }
  return lx.errorf('toml.lex.key-end', goQuoteRune(r));
};

const lexValue: StateFn = (lx) => {
  // Whitespace may precede a value, newlines may not (arrays skip their own).
  const r = lx.next();
  if (isWhitespace(r)) return skipTo(lx, lexValue);
  if (isDigit(r)) {
    lx.backup();
    return lexNumberOrDateStart;
  }
  switch (r) {
    case C.LBracket:
      lx.ignore();
      lx.emit(It.Array);
      return lexArrayValue;
    case C.LBrace:
      lx.ignore();
      lx.emit(It.InlineTableStart);
      return lexInlineTableValue;
    case C.Quote:
      if (lx.accept(C.Quote)) {
        if (lx.accept(C.Quote)) {
          lx.ignore();
          return lexMultilineString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexString;
    case C.Apostrophe:
      if (lx.accept(C.Apostrophe)) {
        if (lx.accept(C.Apostrophe)) {
          lx.ignore();
          return lexMultilineRawString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexRawString;
    case C.Dot:
      return lx.errorf('toml.lex.float-dot');
    case C.LowerI:
    case C.LowerN:
      if ((lx.accept(C.LowerN) && lx.accept(C.LowerF)) || (lx.accept(C.LowerA) && lx.accept(C.LowerN))) {
        lx.emit(It.Float);
        return lx.pop();
      }
      break;
    case C.Minus:
    case C.Plus:
      return lexDecimalNumberStart;
  }
  if (isLetter(r)) {
    // Word-like values (`insecure = yes`) get lexBool's error naming the word.
    lx.backup();
    return lexBool;
  }
  if (r === EOF) return lx.errorf('toml.lex.value-eof');
  return lx.errorf('toml.lex.value', goQuoteRune(r));
};

const lexArrayValue: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return skipTo(lx, lexArrayValue);
  if (r === C.Hash) {
    lx.push(lexArrayValue);
    return lexCommentStart;
  }
  if (r === C.Comma) return lx.errorf('toml.lex.unexpected-comma');
  if (r === C.RBracket) return lexArrayEnd;
  lx.backup();
  lx.push(lexArrayValueEnd);
  return lexValue;
};

const lexArrayValueEnd: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return skipTo(lx, lexArrayValueEnd);
  if (r === C.Hash) {
    lx.push(lexArrayValueEnd);
    return lexCommentStart;
  }
  if (r === C.Comma) {
    lx.ignore();
    return lexArrayValue;
  }
  if (r === C.RBracket) return lexArrayEnd;
  return lx.errorf('toml.lex.array-sep', runeOrEOF(r));
};

const lexArrayEnd: StateFn = (lx) => {
  lx.ignore();
  lx.emit(It.ArrayEnd);
  return lx.pop();
};

const lexInlineTableValue: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r)) return skipTo(lx, lexInlineTableValue);
  if (isNL(r)) return lx.errorPrevLine('toml.lex.inline-newline');
  if (r === C.Hash) {
    lx.push(lexInlineTableValue);
    return lexCommentStart;
  }
  if (r === C.Comma) return lx.errorf('toml.lex.unexpected-comma');
  if (r === C.RBrace) return lexInlineTableEnd;
  lx.backup();
  lx.push(lexInlineTableValueEnd);
  return lexKeyStart;
};

const lexInlineTableValueEnd: StateFn = (lx) => {
  const r = lx.next();
  if (isWhitespace(r)) return skipTo(lx, lexInlineTableValueEnd);
  if (isNL(r)) return lx.errorPrevLine('toml.lex.inline-newline');
  if (r === C.Hash) {
    lx.push(lexInlineTableValueEnd);
    return lexCommentStart;
  }
  if (r === C.Comma) {
    lx.ignore();
    lx.skipWhitespace();
    if (lx.peek() === C.RBrace) return lx.errorf('toml.lex.inline-trailing-comma');
    return lexInlineTableValue;
  }
  if (r === C.RBrace) return lexInlineTableEnd;
  return lx.errorf('toml.lex.inline-sep', runeOrEOF(r));
};

const lexInlineTableEnd: StateFn = (lx) => {
  lx.ignore();
  lx.emit(It.InlineTableEnd);
  return lx.pop();
};

const lexString: StateFn = (lx) => {
  lx.skipPlain(C.Quote, C.Backslash);
  const r = lx.next();
  if (r === EOF) return lx.errorf('toml.lex.string-eof');
  if (isNL(r)) return lx.errorPrevLine('toml.lex.string-newline');
  if (r === C.Backslash) {
    lx.push(lexString);
    return lexStringEscape;
  }
  if (r === C.Quote) {
    lx.backup();
    lx.emit(It.String);
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexString;
};

/** Closes a """ or ''' string; up to two extra quotes belong to the content, a sixth is an error. */
function closeMultiline(lx: Lexer, q: number, self: StateFn, typ: It, tooMany: TemplateCode, escapedSix: boolean): StateFn | null {
  if (!lx.accept(q)) return self;
  if (!lx.accept(q)) {
    lx.backup();
    return self;
  }
  if (lx.peek() === q) {
    const cur = lx.current();
    const five = String.fromCharCode(q).repeat(5);
    if (cur.endsWith(five) && !(escapedSix && cur.endsWith(`\\${five}`))) return lx.errorf(tooMany);
    lx.backup();
    lx.backup();
    return self;
  }
  lx.backup();
  lx.backup();
  lx.backup();
  lx.emit(typ);
  lx.next();
  lx.next();
  lx.next();
  lx.ignore();
  return lx.pop();
}

const lexMultilineString: StateFn = (lx) => {
  lx.skipPlain(C.Quote, C.Backslash);
  const r = lx.next();
  if (r === EOF) return lx.errorf('toml.lex.ml-string-eof');
  if (r === C.Backslash) return lexMultilineStringEscape;
  if (r === C.Quote) return closeMultiline(lx, C.Quote, lexMultilineString, It.MultilineString, 'toml.lex.ml-string-quotes', true);
  return lexMultilineString;
};

const lexRawString: StateFn = (lx) => {
  lx.skipPlain(C.Apostrophe, -1);
  const r = lx.next();
  if (r === EOF) return lx.errorf('toml.lex.raw-string-eof');
  if (isNL(r)) return lx.errorPrevLine('toml.lex.string-newline');
  if (r === C.Apostrophe) {
    lx.backup();
    lx.emit(It.RawString);
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexRawString;
};

const lexMultilineRawString: StateFn = (lx) => {
  lx.skipPlain(C.Apostrophe, -1);
  const r = lx.next();
  if (r === EOF) return lx.errorf('toml.lex.ml-raw-string-eof');
  if (r === C.Apostrophe) return closeMultiline(lx, C.Apostrophe, lexMultilineRawString, It.RawMultilineString, 'toml.lex.ml-raw-string-quotes', false);
  return lexMultilineRawString;
};

const lexMultilineStringEscape: StateFn = (lx) => {
  if (isNL(lx.next())) return lexMultilineString;
  lx.backup();
  lx.push(lexMultilineString);
  return lexStringEscape(lx);
};

const lexStringEscape: StateFn = (lx) => {
  const r = lx.next();
  // ' ' and '\t' pass here (a line-ending backslash in """ strings); the parser rejects them elsewhere.
  if ('btnfr" \t\\'.includes(String.fromCodePoint(r === EOF ? 1 : r))) return lx.pop();
  if (r === C.LowerU) return lexShortUnicodeEscape;
  if (r === C.UpperU) return lexLongUnicodeEscape;
  return lx.fail(text('toml.lex.escape', String.fromCodePoint(r)));
};

const hexEscape = (digits: number, code: TemplateCode): StateFn => (lx) => {
  for (let i = 0; i < digits; i++) {
    if (!isHexDigit(lx.next())) return lx.errorf(code, lx.current());
  }
  return lx.pop();
};
const lexShortUnicodeEscape = hexEscape(4, 'toml.lex.short-unicode');
const lexLongUnicodeEscape = hexEscape(8, 'toml.lex.long-unicode');

const lexNumberOrDateStart: StateFn = (lx) => {
  const r = lx.next();
  if (r === C.Zero) return lexBaseNumberOrDate;
  if (!isDigit(r)) return lx.errorf('toml.lex.digit', goQuoteRune(r));
  return lexNumberOrDate;
};

const lexNumberOrDate: StateFn = (lx) => {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  if (r === C.Minus || r === C.Colon) return lexDatetime;
  if (r === C.Underscore) return lexDecimalNumber;
  if (r === C.Dot || r === C.LowerE || r === C.UpperE) return lexFloat;
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
};

const lexDatetime: StateFn = (lx) => {
  const r = lx.next();
  if (isDigit(r) || '-:Tt .Zz+'.includes(String.fromCodePoint(r === EOF ? 1 : r))) return lexDatetime;
  lx.backup();
  lx.emitTrim(It.Datetime);
  return lx.pop();
};

const baseInteger = (isBaseDigit: (r: number) => boolean): StateFn => {
  const state: StateFn = (lx) => {
    const r = lx.next();
    if (isBaseDigit(r) || r === C.Underscore) return state;
    lx.backup();
    lx.emit(It.Integer);
    return lx.pop();
  };
  return state;
};
const lexHexInteger = baseInteger(isHexDigit);
const lexOctalInteger = baseInteger(isOctal);
const lexBinaryInteger = baseInteger(isBinary);

const lexDecimalNumber: StateFn = (lx) => {
  const r = lx.next();
  if (isDigit(r) || r === C.Underscore) return lexDecimalNumber;
  if (r === C.Dot || r === C.LowerE || r === C.UpperE) return lexFloat;
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
};

const lexDecimalNumberStart: StateFn = (lx) => {
  const r = lx.next();
  switch (r) {
    case C.LowerI:
      if (!lx.accept(C.LowerN) || !lx.accept(C.LowerF)) return lx.errorf('toml.lex.float', lx.current());
      lx.emit(It.Float);
      return lx.pop();
    case C.LowerN:
      if (!lx.accept(C.LowerA) || !lx.accept(C.LowerN)) return lx.errorf('toml.lex.float', lx.current());
      lx.emit(It.Float);
      return lx.pop();
    case C.Zero: {
      const p = lx.peek();
      if (p === C.LowerB || p === C.LowerO || p === C.LowerX) return lx.errorf('toml.lex.signed-base', lx.current(), String.fromCodePoint(p));
      break;
    }
    case C.Dot:
      return lx.errorf('toml.lex.float-dot');
  }
  if (isDigit(r)) return lexDecimalNumber;
  return lx.errorf('toml.lex.digit', goQuoteRune(r));
};

const lexBaseNumberOrDate: StateFn = (lx) => {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  switch (r) {
    case C.Underscore:
      return lexDecimalNumber;
    case C.Dot:
    case C.LowerE:
    case C.UpperE:
      return lexFloat;
    // BurntSushi records these errors but keeps lexing: the error item is queued first and wins.
    case C.LowerB: {
      const p = lx.peek();
      if (!isBinary(p)) lx.errorf('toml.lex.binary', lx.current(), String.fromCodePoint(p));
      return lexBinaryInteger;
    }
    case C.LowerO: {
      const p = lx.peek();
      if (!isOctal(p)) lx.errorf('toml.lex.octal', lx.current(), String.fromCodePoint(p));
      return lexOctalInteger;
    }
    case C.LowerX: {
      const p = lx.peek();
      if (!isHexDigit(p)) lx.errorf('toml.lex.hex', lx.current(), String.fromCodePoint(p));
      return lexHexInteger;
    }
  }
  lx.backup();
  lx.emit(It.Integer);
  return lx.pop();
};

const lexFloat: StateFn = (lx) => {
  const r = lx.next();
  if (isDigit(r) || '_.-+eE'.includes(String.fromCodePoint(r === EOF ? 1 : r))) return lexFloat;
  lx.backup();
  lx.emit(It.Float);
  return lx.pop();
};

const lexBool: StateFn = (lx) => {
  let word = '';
  for (;;) {
    const r = lx.next();
    if (!isLetter(r)) {
      lx.backup();
      break;
    }
    word += String.fromCodePoint(r);
  }
  if (word === 'true' || word === 'false') {
    lx.emit(It.Bool);
    return lx.pop();
  }
  return lx.errorf('toml.lex.value-word', word);
};

const lexCommentStart: StateFn = (lx) => {
  lx.ignore();
  lx.emit(It.CommentStart);
  return lexComment;
};

const lexComment: StateFn = (lx) => {
  lx.skipPlain(-1, -1);
  const r = lx.next();
  if (isNL(r) || r === EOF) {
    lx.backup();
    lx.emit(It.Text);
    return lx.pop();
  }
  return lexComment;
};

// ── parser ──────────────────────────────────────────────────────────────────────────────

class ParseFailure {
  constructor(readonly line: number, readonly lastKey: string, readonly message: string) {}
}

type Key = string[];

const hasOwn = (t: object, k: string): boolean => Object.prototype.hasOwnProperty.call(t, k);
/** Assigns without letting a "__proto__" key reach the prototype. */
function put(t: TomlTable, k: string, v: TomlValue): void {
  if (k === '__proto__') Object.defineProperty(t, k, { value: v, enumerable: true, writable: true, configurable: true });
  else t[k] = v;
}
/** A TOML table (Go's map[string]interface {}), as opposed to an array, a datetime or a scalar. */
export const isTable = (v: TomlValue | undefined): v is TomlTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * One key path's bookkeeping: BurntSushi's keyInfo entry (line and type of its last definition)
 * and whether it is an implicit table. Paths are found by walking their parts, so no key string
 * is built unless an error text (or a reader of keyLines/keyTypes) needs one.
 */
class KeyNode {
  private children: Map<string, KeyNode> | undefined;
  /** Undefined while the path has no keyInfo entry (an implicit table, or not defined yet). */
  type: TomlType | undefined;
  line = 0;
  implicit = false;

  constructor(private readonly parent: KeyNode | undefined, private readonly part: string) {}

  child(part: string): KeyNode {
    let node = this.children?.get(part);
    if (node === undefined) {
      node = new KeyNode(this, part);
      (this.children ??= new Map()).set(part, node);
    }
    return node;
  }

  descendant(parts: readonly string[]): KeyNode {
    let node: KeyNode = this;
    for (const part of parts) node = node.child(part);
    return node;
  }

  /** tomlKey of the path. */
  key(): string {
    const parts: string[] = [];
    for (let node: KeyNode = this; node.parent !== undefined; node = node.parent) parts.push(node.part);
    return tomlKey(parts.reverse());
  }
}

/** A parse result whose key maps are built from the key tree on first use: valid files never need them. */
class ParsedDocument implements TomlDocument {
  private lines: Map<string, number> | undefined;
  private types: Map<string, TomlType> | undefined;

  constructor(
    readonly table: TomlTable,
    /** Paths in the order they were first defined (keyInfo's order). */
    private readonly defined: readonly KeyNode[],
    readonly elementTypes: WeakMap<TomlValue[], TomlType[]>,
  ) {}

  get keyLines(): ReadonlyMap<string, number> {
    return (this.lines ??= new Map(this.defined.map((node) => [node.key(), node.line])));
  }

  get keyTypes(): ReadonlyMap<string, TomlType> {
    return (this.types ??= new Map(this.defined.map((node) => [node.key(), node.type!])));
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class Parser {
  private readonly lx: Lexer;
  private readonly src: Input;
  /** Full key of the table in scope. */
  private context: Key = [];
  /** Key being assigned (last part of a dotted key); empty between key/value pairs. */
  private currentKey = '';
  /** Line of the last key or table name read; Go's p.pos, used for table/key errors. */
  private posLine = 0;
  private readonly mapping: TomlTable = {};
  /** Root of the key tree: keyInfo and the implicit-table set, by path. */
  private readonly keys = new KeyNode(undefined, '');
  private readonly defined: KeyNode[] = [];
  /** The key tree node of `context`, found again only when context is replaced. */
  private contextNode: KeyNode = this.keys;
  private contextNodeOf: Key = this.context;
  /** TOML type of the value the last value() call returned. */
  private valueType: TomlType = 'String';
  /** Arrays built by [[name]] (Go's []map[string]interface{}), as opposed to value arrays. */
  private readonly tableArrays = new WeakSet<TomlValue[]>();
  private readonly elementTypes = new WeakMap<TomlValue[], TomlType[]>();

  constructor(src: string | Uint8Array) {
    this.src = decodeInput(src);
    this.checkNullBytes(src);
    this.lx = new Lexer(this.src.text, this.src.badBytes);
  }

  run(): TomlDocument {
    for (let item = this.next(); item.typ !== It.EOF; item = this.next()) this.topLevel(item);
    return new ParsedDocument(this.mapping, this.defined, this.elementTypes);
  }

  /** The key tree node of the table in scope. */
  private scope(): KeyNode {
    if (this.contextNodeOf !== this.context) {
      this.contextNode = this.keys.descendant(this.context);
      this.contextNodeOf = this.context;
    }
    return this.contextNode;
  }

  /** A NUL among the first 6 bytes most likely means UTF-16. */
  private checkNullBytes(src: string | Uint8Array): void {
    const head = typeof src === 'string' ? new TextEncoder().encode(src.slice(0, 6)) : src;
    let bytes = head;
    if (typeof src !== 'string' && ((src[0] === 0xff && src[1] === 0xfe) || (src[0] === 0xfe && src[1] === 0xff))) bytes = src.subarray(2);
    if (bytes.subarray(0, 6).includes(0)) throw new ParseFailure(1, '', text('toml.parse.null-bytes'));
  }

  private failAt(line: number, code: TemplateCode, ...args: unknown[]): never {
    throw new ParseFailure(line, this.current(), text(code, ...args));
  }

  /** Go's panicf: at the last key or table name read. */
  private failf(code: TemplateCode, ...args: unknown[]): never {
    return this.failAt(this.posLine, code, ...args);
  }

  private next(): Item {
    const it = this.lx.nextItem();
    if (it.typ === It.Error) throw new ParseFailure(it.line, this.current(), it.val);
    return it;
  }

  private nextPos(): Item {
    const it = this.next();
    this.posLine = it.line;
    return it;
  }

  private expect(typ: It): Item {
    const it = this.next();
    if (it.typ !== typ) throw new Error(`BUG: expected item ${typ} but got ${it.typ}`);
    return it;
  }

  /** The "last key" BurntSushi reports: the table in scope plus the key being assigned. */
  private current(): string {
    if (this.currentKey === '') return tomlKey(this.context);
    if (this.context.length === 0) return this.currentKey;
    return `${tomlKey(this.context)}.${this.currentKey}`;
  }

  private readKey(first: Item, end: It): Key {
    const key: Key = [];
    let it = first;
    for (; it.typ !== end && it.typ !== It.EOF; it = this.next()) key.push(this.keyString(it));
    if (it.typ !== end) throw new Error('BUG: key not terminated');
    return key;
  }

  private topLevel(item: Item): void {
    switch (item.typ) {
      case It.CommentStart:
        this.expect(It.Text);
        return;
      case It.TableStart:
      case It.ArrayTableStart: {
        const array = item.typ === It.ArrayTableStart;
        const key = this.readKey(this.nextPos(), array ? It.ArrayTableEnd : It.TableEnd);
        this.addContext(key, array);
        this.setType('', array ? 'ArrayHash' : 'Hash', item.line);
        return;
      }
      case It.KeyStart: {
        const outerContext = this.context;
        const key = this.readKey(this.nextPos(), It.KeyEnd);
        this.currentKey = key[key.length - 1]!;
        for (let i = 0; i < key.length - 1; i++) this.addImplicitContext([...this.context, key[i]!]);
        const vItem = this.next();
        const val = this.value(vItem, false);
        this.set(this.currentKey, val, this.valueType, vItem.line);
        this.context = outerContext;
        this.currentKey = '';
        return;
      }
      default:
        throw new Error(`BUG: unexpected item ${item.typ} at top level`);
    }
  }

  private keyString(it: Item): string {
    if (it.typ === It.Text) return it.val;
    return this.value(it, false) as string;
  }

  /** The item's value; its TOML type is left in valueType. */
  private value(it: Item, parentIsArray: boolean): TomlValue {
    switch (it.typ) {
      case It.String:
        return this.typed(this.replaceEscapes(it, it.val), 'String');
      case It.MultilineString:
        return this.typed(this.replaceEscapes(it, stripFirstNewline(this.stripEscapedNewlines(it.val))), 'String');
      case It.RawString:
        return this.typed(it.val, 'String');
      case It.RawMultilineString:
        return this.typed(stripFirstNewline(it.val), 'String');
      case It.Integer:
        return this.typed(this.valueInteger(it), 'Integer');
      case It.Float:
        return this.typed(this.valueFloat(it), 'Float');
      case It.Bool:
        return this.typed(it.val === 'true', 'Bool');
      case It.Datetime:
        return this.typed(this.valueDatetime(it), 'Datetime');
      case It.Array:
        return this.typed(this.valueArray(it), 'Array');
      case It.InlineTableStart:
        return this.typed(this.valueInlineTable(parentIsArray), 'Hash');
      default:
        throw new Error(`BUG: unexpected value item ${it.typ}`);
    }
  }

  /** Records a value's type once it (and any nested value) is parsed. */
  private typed(v: TomlValue, t: TomlType): TomlValue {
    this.valueType = t;
    return v;
  }

  private valueInteger(it: Item): number {
    if (!numUnderscoresOK(it.val)) this.failAt(it.line, 'toml.parse.int-underscore', it.val);
    if (numHasLeadingZero(it.val)) this.failAt(it.line, 'toml.parse.int-leading-zero', it.val);
    const n = parseGoInt(it.val);
    if (n < INT64_MIN || n > INT64_MAX) this.failAt(it.line, 'toml.parse.range', it.val, 'int64');
    return Number(n);
  }

  private valueFloat(it: Item): number {
    const parts = it.val.split(/[.eE]/).filter((p) => p !== '');
    for (const part of parts) {
      if (!numUnderscoresOK(part)) this.failAt(it.line, 'toml.parse.float-underscore', it.val);
    }
    if (parts.length > 0 && numHasLeadingZero(parts[0]!)) this.failAt(it.line, 'toml.parse.float-leading-zero', it.val);
    if (!numPeriodsOK(it.val)) this.failAt(it.line, 'toml.parse.float-period', it.val);
    let val = it.val.replaceAll('_', '');
    if (val === '+nan' || val === '-nan') val = 'nan';
    if (/^[+-]?(inf|infinity)$/i.test(val)) return val.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(val)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(val)) this.failAt(it.line, 'toml.parse.float', it.val);
    const n = Number(val);
    if (!Number.isFinite(n)) this.failAt(it.line, 'toml.parse.range', it.val, 'float64');
    return n;
  }

  private valueDatetime(it: Item): Date {
    const val = it.val.replace(/[zt ]/g, (c) => (c === 'z' ? 'Z' : 'T'));
    const d = parseGoDatetime(val);
    if (!d) this.failAt(it.line, 'toml.parse.datetime', val);
    return d;
  }

  private valueArray(it: Item): TomlValue[] {
    this.setType(this.currentKey, 'Array', it.line);
    const array: TomlValue[] = [];
    const types: TomlType[] = [];
    for (let el = this.next(); el.typ !== It.ArrayEnd; el = this.next()) {
      if (el.typ === It.CommentStart) {
        this.expect(It.Text);
        continue;
      }
      array.push(this.value(el, true));
      types.push(this.valueType);
    }
    this.elementTypes.set(array, types);
    return array;
  }

  private valueInlineTable(parentIsArray: boolean): TomlTable {
    const hash: TomlTable = {};
    const outerContext = this.context;
    const outerKey = this.currentKey;
    this.context = [...this.context, this.currentKey];
    const prevContext = this.context;
    this.currentKey = '';
    this.addImplicit(this.context);
    this.addContext(this.context, parentIsArray);

    for (let it = this.next(); it.typ !== It.InlineTableEnd; it = this.next()) {
      if (it.typ === It.CommentStart) {
        this.expect(It.Text);
        continue;
      }
      const key = this.readKey(this.nextPos(), It.KeyEnd);
      this.currentKey = key[key.length - 1]!;
      for (let i = 0; i < key.length - 1; i++) this.addImplicitContext([...this.context, key[i]!]);
      const val = this.value(this.next(), false);
      this.set(this.currentKey, val, this.valueType, it.line);
      put(hash, this.currentKey, val);
      this.context = prevContext;
    }
    this.context = outerContext;
    this.currentKey = outerKey;
    return hash;
  }

  /** Makes key the table in scope, creating implicit parents; array: append a table to [[key]]. */
  private addContext(key: Key, array: boolean): void {
    let hashContext: TomlTable = this.mapping;
    const keyContext: Key = [];
    for (let i = 0; i < key.length - 1; i++) {
      const k = key[i]!;
      keyContext.push(k);
      if (!hasOwn(hashContext, k)) {
        this.addImplicit(keyContext);
        put(hashContext, k, {});
      }
      const t = hashContext[k];
      if (Array.isArray(t) && this.tableArrays.has(t)) hashContext = t[t.length - 1] as TomlTable;
      else if (isTable(t)) hashContext = t;
      else this.failf('toml.parse.already-hash', tomlKey(keyContext));
    }
    this.context = keyContext;
    const last = key[key.length - 1]!;
    if (array) {
      if (!hasOwn(hashContext, last)) {
        const fresh: TomlValue[] = [];
        this.tableArrays.add(fresh);
        put(hashContext, last, fresh);
      }
      const existing = hashContext[last];
      if (Array.isArray(existing) && this.tableArrays.has(existing)) existing.push({});
      else this.failf('toml.parse.not-array', tomlKey(key));
    } else {
      this.setValue(last, {});
    }
    this.context = [...this.context, last];
  }

  private set(key: string, val: TomlValue, typ: TomlType, line: number): void {
    this.setValue(key, val);
    this.setType(key, typ, line);
  }

  private setValue(key: string, value: TomlValue): void {
    let hash: TomlTable = this.mapping;
    const context = this.context;
    for (let i = 0; i < context.length; i++) {
      const k = context[i]!;
      if (!hasOwn(hash, k)) throw new Error(`BUG: context for key '${tomlKey(context.slice(0, i + 1))}' has not been established`);
      const t = hash[k];
      if (Array.isArray(t) && this.tableArrays.has(t)) hash = t[t.length - 1] as TomlTable;
      else if (isTable(t)) hash = t;
      else this.failf('toml.parse.already-defined', tomlKey(context.slice(0, i + 1)));
    }
    if (hasOwn(hash, key)) {
      // An implicit table may be defined once concretely; an array key may be redefined (a BurntSushi 1.2.0 leniency).
      const node = this.scope().child(key);
      if (node.type === 'Array') {
        node.implicit = false;
        put(hash, key, value);
        return;
      }
      if (node.implicit) {
        node.implicit = false;
        return;
      }
      this.failf('toml.parse.already-defined', tomlKey([...context, key]));
    }
    put(hash, key, value);
  }

  /** Records a key's type and line; an empty key names the table in scope (as Go does, even for `"" = 1`). */
  private setType(key: string, typ: TomlType, line: number): void {
    // The empty path prints as `""`, the same key as the path [""].
    const node = key.length > 0 ? this.scope().child(key) : this.context.length > 0 ? this.scope() : this.keys.child('');
    if (node.type === undefined) this.defined.push(node);
    node.type = typ;
    node.line = line;
  }

  private addImplicit(key: Key): void {
    this.keys.descendant(key).implicit = true;
  }

  private addImplicitContext(key: Key): void {
    this.addImplicit(key);
    this.addContext(key, false);
  }

  /** Joins lines ended by a backslash in """ strings, trimming the next line's leading space. */
  private stripEscapedNewlines(s: string): string {
    const split = s.split('\n');
    let escNL = false;
    for (let i = 0; i < split.length; i++) {
      let line = split[i]!.replace(/[ \t\r]+$/, '');
      if (line.length === 0 || !line.endsWith('\\')) {
        split[i] = split[i]!.replace(/\r+$/, '');
        if (!escNL && i !== split.length - 1) split[i] += '\n';
        continue;
      }
      let escBS = true;
      for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) escBS = !escBS;
      if (escNL) line = line.replace(/^[ \t\r]+/, '');
      escNL = !escBS;
      if (escBS) {
        split[i] += '\n';
        continue;
      }
      if (i === split.length - 1) this.failf('toml.parse.escape-space', ' ');
      split[i] = line.slice(0, -1);
      if (split.length - 1 > i) split[i + 1] = split[i + 1]!.replace(/^[ \t\r]+/, '');
    }
    return split.join('');
  }

  private replaceEscapes(it: Item, str: string): string {
    let r = str.indexOf('\\');
    if (r === -1) return str;
    let out = '';
    let from = 0;
    for (; r !== -1; r = str.indexOf('\\', from)) {
      out += str.slice(from, r);
      const e = str[r + 1];
      from = r + 2;
      switch (e) {
        case ' ':
        case '\t':
          return this.failAt(it.line, 'toml.parse.escape-space', e);
        case 'b': out += '\b'; break;
        case 't': out += '\t'; break;
        case 'n': out += '\n'; break;
        case 'f': out += '\f'; break;
        case 'r': out += '\r'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'u':
        case 'U': {
          const digits = str.slice(from, from + (e === 'u' ? 4 : 8));
          const cp = parseInt(digits, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) this.failAt(it.line, 'toml.parse.escape-utf8', digits);
          out += String.fromCodePoint(cp);
          from += digits.length;
          break;
        }
        default:
          throw new Error(`BUG: unexpected escape \\${e}`);
      }
    }
    return out + str.slice(from);
  }
}

function stripFirstNewline(s: string): string {
  if (s.startsWith('\n')) return s.slice(1);
  if (s.startsWith('\r\n')) return s.slice(2);
  return s;
}

function numHasLeadingZero(s: string): boolean {
  if (s.length > 1 && s[0] === '0' && !'box'.includes(s[1]!)) return true;
  return s.length > 2 && (s[0] === '-' || s[0] === '+') && s[1] === '0';
}

/** Each underscore must sit between characters that are not underscores (hex digits, as BurntSushi checks). */
function numUnderscoresOK(s: string): boolean {
  if (['nan', '+nan', '-nan', 'inf', '-inf', '+inf'].includes(s)) return true;
  let accept = false;
  for (const c of s) {
    if (c === '_' && !accept) return false;
    accept = isHexDigit(c.codePointAt(0)!);
  }
  return accept;
}

function numPeriodsOK(s: string): boolean {
  let period = false;
  for (const c of s) {
    if (period && !isDigit(c.codePointAt(0)!)) return false;
    period = c === '.';
  }
  return !period;
}

/** strconv.ParseInt(s, 0, 64) after the lexer's and the checks above: sign, 0x/0o/0b prefix, underscores. */
function parseGoInt(s: string): bigint {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '').replaceAll('_', '');
  const n = BigInt(body);
  return neg ? -n : n;
}

// Go's time.ParseInLocation with BurntSushi's four layouts, after z→Z, t→T, ' '→T.
const datetimeLayouts: { re: RegExp; date: boolean; time: boolean; zone: boolean }[] = [
  { re: /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/, date: true, time: true, zone: true },
  { re: /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/, date: true, time: true, zone: false },
  { re: /^(\d{4})-(\d{2})-(\d{2})$/, date: true, time: false, zone: false },
  { re: /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/, date: false, time: true, zone: false },
];

/**
 * Offset datetimes become that instant; local datetimes, dates and times (which BurntSushi
 * places in the machine's zone) are taken as UTC wall-clock, a local time on 0000-01-01.
 */
function parseGoDatetime(val: string): Date | undefined {
  for (const layout of datetimeLayouts) {
    const m = layout.re.exec(val);
    if (!m) continue;
    const g = m.slice(1);
    const [year, month, day] = layout.date ? g.splice(0, 3).map(Number) : [0, 1, 1];
    const [hour, min, sec] = layout.time ? g.splice(0, 3).map(Number) : [0, 0, 0];
    const frac = layout.time ? g.shift() : undefined;
    const zone = (layout.zone ? g.shift() : undefined) ?? 'Z';
    if (month! < 1 || month! > 12 || hour! >= 24 || min! >= 60 || sec! >= 60) continue;
    const daysIn = [31, isLeap(year!) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1]!;
    if (day! < 1 || day! > daysIn) continue;
    const ms = frac ? Number(`0.${frac.slice(0, 9)}`) * 1000 : 0;
    const d = new Date(Date.UTC(2000, month! - 1, day!, hour!, min!, sec!, ms));
    d.setUTCFullYear(year!);
    if (zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      d.setTime(d.getTime() - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000);
    }
    return d;
  }
  return undefined;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}
