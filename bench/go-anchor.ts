/**
 * The containers/image 5.23.1 Go benchmarks (shared/anchors/go-bench/run.sh) as the resolver
 * baseline: run in the same process tree as pullsim's figures when Go and Debian's library are
 * installed, else the recorded results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './repo-root.js';

export interface GoBaseline {
  /** Raw `go test -bench` output. */
  text: string;
  /** Where the figures come from, as printed above the table. */
  source: string;
  sameRun: boolean;
}

const RECORDED = 'test/fixtures/go-bench/go-results.txt';
const LIBRARY_DIR = '/usr/share/gocode/src/github.com/containers/image';

/** PULLSIM_GO_ANCHOR (the run.sh to use) first, then the shared folder next to the checkout, then /work/shared (from a worktree elsewhere). */
export function goAnchorScript(): string | undefined {
  const fromEnv = process.env.PULLSIM_GO_ANCHOR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const candidates = [resolve(repoRoot(), '../shared/anchors/go-bench/run.sh'), '/work/shared/anchors/go-bench/run.sh'];
  return candidates.find((p) => existsSync(p));
}

/** Why the Go anchor cannot run here, or undefined when it can. */
export function goAnchorUnavailable(): string | undefined {
  if (!goAnchorScript()) return process.env.PULLSIM_GO_ANCHOR ? `PULLSIM_GO_ANCHOR=${process.env.PULLSIM_GO_ANCHOR} does not exist` : 'shared/anchors/go-bench/run.sh not found (set PULLSIM_GO_ANCHOR to its path)';
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return '`go` is not installed (apt-get install -y golang-go)';
  if (!existsSync(LIBRARY_DIR)) return 'golang-github-containers-image-dev is not installed';
  return undefined;
}

function recorded(reason: string): GoBaseline {
  return { text: readFileSync(join(repoRoot(), RECORDED), 'utf8'), source: `recorded ${RECORDED} (${reason})`, sameRun: false };
}

/** Go's build cache kept between passes, so a pass after the first builds nothing. */
const GO_CACHE = join(tmpdir(), 'pullsim-go-anchor-cache');

/** COUNT=1 keeps the Go pass to about two minutes on two cores; `bench` narrows it to matching benchmarks. */
export async function goBaseline(opts: { run: boolean; count?: number; bench?: string; log?: (line: string) => void }): Promise<GoBaseline> {
  if (!opts.run) return recorded('Go anchor skipped by --no-go');
  const why = goAnchorUnavailable();
  if (why) return recorded(`${why}; run it for same-run figures`);
  const script = goAnchorScript()!;
  opts.log?.(`running the Go anchor: COUNT=${opts.count ?? 1}${opts.bench ? ` BENCH=${opts.bench}` : ''} ${script}`);
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const env: NodeJS.ProcessEnv = { GOCACHE: GO_CACHE, ...process.env, COUNT: String(opts.count ?? 1) };
    if (opts.bench) env.BENCH = opts.bench;
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
  const dir = out.stdout.trim().split('\n').pop() ?? '';
  if (out.code !== 0 || !existsSync(join(dir, 'results.txt'))) {
    return recorded(`the Go anchor failed (exit ${out.code}): ${out.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  const env = readFileSync(join(dir, 'env.txt'), 'utf8').split('\n')[0];
  return { text: readFileSync(join(dir, 'results.txt'), 'utf8'), source: `same run: ${dir}/results.txt (${env}, COUNT=${opts.count ?? 1})`, sameRun: true };
}
