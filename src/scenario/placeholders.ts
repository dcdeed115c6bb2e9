/**
 * `${digest:NAME[/os/arch[/variant]]}` and `${keyData:KEY}`: found by one scanner so that the
 * loader (which checks what they name) and the substitution (which fills them in) agree on
 * what counts as a placeholder. Anything else with `${` is left alone: node files may be
 * scripts or templates of their own.
 */
export type PlaceholderKind = 'digest' | 'keyData';

export interface Placeholder {
  /** The whole placeholder as written, e.g. `${digest:tools/linux/arm64/v8}`. */
  text: string;
  kind: PlaceholderKind;
  /** What follows the colon: `tools/linux/arm64/v8`. */
  arg: string;
  /** Present when the text starts like a placeholder but is not one (`${digest}`, `${digest: x}`, unclosed). */
  malformed?: true;
}

const start = /\$\{(digest|keyData)\b/g;
const wellFormed = /^\$\{(digest|keyData):([^\s{}]+)\}/;

export function scanPlaceholders(s: string): Placeholder[] {
  if (!s.includes('${')) return [];
  const found: Placeholder[] = [];
  for (const m of s.matchAll(start)) {
    const rest = s.slice(m.index);
    const w = wellFormed.exec(rest);
    if (w) found.push({ text: w[0], kind: w[1] as PlaceholderKind, arg: w[2] });
    else {
      const end = rest.indexOf('}');
      const text = end >= 0 && !rest.slice(0, end).includes('\n') ? rest.slice(0, end + 1) : rest.split('\n')[0];
      found.push({ text, kind: m[1] as PlaceholderKind, arg: '', malformed: true });
    }
  }
  return found;
}

/** Replaces every well-formed placeholder by `value(p)`. */
export function replacePlaceholders(s: string, value: (p: Placeholder) => string): string {
  if (!s.includes('${')) return s;
  return s.replace(/\$\{(digest|keyData):([^\s{}]+)\}/g, (whole, kind: PlaceholderKind, arg: string) => value({ text: whole, kind, arg }));
}
