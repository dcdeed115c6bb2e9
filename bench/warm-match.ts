/**
 * The resolver's warm match (FindRegistry on a loaded config) against containers/image's, like
 * with like: K rounds, each one Go pass of the FindRegistryWarm benchmarks and then one pullsim
 * pass of the same lookups, and on both sides the median over the rounds of each pass's mean
 * ns/op. A load spike on the shared machine then hits both sides of a round, not one side's
 * only figure (a single Go run taken first against pullsim's best of five is not that).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNormalizedNamed, refName, tagNameOnly } from '../src/reference/reference.js';
import { findRegistry } from '../src/resolve/registry-index.js';
import { goBaseline } from './go-anchor.js';
import { fixturesDir, load, lookupBatch, MATCH_KINDS, measure, parseGoResults, setup } from './resolver-bench.js';
import { formatTable, num, type Target } from './table.js';

export interface WarmRow {
  name: string;
  /** One figure per round. */
  ours: number[];
  go: number[];
}

const SIZES = [10, 100, 1000];

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The lookups of the Go benchmark, by row name. */
function lookups(): Map<string, () => unknown> {
  const out = new Map<string, () => unknown>();
  for (const n of SIZES) {
    const config = load(setup(readFileSync(join(fixturesDir(), `registries-${n}.conf`), 'utf8')));
    for (const [kind, input] of lookupBatch(n)) {
      if (!MATCH_KINDS.includes(kind)) continue;
      const name = refName(tagNameOnly(parseNormalizedNamed(input)));
      out.set(`FindRegistryWarm/N=${n}/${kind}`, () => findRegistry(config.index, name));
    }
  }
  return out;
}

/** `rounds` interleaved Go and pullsim passes; without Go (or when it fails), pullsim's figures alone. */
export async function runWarmMatch(opts: { rounds: number; go: boolean; log: (line: string) => void }): Promise<{ rows: WarmRow[]; goSource: string }> {
  const fns = lookups();
  const rows = new Map<string, WarmRow>([...fns.keys()].map((name) => [name, { name, ours: [], go: [] }]));
  let goSource = '';
  for (let round = 1; round <= opts.rounds; round++) {
    const go = await goBaseline({ run: opts.go, count: 1, bench: 'FindRegistryWarm', log: opts.log });
    goSource = go.source;
    if (go.sameRun) {
      for (const [name, ns] of parseGoResults(go.text)) rows.get(name)?.go.push(ns);
    }
    // Go's default -benchtime is 1 s per benchmark, a mean over it: one run of similar length here.
    for (const [name, fn] of fns) rows.get(name)!.ours.push(measure(fn, 1000, 1));
    opts.log(`round ${round}/${opts.rounds} done`);
  }
  return { rows: [...rows.values()], goSource };
}

export function formatWarmRows(rows: readonly WarmRow[]): string {
  return formatTable(
    ['benchmark', 'pullsim ns/op (median of rounds)', 'c/i Go ns/op (median of rounds)', 'speed-up', 'pullsim spread', 'Go spread'],
    rows.map((r) => {
      const o = median(r.ours);
      const g = r.go.length ? median(r.go) : undefined;
      const spread = (v: number[]) => (v.length ? `${num(Math.min(...v))}–${num(Math.max(...v))}` : '');
      return [r.name, num(o), num(g), g === undefined ? '' : `${(g / o).toFixed(1)}×`, spread(r.ours), spread(r.go)];
    }),
  );
}

export function warmMatchTargets(rows: readonly WarmRow[]): Target[] {
  const at = (n: number, k: string) => rows.find((r) => r.name === `FindRegistryWarm/N=${n}/${k}`)!;
  const speedups = MATCH_KINDS.map((k) => {
    const r = at(1000, k);
    return { k, s: r.go.length ? median(r.go) / median(r.ours) : undefined };
  });
  const worst = speedups.reduce((a, b) => ((b.s ?? Infinity) < (a.s ?? Infinity) ? b : a));
  const growth = MATCH_KINDS.map((k) => ({ k, g: median(at(1000, k).ours) / median(at(10, k).ours) }));
  const maxGrowth = growth.reduce((a, b) => (b.g > a.g ? b : a));
  return [
    {
      name: 'warm match N=1000, interleaved rounds: speed-up over c/i FindRegistry (worst kind)',
      measured: worst.s === undefined ? 'no same-run Go figure' : `${worst.s.toFixed(1)}× (${worst.k})`,
      aim: '≥ 30×',
      met: worst.s === undefined ? undefined : worst.s >= 30,
    },
    { name: 'warm match N=1000 vs N=10, interleaved rounds (worst kind)', measured: `${maxGrowth.g.toFixed(2)}× (${maxGrowth.k})`, aim: '≤ 2× (flat)', met: maxGrowth.g <= 2 },
  ];
}
