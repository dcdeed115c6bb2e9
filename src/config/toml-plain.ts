/**
 * The plain subset of TOML that registries.conf files are written in, read line by line: comments,
 * `key = "string"`, `key = true|false`, `key = ["a", "b"]` on one line, `[table]`, `[[array]]` and
 * `[[array.sub]]` headers. A 1,000-entry registries.conf takes the faithful parser (toml.ts) about
 * ten times as long on a cold start, which is most of what `compare` spends on fixed costs.
 *
 * It answers only for input it is sure of — printable ASCII, no escapes, no key defined twice, no
 * header that the faithful parser might reject or read differently — and returns the same table the
 * faithful parser returns. Anything else (and any error) returns undefined: the caller then parses
 * with toml.ts, which gives BurntSushi's exact error texts and key positions.
 */
import type { TomlDocument, TomlTable, TomlValue } from './toml.js';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key that would reach an object's prototype: toml.ts defines it as an own property; left to it. */
const isPlainKey = (k: string) => k !== '' && k !== '__proto__';

const PLAIN_ASCII = /^[\t\n\x20-\x7e]*$/;

/** Printable ASCII, tabs and LF only: no CR, control character, DEL or non-ASCII byte. */
function plainAscii(src: string | Uint8Array): string | undefined {
  // latin1 maps each byte to one character, so the pattern sees every byte as it is.
  const text = typeof src === 'string' ? src : Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('latin1');
  return PLAIN_ASCII.test(text) ? text : undefined;
}

/** Line pieces read from position i: each returns [what was read, the next position], or undefined when it is not plain. */
function skipSpace(l: string, i: number): number {
  while (i < l.length && (l.charCodeAt(i) === 0x20 || l.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** `"…"` without escapes, or `'…'`: the text between the quotes. */
function quoted(l: string, i: number): [string, number] | undefined {
  const q = l[i];
  if (q !== '"' && q !== "'") return undefined;
  const end = l.indexOf(q, i + 1);
  if (end === -1) return undefined;
  const s = l.slice(i + 1, end);
  if (q === '"' && s.includes('\\')) return undefined;
  // """ and ''' open multi-line strings: not plain.
  if (s === '' && l[end + 1] === q) return undefined;
  return [s, end + 1];
}

function value(l: string, i: number): [TomlValue, number] | undefined {
  if (l.startsWith('true', i)) return [true, i + 4];
  if (l.startsWith('false', i)) return [false, i + 5];
  if (l[i] !== '[') return quoted(l, i);
  const out: string[] = [];
  i = skipSpace(l, i + 1);
  while (l[i] !== ']') {
    const s = quoted(l, i);
    if (!s) return undefined;
    out.push(s[0]);
    i = skipSpace(l, s[1]);
    if (l[i] === ',') i = skipSpace(l, i + 1);
    else if (l[i] !== ']') return undefined;
  }
  return [out, i + 1];
}

/** The end of a line after a value or header: only blanks, then nothing or a comment. */
function restIsEmpty(l: string, i: number): boolean {
  i = skipSpace(l, i);
  return i === l.length || l[i] === '#';
}

class PlainReader {
  readonly root: TomlTable = {};
  private current: TomlTable = this.root;
  /** Arrays made by [[name]] headers, as opposed to array values. */
  private readonly tableArrays = new WeakSet<TomlValue[]>();

  /** One line; false when it is outside the plain subset. */
  line(l: string): boolean {
    const i = skipSpace(l, 0);
    if (i === l.length || l[i] === '#') return true;
    if (l[i] === '[') return this.header(l, i);
    let key: string;
    let at: number;
    if (l[i] === '"' || l[i] === "'") {
      const k = quoted(l, i);
      if (!k || !isPlainKey(k[0])) return false;
      [key, at] = k;
    } else {
      at = i;
      while (at < l.length && l[at] !== ' ' && l[at] !== '\t' && l[at] !== '=') at++;
      key = l.slice(i, at);
      if (!BARE_KEY.test(key) || !isPlainKey(key)) return false;
    }
    at = skipSpace(l, at);
    if (l[at] !== '=') return false;
    const v = value(l, skipSpace(l, at + 1));
    return v !== undefined && restIsEmpty(l, v[1]) && this.set(key, v[0]);
  }

  private header(l: string, i: number): boolean {
    const double = l[i + 1] === '[';
    const open = double ? 2 : 1;
    const close = l.indexOf(double ? ']]' : ']', i + open);
    if (close === -1 || !restIsEmpty(l, close + open)) return false;
    return this.table(double, l.slice(i + open, close).split('.'));
  }

  /** A `[[a]]`/`[[a.b]]` (double) or `[a]` header, by its dotted parts. */
  table(double: boolean, parts: string[]): boolean {
    if (!parts.every((p) => BARE_KEY.test(p) && isPlainKey(p))) return false;
    if (!double) {
      // [name] once, at the top: a table defined again (or dotted) is left to the faithful parser.
      if (parts.length !== 1 || Object.hasOwn(this.root, parts[0]!)) return false;
      this.current = this.root[parts[0]!] = {};
      return true;
    }
    let parent = this.root;
    if (parts.length === 2) {
      const outer = this.root[parts[0]!];
      if (!Array.isArray(outer) || !this.tableArrays.has(outer) || outer.length === 0) return false;
      parent = outer[outer.length - 1] as TomlTable;
    } else if (parts.length !== 1) return false;
    const name = parts[parts.length - 1]!;
    let list = parent[name];
    if (list === undefined) {
      parent[name] = list = [];
      this.tableArrays.add(list);
    } else if (!Array.isArray(list) || !this.tableArrays.has(list)) return false;
    const table: TomlTable = {};
    list.push(table);
    this.current = table;
    return true;
  }

  /** `key = value` for a key and a value already read. */
  set(key: string, value: TomlValue): boolean {
    if (!isPlainKey(key) || Object.hasOwn(this.current, key)) return false;
    this.current[key] = value;
    return true;
  }
}

/**
 * The usual lines in one sticky pattern (compiled to native code, where the character-by-character
 * reader runs in the interpreter while a cold process reads its first files): blanks, then nothing,
 * a `[[a]]`/`[[a.b]]` header (1), a `[a]` header (2), or a bare (3), "quoted" (4) or 'literal' (5)
 * key with a "string" (6), 'literal' (7) or boolean (8) value; then blanks, an optional comment and
 * the line break (so `""` followed by a quote, a """ string, never matches). The reader checks the
 * rest (keys defined twice, header rules) as for any line.
 */
const LINE = /[ \t]*(?:\[\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)\]\]|\[([A-Za-z0-9_-]+)\]|(?:([A-Za-z0-9_-]+)|"([^"\\\n]*)"|'([^'\n]*)')[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)'|(true|false)))?[ \t]*(?:#[^\n]*)?(?:\n|$)/y;

function lineRead(reader: PlainReader, m: RegExpExecArray): boolean {
  if (m[1] !== undefined) return reader.table(true, m[1].split('.'));
  if (m[2] !== undefined) return reader.table(false, [m[2]]);
  const key = m[3] ?? m[4] ?? m[5];
  if (key === undefined) return true;
  return reader.set(key, m[6] ?? m[7] ?? m[8] === 'true');
}

/**
 * The document of a plain registries.conf, or undefined (parse it with toml.ts). Only the table is
 * known: key lines and types serve error texts, and a file whose decoding fails is parsed again by
 * toml.ts for them, so asking this document for them is a bug.
 */
export function parsePlainToml(src: string | Uint8Array): TomlDocument | undefined {
  const text = plainAscii(src);
  if (text === undefined) return undefined;
  const reader = new PlainReader();
  for (let start = 0; start <= text.length; ) {
    LINE.lastIndex = start;
    const m = LINE.exec(text);
    if (m !== null && m[0].length > 0 && lineRead(reader, m)) {
      start = LINE.lastIndex;
      continue;
    }
    // Anything else the plain subset holds (arrays, blank last line) is read by the line reader.
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (!reader.line(text.slice(start, end))) return undefined;
    start = end + 1;
  }
  return {
    table: reader.root,
    get keyLines(): never {
      throw new Error('BUG: key lines of a plain TOML document (decode errors re-parse with toml.ts)');
    },
    get keyTypes(): never {
      throw new Error('BUG: key types of a plain TOML document (decode errors re-parse with toml.ts)');
    },
    elementTypes: new WeakMap(),
  };
}
