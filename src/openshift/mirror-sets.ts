/**
 * Merging mirror rules per source, as runtime-utils pkg/registries (registries.go mirrorSets, topo.go) does:
 * every rule's mirror order becomes graph edges ending at the source, and the graph is sorted
 * topologically, ties and cycles broken by string order, so (B,C) plus (A,B) gives (A,B,C).
 */

export type MirrorSourcePolicy = '' | 'AllowContactingSource' | 'NeverContactSource';

export interface MirrorRule {
  source: string;
  mirrors: string[];
  policy: MirrorSourcePolicy;
}

export interface MergedMirrorSet {
  source: string;
  mirrors: string[];
  neverContactSource: boolean;
}

function topoSort(edges: Array<[string, string]>): string[] {
  const ins = new Map<string, Set<string>>();
  const outs = new Map<string, Set<string>>();
  const node = (n: string) => {
    if (!ins.has(n)) {
      ins.set(n, new Set());
      outs.set(n, new Set());
    }
  };
  for (const [from, to] of edges) {
    node(from);
    node(to);
    outs.get(from)!.add(to);
    ins.get(to)!.add(from);
  }
  const all = [...ins.keys()].sort(goLess);
  const used = new Set<string>();
  const queue = all.filter((n) => ins.get(n)!.size === 0);
  const res: string[] = [];
  let next = 0;
  while (queue.length > 0 || next < all.length) {
    let n: string;
    if (queue.length > 0) n = queue.shift()!;
    else {
      // An unbroken loop: the first unused node in sorted order breaks it.
      n = all[next++];
      if (used.has(n)) continue;
    }
    used.add(n);
    res.push(n);
    const batch: string[] = [];
    for (const out of outs.get(n)!) {
      ins.get(out)!.delete(n);
      if (ins.get(out)!.size === 0 && !used.has(out)) batch.push(out);
    }
    queue.push(...batch.sort(goLess));
  }
  return res;
}

/** Go's string < (byte order; these are ASCII registry names). */
export function goLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** mergedDigestMirrorSets / mergedTagMirrorSets: one merged set per source, sources in string order. */
export function mergeMirrorRules(rules: MirrorRule[]): MergedMirrorSet[] {
  const bySource = new Map<string, string[][]>();
  const never = new Set<string>();
  for (const r of rules) {
    // Mirrors that only repeat the source are not a mirror set; their policy is ignored too.
    if (!r.mirrors.some((m) => m !== r.source)) continue;
    if (r.policy === 'NeverContactSource') never.add(r.source);
    const lists = bySource.get(r.source) ?? [];
    lists.push(r.mirrors);
    bySource.set(r.source, lists);
  }
  return [...bySource.keys()].sort(goLess).map((source) => {
    const edges: Array<[string, string]> = [];
    for (const mirrors of bySource.get(source)!) {
      for (let i = 0; i + 1 < mirrors.length; i++) edges.push([mirrors[i], mirrors[i + 1]]);
      if (!mirrors.includes(source)) edges.push([mirrors[mirrors.length - 1], source]);
    }
    const sorted = topoSort(edges);
    // The source is tried last anyway by containers/image; listing it as a mirror is redundant.
    if (sorted[sorted.length - 1] === source) sorted.pop();
    return { source, mirrors: sorted, neverContactSource: never.has(source) };
  });
}
