/**
 * Strings in UTF-8 byte order: Go's `<` on strings and sort.Strings, which c/i and os.ReadDir
 * sort by. JS's `<` compares UTF-16 code units, which puts astral characters (surrogate pairs)
 * before U+E000–U+FFFF; byte order is code point order, so compare code points where the
 * strings first differ.
 */
export function compareBytewise(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  return a.codePointAt(i)! - b.codePointAt(i)!;
}
