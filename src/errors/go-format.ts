/**
 * Go's fmt verbs as the real stack uses them in its error texts: %s, %v, %d, %q, %%.
 * %q is strconv.Quote (double quotes, Go escapes), which is what makes texts like
 * `short-name "lab/app:v1" did not resolve…` byte-exact.
 */
export function goQuote(s: string): string {
  return quoteWith(s, '"');
}

/** Go's %q of a rune (strconv.QuoteRune); a surrogate or out-of-range value is U+FFFD, as in Go. */
export function goQuoteRune(r: number): string {
  return quoteWith(String.fromCodePoint(r > 0x10ffff || (r >= 0xd800 && r < 0xe000) ? 0xfffd : r), "'");
}

/** strconv.IsPrint, close enough for error texts: graphic Unicode (letters, marks, numbers, punctuation, symbols) plus the ASCII space. */
function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(r));
}

const namedEscapes: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v' };

/** strconv's appendQuotedWith for text that is valid Unicode (Go strings here were decoded already). */
function quoteWith(s: string, quote: '"' | "'"): string {
  let out = quote;
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (isPrint(r)) out += ch;
    else if (namedEscapes[r] !== undefined) out += namedEscapes[r];
    else if (r < 0x20 || r === 0x7f) out += `\\x${hex(r, 2)}`;
    // A lone surrogate (only a JS string can hold one) is not a valid rune: strconv escapes U+FFFD instead.
    else if (r >= 0xd800 && r < 0xe000) out += '\\ufffd';
    else if (r < 0x10000) out += `\\u${hex(r, 4)}`;
    else out += `\\U${hex(r, 8)}`;
  }
  return out + quote;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function goFormat(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([%sdvqt])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return goQuote(String(a));
    return String(a);
  });
}
