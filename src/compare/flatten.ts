/**
 * Decisions as flat facts, "candidates[0].sources[1].blocked" → text, so two sides compare field by
 * field and a change names its path as `explain --json` shows it. Its own module: the containerd loop
 * uses it without loading CRI-O's explain.
 */
export function flatten(v: unknown, path: string, out: Map<string, string>): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    // An emptied list is a fact too: without it, a list that lost its last entry would compare equal to one never set.
    if (v.length === 0) out.set(path, '[]');
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  } else out.set(path, String(v));
}
