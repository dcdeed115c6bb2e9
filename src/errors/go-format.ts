/**
 * Go's fmt verbs as the real stack uses them in its error texts: %s, %v, %d, %q, %%.
 * %q is strconv.Quote (double quotes, Go escapes), which is what makes texts like
 * `short-name "lab/app:v1" did not resolve…` byte-exact.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
        else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
        else out += ch;
    }
  }
  return out + '"';
}

export function goFormat(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([%sdvq])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return goQuote(String(a));
    return String(a);
  });
}
