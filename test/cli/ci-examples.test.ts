/**
 * examples/github-actions.yml and examples/gitlab-ci.yml: their pullsim command lines, run as the CI
 * would (each shard, then the merge), in a temporary git repository with a change under review.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/package-root.js';
import { cli } from './cli-harness.js';
import { tempRepo } from '../compare/git-repo.js';

/** Every pullsim command line of a CI file's scripts, in file order. */
function pullsimLines(file: string): string[] {
  const lines: string[] = [];
  const visit = (v: unknown, key?: string) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (typeof v === 'string' && (key === 'run' || key === 'script')) lines.push(...v.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('pullsim ')));
  };
  visit(parse(readFileSync(join(packageRoot(), 'examples', file), 'utf8')));
  return lines;
}

/** The little shell these lines need: "$VAR" expansion, double quotes, `> FILE`, `*` globs in the current folder. */
async function sh(line: string, env: Record<string, string>, cwd: string): Promise<number> {
  const expanded = line.replace(/\$\{?([A-Z_]+)\}?/g, (_m, name: string) => {
    if (!(name in env)) throw new Error(`no value for $${name} in the test`);
    return env[name];
  });
  const words = [...expanded.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  let out: string | undefined;
  const argv: string[] = [];
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '>') out = words[++i];
    else if (words[i].includes('*')) {
      const re = new RegExp(`^${words[i].replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
      argv.push(...readdirSync(cwd).filter((f) => re.test(f)).sort());
    } else argv.push(words[i]);
  }
  const r = await cli(argv);
  if (r.code === 2) throw new Error(`${line}: ${r.stderr}`);
  if (out !== undefined) writeFileSync(join(cwd, out), r.stdout);
  return r.code;
}

const home = process.cwd();
afterEach(() => process.chdir(home));

function repoWithChange() {
  const repo = tempRepo();
  repo.write({
    'etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n',
    'etc/containers/policy.json': '{"default":[{"type":"insecureAcceptAnything"}]}\n',
    'images.txt': Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? `docker.io/team/app-${i}:1` : `quay.io/team/app-${i}:1`)).join('\n') + '\n',
  });
  repo.commit('base');
  repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  repo.write({ 'etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n[[registry]]\nlocation = "docker.io"\nblocked = true\n' });
  return repo;
}

describe.each([
  ['github-actions.yml', (shard: number) => ({ BASE: 'origin/main', SHARD: String(shard) })],
  ['gitlab-ci.yml', (shard: number) => ({ CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_NODE_INDEX: String(shard), CI_NODE_TOTAL: '4' })],
])('examples/%s, run against a temporary repository', (file, envFor) => {
  it('the shards merge into the unsharded report; the gate fails on the breaks', async () => {
    const lines = pullsimLines(file);
    expect(lines.filter((l) => l.startsWith('pullsim compare'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('pullsim merge')).length).toBeGreaterThanOrEqual(2);
    const repo = repoWithChange();
    process.chdir(repo.dir);
    const [compare, ...merges] = lines;
    for (const shard of [1, 2, 3, 4]) expect(await sh(compare, envFor(shard), repo.dir)).toBe(0);
    const codes = [];
    for (const m of merges) codes.push(await sh(m, envFor(1), repo.dir));
    expect(codes).toEqual([0, 1]);
    const comment = readdirSync(repo.dir).find((f) => f.endsWith('.md'))!;
    const whole = await cli(['compare', '--git-base', 'origin/main', '--root', '.', '--images', 'images.txt', '--markdown']);
    expect(readFileSync(join(repo.dir, comment), 'utf8')).toBe(whole.stdout);
    expect(whole.stdout).toContain('10 break');
    expect(existsSync(join(repo.dir, 'pullsim-junit.xml'))).toBe(true);
    expect(repo.git('status', '--porcelain', '--', 'etc')).toContain('registries.conf');
  });
});
