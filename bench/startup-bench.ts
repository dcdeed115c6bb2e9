/**
 * Startup: `pullsim --help` and `pullsim explain IMAGE --root DIR` wall time as a ratio to a bare
 * `node -e 0` measured in the same run, interleaved so load on the machine hits every side alike;
 * and the bundled `pullsim run` against its own pull work (the same scenarios run in this process
 * once modules are loaded), which shows what process start and module loading add.
 * Not a test: figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarios, runScenarios } from '../src/run/run-many.js';
import { repoRoot } from './repo-root.js';
import { formatTable, num, type Target } from './table.js';

export interface StartupRow {
  what: string;
  medianMs: number;
  ratio: number;
}

export interface StartupResult {
  rows: StartupRow[];
  bundled: { cliMs: number; pullWorkMs: number; ratio: number; scenarios: number };
}

function wallMs(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A small node tree laid out like /, for explain --root. */
function nodeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'pullsim-startup-'));
  mkdirSync(join(root, 'etc/containers'), { recursive: true });
  writeFileSync(join(root, 'etc/containers/registries.conf'), 'unqualified-search-registries = ["quay.io"]\n[[registry]]\nlocation = "quay.io/team"\n[[registry.mirror]]\nlocation = "mirror.example.com/team"\n');
  writeFileSync(join(root, 'etc/containers/policy.json'), '{"default": [{"type": "insecureAcceptAnything"}]}');
  return root;
}

export async function runStartupBench(rounds: number): Promise<StartupResult> {
  const bin = join(repoRoot(), 'bin/pullsim.js');
  const root = nodeRoot();
  const sides: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['pullsim --help', [bin, '--help']],
    ['pullsim explain IMAGE --root DIR', [bin, 'explain', 'quay.io/team/app:1', '--root', root]],
  ];
  const times = sides.map(() => [] as number[]);
  try {
    wallMs(['-e', '0']);
    for (let r = 0; r < rounds; r++) sides.forEach(([, args], i) => times[i]!.push(wallMs(args)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const base = median(times[0]!);
  const rows = sides.map(([what], i) => ({ what, medianMs: median(times[i]!), ratio: median(times[i]!) / base }));

  const scenariosDir = join(repoRoot(), 'scenarios');
  const cliMs = wallMs([bin, 'run', scenariosDir]);
  const scenarios = loadScenarios([scenariosDir]);
  await runScenarios(scenarios.slice(0, 1), 1);
  const t0 = process.hrtime.bigint();
  await runScenarios(loadScenarios([scenariosDir]), 4);
  const pullWorkMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { rows, bundled: { cliMs, pullWorkMs, ratio: cliMs / pullWorkMs, scenarios: scenarios.length } };
}

export function formatStartup(r: StartupResult): string {
  const table = formatTable(['command', 'median ms', '× node -e 0'], r.rows.map((row) => [row.what, num(row.medianMs, 0), num(row.ratio, 2)]));
  const b = r.bundled;
  return `${table}\n\nbundled run (${b.scenarios} scenarios): \`pullsim run\` ${num(b.cliMs, 0)} ms wall, the same scenarios in-process (modules loaded) ${num(b.pullWorkMs, 0)} ms: ${num(b.ratio, 2)}×`;
}

export function startupTargets(r: StartupResult): Target[] {
  return r.rows.slice(1).map((row) => ({ name: `${row.what} / node -e 0`, measured: `${num(row.ratio, 2)}×`, aim: '≤ 3×', met: row.ratio <= 3 }));
}
