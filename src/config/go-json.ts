/**
 * JSON as Go 1.19's encoding/json reads it (policy.json, auth.json, kubelet credential files).
 *
 * json.Unmarshal first runs its byte-level scanner over the whole input (checkValid) and only
 * then decodes, so a syntax error always wins over any type error. We do the same: `scan`
 * replays the scanner's state machine byte by byte to produce Go's exact SyntaxError text,
 * then `build` reads the now known-good bytes into values.
 *
 * Decoding into Go structs is the consumer's job; two Go rules they must honour:
 * - object keys match struct fields case-insensitively (exact match preferred), and an
 *   unknown key is silently ignored (unless the type has its own UnmarshalJSON, as
 *   containers/image's policy types do);
 * - a repeated key: the last value wins (it is decoded over the earlier one).
 * Type mismatches do not stop decoding: Go keeps the first UnmarshalTypeError in document
 * order and reports it at the end; use `unmarshalTypeError` for its text.
 */

import { goQuote, text } from '../errors/index.js';
import { decodeRune } from './go-utf8.js';

export class GoJsonSyntaxError extends Error {
  /** Go's SyntaxError.Offset: bytes read when the error was found. */
  constructor(message: string, readonly offset = 0) {
    super(message);
    this.name = 'GoJsonSyntaxError';
  }
}

/**
 * A JSON document keeping every object member, repeated keys included, in document order.
 * containers/image's paranoid object parser walks the token stream and rejects a repeated key,
 * which a plain object or a Map would silently collapse.
 */
export type JsonNode =
  | { kind: 'object'; members: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; literal: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** Parses JSON like Go's encoding/json; a syntax error throws GoJsonSyntaxError with Go's exact text. */
export function parseGoJson(src: string | Uint8Array): unknown {
  return build(src, plainShape);
}

/** Like parseGoJson, but as a JsonNode tree: every member kept, numbers as literals. */
export function parseGoJsonTree(src: string | Uint8Array): JsonNode {
  return build(src, treeShape);
}

/** The JSON kinds Go names in UnmarshalTypeError ("number 1.5" for out-of-range/fractional numbers into integers). */
export type GoJsonKind = 'string' | 'number' | 'bool' | 'array' | 'object' | 'null' | `number ${string}`;

/**
 * Go 1.19's UnmarshalTypeError text. `structName` is the innermost struct's bare type name
 * (no package, e.g. `dockerAuthConfig`); `fieldPath` is the JSON names of the struct fields
 * from the root joined with "." (map keys are not part of it, e.g. `auths.auth`). With
 * neither, Go prints the "Go value" form. `goType` is reflect.Type.String(): `bool`,
 * `string`, `[]string`, `map[string]config.dockerAuthConfig`, `signature.Policy`…
 */
export function unmarshalTypeError(value: GoJsonKind, goType: string, structName = '', fieldPath = ''): string {
  if (structName !== '' || fieldPath !== '') return text('json.unmarshal-field', value, structName, fieldPath, goType);
  return text('json.unmarshal-value', value, goType);
}

/** The kind Go reports for a value from parseGoJson. */
export function goJsonKind(value: unknown): GoJsonKind {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

function build<T>(src: string | Uint8Array, shape: Shape<T>): T {
  const data = typeof src === 'string' ? new TextEncoder().encode(src) : src;
  scan(data);
  return new Builder(data, shape).value();
}

// ── scanner: Go's checkValid, state for state ───────────────────────────────────────────

const enum St {
  BeginValue, BeginValueOrEmpty, BeginStringOrEmpty, BeginString, EndValue, EndTop,
  InString, InStringEsc, InStringEscU, InStringEscU1, InStringEscU12, InStringEscU123,
  Neg, One, Zero, Dot, Dot0, E, ESign, E0,
  T, Tr, Tru, F, Fa, Fal, Fals, N, Nu, Nul,
}

const enum Ps { ObjectKey, ObjectValue, ArrayValue }

/** Go caps nesting to keep its recursive decoder off the stack limit. */
const maxNestingDepth = 10000;

const literalSteps: Partial<Record<St, [number, St, string]>> = {
  [St.T]: [0x72, St.Tr, "in literal true (expecting 'r')"],
  [St.Tr]: [0x75, St.Tru, "in literal true (expecting 'u')"],
  [St.Tru]: [0x65, St.EndValue, "in literal true (expecting 'e')"],
  [St.F]: [0x61, St.Fa, "in literal false (expecting 'a')"],
  [St.Fa]: [0x6c, St.Fal, "in literal false (expecting 'l')"],
  [St.Fal]: [0x73, St.Fals, "in literal false (expecting 's')"],
  [St.Fals]: [0x65, St.EndValue, "in literal false (expecting 'e')"],
  [St.N]: [0x75, St.Nu, "in literal null (expecting 'u')"],
  [St.Nu]: [0x6c, St.Nul, "in literal null (expecting 'l')"],
  [St.Nul]: [0x6c, St.EndValue, "in literal null (expecting 'l')"],
};

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class SyntaxFound {
  constructor(readonly error: GoJsonSyntaxError) {}
}

function scan(data: Uint8Array): void {
  let st = St.BeginValue;
  let endTop = false;
  const stack: Ps[] = [];
  let bytes = 0;

  const fail = (c: number, context: string): never => {
    throw new SyntaxFound(new GoJsonSyntaxError(text('json.syntax-char', quoteChar(c), context), bytes));
  };
  const push = (c: number, ps: Ps): void => {
    stack.push(ps);
    if (stack.length > maxNestingDepth) fail(c, 'exceeded max depth');
  };
  // stateEndTop records its error but returns scanEnd; Go reports it on the next byte or at EOF.
  let pendingTopError: GoJsonSyntaxError | undefined;

  const endValue = (c: number): void => {
    const n = stack.length;
    if (n === 0) {
      st = St.EndTop;
      endTop = true;
      endTopStep(c);
      return;
    }
    if (isSpace(c)) {
      st = St.EndValue;
      return;
    }
    switch (stack[n - 1]) {
      case Ps.ObjectKey:
        if (c === 0x3a) { stack[n - 1] = Ps.ObjectValue; st = St.BeginValue; return; }
        return fail(c, 'after object key');
      case Ps.ObjectValue:
        if (c === 0x2c) { stack[n - 1] = Ps.ObjectKey; st = St.BeginString; return; }
        if (c === 0x7d) { pop(); return; }
        return fail(c, 'after object key:value pair');
      case Ps.ArrayValue:
        if (c === 0x2c) { st = St.BeginValue; return; }
        if (c === 0x5d) { pop(); return; }
        return fail(c, 'after array element');
    }
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      st = St.EndTop;
      endTop = true;
    } else {
      st = St.EndValue;
    }
  };
  const endTopStep = (c: number): void => {
    if (!isSpace(c) && !pendingTopError) {
      pendingTopError = new GoJsonSyntaxError(text('json.syntax-char', quoteChar(c), 'after top-level value'), bytes);
    }
  };
  const beginValue = (c: number): void => {
    if (isSpace(c)) return;
    switch (c) {
      case 0x7b: st = St.BeginStringOrEmpty; return push(c, Ps.ObjectKey);
      case 0x5b: st = St.BeginValueOrEmpty; return push(c, Ps.ArrayValue);
      case 0x22: st = St.InString; return;
      case 0x2d: st = St.Neg; return;
      case 0x30: st = St.Zero; return;
      case 0x74: st = St.T; return;
      case 0x66: st = St.F; return;
      case 0x6e: st = St.N; return;
    }
    if (c >= 0x31 && c <= 0x39) { st = St.One; return; }
    fail(c, 'looking for beginning of value');
  };
  const beginString = (c: number): void => {
    if (isSpace(c)) return;
    if (c === 0x22) { st = St.InString; return; }
    fail(c, 'looking for beginning of object key string');
  };
  const zero = (c: number): void => {
    if (c === 0x2e) { st = St.Dot; return; }
    if (c === 0x65 || c === 0x45) { st = St.E; return; }
    endValue(c);
  };
  const eSign = (c: number): void => {
    if (isDigit(c)) { st = St.E0; return; }
    fail(c, 'in exponent of numeric literal');
  };

  const step = (c: number): void => {
    if (pendingTopError) throw new SyntaxFound(pendingTopError);
    const lit = literalSteps[st];
    if (lit) {
      if (c === lit[0]) { st = lit[1]; return; }
      return fail(c, lit[2]);
    }
    switch (st) {
      case St.BeginValue: return beginValue(c);
      case St.BeginValueOrEmpty:
        if (isSpace(c)) return;
        if (c === 0x5d) return endValue(c);
        return beginValue(c);
      case St.BeginStringOrEmpty:
        if (isSpace(c)) return;
        if (c === 0x7d) { stack[stack.length - 1] = Ps.ObjectValue; return endValue(c); }
        return beginString(c);
      case St.BeginString: return beginString(c);
      case St.EndValue: return endValue(c);
      case St.EndTop: return endTopStep(c);
      case St.InString:
        if (c === 0x22) { st = St.EndValue; return; }
        if (c === 0x5c) { st = St.InStringEsc; return; }
        if (c < 0x20) return fail(c, 'in string literal');
        return;
      case St.InStringEsc:
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) { st = St.InString; return; }
        if (c === 0x75) { st = St.InStringEscU; return; }
        return fail(c, 'in string escape code');
      case St.InStringEscU:
      case St.InStringEscU1:
      case St.InStringEscU12:
      case St.InStringEscU123:
        if (isHex(c)) { st = st === St.InStringEscU123 ? St.InString : st + 1; return; }
        return fail(c, 'in \\u hexadecimal character escape');
      case St.Neg:
        if (c === 0x30) { st = St.Zero; return; }
        if (c >= 0x31 && c <= 0x39) { st = St.One; return; }
        return fail(c, 'in numeric literal');
      case St.One:
        if (isDigit(c)) return;
        return zero(c);
      case St.Zero: return zero(c);
      case St.Dot:
        if (isDigit(c)) { st = St.Dot0; return; }
        return fail(c, 'after decimal point in numeric literal');
      case St.Dot0:
        if (isDigit(c)) return;
        if (c === 0x65 || c === 0x45) { st = St.E; return; }
        return endValue(c);
      case St.E:
        if (c === 0x2b || c === 0x2d) { st = St.ESign; return; }
        return eSign(c);
      case St.ESign: return eSign(c);
      case St.E0:
        if (isDigit(c)) return;
        return endValue(c);
    }
  };

  try {
    for (const c of data) {
      bytes++;
      step(c);
    }
    // scanner.eof(): feed a space to finish a trailing number, then demand a complete value.
    if (pendingTopError) throw new SyntaxFound(pendingTopError);
    if (endTop) return;
    step(0x20);
    if (endTop && !pendingTopError) return;
    throw new SyntaxFound(new GoJsonSyntaxError(text('json.syntax-eof'), bytes));
  } catch (e) {
    if (e instanceof SyntaxFound) throw e.error;
    throw e;
  }
}

/** Go's quoteChar: the byte (not rune) in single quotes, escaped like strconv.Quote of string(rune(byte)). */
export function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

// ── builder: reads input the scanner has already accepted ───────────────────────────────

/** What the builder makes of each JSON value: one builder (and one scanner) for every result shape. */
interface Shape<T> {
  object(members: [string, T][]): T;
  array(items: T[]): T;
  string(value: string): T;
  number(literal: string): T;
  bool(value: boolean): T;
  null(): T;
}

const plainShape: Shape<unknown> = {
  object(members) {
    // A repeated key is decoded again over the first (last wins); "__proto__" stays data.
    const obj: Record<string, unknown> = {};
    for (const [k, v] of members) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
    return obj;
  },
  array: (items) => items,
  string: (value) => value,
  number: (literal) => Number(literal),
  bool: (value) => value,
  null: () => null,
};

const treeShape: Shape<JsonNode> = {
  object: (members) => ({ kind: 'object', members }),
  array: (items) => ({ kind: 'array', items }),
  string: (value) => ({ kind: 'string', value }),
  number: (literal) => ({ kind: 'number', literal }),
  bool: (value) => ({ kind: 'bool', value }),
  null: () => ({ kind: 'null' }),
};

class Builder<T> {
  private i = 0;

  constructor(private readonly d: Uint8Array, private readonly shape: Shape<T>) {}

  private ws(): void {
    while (this.i < this.d.length && isSpace(this.d[this.i]!)) this.i++;
  }

  value(): T {
    this.ws();
    const c = this.d[this.i]!;
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.shape.string(this.string());
      case 0x74: this.i += 4; return this.shape.bool(true);
      case 0x66: this.i += 5; return this.shape.bool(false);
      case 0x6e: this.i += 4; return this.shape.null();
    }
    return this.number();
  }

  private object(): T {
    this.i++;
    const members: [string, T][] = [];
    this.ws();
    if (this.d[this.i] === 0x7d) {
      this.i++;
      return this.shape.object(members);
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.i++; // ':'
      members.push([key, this.value()]);
      this.ws();
      if (this.d[this.i++] === 0x7d) return this.shape.object(members);
    }
  }

  private array(): T {
    this.i++;
    const items: T[] = [];
    this.ws();
    if (this.d[this.i] === 0x5d) {
      this.i++;
      return this.shape.array(items);
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      if (this.d[this.i++] === 0x5d) return this.shape.array(items);
    }
  }

  private number(): T {
    const start = this.i;
    while (this.i < this.d.length && /[-+.eE0-9]/.test(String.fromCharCode(this.d[this.i]!))) this.i++;
    return this.shape.number(String.fromCharCode(...this.d.subarray(start, this.i)));
  }

  /** Go's unquote: invalid UTF-8 bytes and unpaired surrogate escapes each become U+FFFD. */
  private string(): string {
    const d = this.d;
    this.i++;
    let out = '';
    for (;;) {
      const c = d[this.i]!;
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c === 0x5c) {
        const e = d[this.i + 1]!;
        this.i += 2;
        switch (e) {
          case 0x62: out += '\b'; break;
          case 0x66: out += '\f'; break;
          case 0x6e: out += '\n'; break;
          case 0x72: out += '\r'; break;
          case 0x74: out += '\t'; break;
          case 0x75: {
            const r = this.hex4(this.i);
            this.i += 4;
            if (r >= 0xd800 && r < 0xe000) {
              const low = d[this.i] === 0x5c && d[this.i + 1] === 0x75 ? this.hex4(this.i + 2) : -1;
              if (r < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
                out += String.fromCharCode(r, low);
                this.i += 6;
              } else {
                out += '\ufffd';
              }
            } else {
              out += String.fromCharCode(r);
            }
            break;
          }
          default: out += String.fromCharCode(e); // \\ \/ \"
        }
        continue;
      }
      if (c < 0x80) {
        out += String.fromCharCode(c);
        this.i++;
        continue;
      }
      const [cp, width] = decodeRune(d, this.i);
      out += String.fromCodePoint(cp);
      this.i += width;
    }
  }

  private hex4(at: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.d[at + k];
      if (c === undefined || !isHex(c)) return -1;
      v = v * 16 + parseInt(String.fromCharCode(c), 16);
    }
    return v;
  }
}
