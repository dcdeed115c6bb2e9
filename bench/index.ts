/**
 * `npm run bench [-- AREA... [--no-go] [--no-skopeo] [--quick]]`: every benchmark area, one table
 * each with ratios against a baseline measured in the same run, then the printed targets.
 * AREA is resolver, registry, pulls, startup, compare or all (default). Nothing here is asserted.
 */
import { cpus, loadavg } from 'node:os';
import { formatRows as formatRegistryRows, runRegistryBench } from './registry-bench.js';
import { compareTargets, formatCompareRows, runCompareBench } from './compare-bench.js';
import { goBaseline } from './go-anchor.js';
import { formatPullsRows, pullsTargets, runPullsBench, runRealSkopeoSample } from './pulls-bench.js';
import { formatRows as formatResolverRows, resolverTargets, runResolverBench } from './resolver-bench.js';
import { formatStartup, runStartupBench, startupTargets } from './startup-bench.js';
import { formatTargets } from './table.js';
import { formatWarmRows, runWarmMatch, warmMatchTargets } from './warm-match.js';

const AREAS = ['resolver', 'registry', 'pulls', 'startup', 'compare'] as const;
type Area = (typeof AREAS)[number];

interface Options {
  areas: Area[];
  go: boolean;
  skopeo: boolean;
  quick: boolean;
}

const USAGE = 'usage: npm run bench -- [resolver|registry|pulls|startup|compare|all]... [--no-go] [--no-skopeo] [--quick]';

let goRun: ReturnType<typeof goBaseline> | undefined;
/** The Go anchor runs once per bench, shared by the areas that compare with it. */
function sharedGoBaseline(o: Options): ReturnType<typeof goBaseline> {
  return (goRun ??= goBaseline({ run: o.go, count: 1, log: (l) => console.log(l) }));
}

function parseOptions(argv: string[]): Options {
  const o: Options = { areas: [], go: true, skopeo: true, quick: false };
  for (const a of argv) {
    if (a === '--no-go') o.go = false;
    else if (a === '--no-skopeo') o.skopeo = false;
    else if (a === '--quick') o.quick = true;
    else if (a === 'all') o.areas.push(...AREAS);
    else if ((AREAS as readonly string[]).includes(a)) o.areas.push(a as Area);
    else {
      console.error(`unknown argument ${JSON.stringify(a)}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (o.areas.length === 0) o.areas.push(...AREAS);
  o.areas = [...new Set(o.areas)];
  return o;
}

function heading(title: string): void {
  console.log(`\n## ${title}  (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
}

async function resolverArea(o: Options): Promise<void> {
  heading('resolver: pullsim vs containers/image 5.23.1');
  const go = await sharedGoBaseline(o);
  console.log(`Go baseline: ${go.source}\n`);
  const rows = await runResolverBench(go.text);
  console.log(formatResolverRows(rows));
  console.log(`\n${formatTargets(resolverTargets(rows))}`);
  heading('resolver warm match: pullsim and containers/image interleaved, median of rounds on both sides');
  const warm = await runWarmMatch({ rounds: o.quick ? 1 : 3, go: o.go, log: (l) => console.log(l) });
  console.log(`Go: ${warm.goSource}\n`);
  console.log(formatWarmRows(warm.rows));
  console.log(`\n${formatTargets(warmMatchTargets(warm.rows))}`);
}

async function registryArea(o: Options): Promise<void> {
  heading('registry: fake registry vs a bare node:http(s) server on the same bytes');
  console.log(formatRegistryRows(await runRegistryBench(o.quick ? 1 : 2)));
}

async function pullsArea(o: Options): Promise<void> {
  heading('pulls: the generated mixed scenarios through the real runner (skopeo, podman, crio: registries.conf; containerd, vsphere-pod: hosts.toml)');
  const rows = await runPullsBench(o.quick ? [100, 200, 400] : [250, 500, 1000]);
  console.log(formatPullsRows(rows));
  const real = o.skopeo ? await runRealSkopeoSample(o.quick ? 1 : 2) : 'skipped by --no-skopeo';
  if (typeof real === 'string') console.log(`\nreal skopeo: ${real}`);
  else {
    console.log(`\nreal ${real.version}: ${real.samples} pulls of the same kinds from the same registries (bound as \`pullsim serve\` binds them), ${Math.round(real.totalMs)} ms, ${real.pullsPerS.toFixed(2)} pulls/s; same result and final error as pullsim: ${real.agree}/${real.samples}`);
    for (const d of real.disagreements) console.log(`  differs: ${d}`);
  }
  console.log(`\n${formatTargets(pullsTargets(rows, real))}`);
}

async function compareArea(o: Options): Promise<void> {
  heading('compare: decision compare of streamed images, old vs new, against 1,000 [[registry]] entries; containers/image interleaved, median of rounds on both sides');
  const r = await runCompareBench({ ns: o.quick ? [2_000, 10_000] : [10_000, 100_000], rounds: o.quick ? 1 : 3, go: o.go, log: (l) => console.log(l) });
  console.log(`Go: ${r.goSource}\n`);
  console.log(formatCompareRows(r.rows));
  console.log(`\n${formatTargets(compareTargets(r.rows))}`);
}

async function startupArea(o: Options): Promise<void> {
  heading('startup: the bin against a bare node, and the bundled run against its own pull work');
  const r = await runStartupBench(o.quick ? 3 : 7);
  console.log(formatStartup(r));
  console.log(`\n${formatTargets(startupTargets(r))}`);
}

const o = parseOptions(process.argv.slice(2));
console.log(`# pullsim bench: ${o.areas.join(', ')} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
for (const area of o.areas) {
  if (area === 'resolver') await resolverArea(o);
  else if (area === 'registry') await registryArea(o);
  else if (area === 'pulls') await pullsArea(o);
  else if (area === 'startup') await startupArea(o);
  else await compareArea(o);
}
