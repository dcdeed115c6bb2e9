/** The "Done means", end to end: a git repository, a change in the working tree, every output format. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli-harness.js';
import { tempRepo } from '../compare/git-repo.js';

const SECRET = 's3cr3t-pa55';
const AUTH = Buffer.from(`robot:${SECRET}`).toString('base64');

const repo = tempRepo();
repo.write({
  'etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n\n[[registry]]\nlocation = "quay.io"\n',
  'etc/containers/registries.conf.d/10-team.conf': '[[registry]]\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "mirror.example.com/team"\n',
  'etc/containers/policy.json': '{"default":[{"type":"insecureAcceptAnything"}]}\n',
  'var/lib/kubelet/config.json': JSON.stringify({ auths: { 'quay.io': { auth: AUTH } } }),
  'broken.yaml': 'apiVersion: v1\nkind: [\n',
  'images.txt': '# what the cluster runs\nquay.io/ns/app:v1\ndocker.io/library/nginx:1.25\ndocker.io/library/redis:7\nregistry.example.com/team/api:2\nghcr.io/org/tool:3\n',
});
repo.commit('base');
// The change under review: docker.io blocked, a mirror for ghcr.io/org dropped in.
repo.write({
  'etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n\n[[registry]]\nlocation = "quay.io"\n\n[[registry]]\nlocation = "docker.io"\nblocked = true\n',
  'etc/containers/registries.conf.d/20-ghcr.conf': '[[registry]]\nlocation = "ghcr.io/org"\n[[registry.mirror]]\nlocation = "mirror.example.com/ghcr"\n',
});
const d = repo.dir;
const base = ['compare', '--git-base', 'HEAD', '--root', d, '--images', join(d, 'images.txt')];

const WANT = [
  ['docker.io/library/nginx:1.25', 'breaks'],
  ['docker.io/library/redis:7', 'breaks'],
  ['ghcr.io/org/tool:3', 'changes source'],
];

describe('compare --git-base HEAD --root . --images images.txt', () => {
  it('--json exits 1 and lists exactly the affected images with their class', async () => {
    const r = await cli([...base, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual(WANT);
    expect(doc.counts).toEqual({ breaks: 2, fixes: 0, changesSource: 1, changesDecisionsOnly: 0, unchanged: 2 });
    expect(doc.images).toBe(5);
    expect(repo.git('status', '--porcelain')).toContain('20-ghcr.conf');
  });

  it('--junit and --markdown show the same images and classes', async () => {
    const junit = join(d, 'junit.xml');
    const r = await cli([...base, '--markdown', '--junit', junit]);
    expect(r.code).toBe(1);
    const rows = r.stdout.split('\n').filter((l) => /^\| (breaks|fixes|changes)/.test(l)).map((l) => l.split(' | ').slice(0, 2).map((c) => c.replace(/^\| /, '').replace(/`/g, '')));
    expect(rows).toEqual(WANT.map(([img, cls]) => [cls, img]));
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect([...xml.matchAll(/name="([^"]+)">\n\s+<failure/g)].map((m) => m[1])).toEqual(['docker.io/library/nginx:1.25', 'docker.io/library/redis:7']);
    expect(xml).toContain('tests="5" failures="2"');
  });

  it('shards 1/2 and 2/2 merged equal the unsharded report, in every format', async () => {
    const whole = await cli([...base, '--json']);
    for (const i of [1, 2]) {
      const s = await cli([...base, '--json', '--shard', `${i}/2`]);
      repo.write({ [`shard-${i}.json`]: s.stdout });
    }
    const merged = await cli(['merge', join(d, 'shard-1.json'), join(d, 'shard-2.json'), '--json']);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(whole.stdout);
    const md = await cli(['merge', join(d, 'shard-2.json'), join(d, 'shard-1.json'), '--markdown']);
    expect(md.stdout).toBe((await cli([...base, '--markdown'])).stdout);
  });

  it('merge refuses reports of different OLD/NEW, a missing shard and a repeated one', async () => {
    const one = JSON.parse(readFileSync(join(d, 'shard-1.json'), 'utf8'));
    repo.write({ 'foreign.json': JSON.stringify({ ...one, old: 'git:main', shard: { index: 2, count: 2 } }) });
    for (const [files, message] of [
      [['shard-1.json', 'foreign.json'], 'merge only shards of one comparison'],
      [['shard-1.json'], 'shard 2/2 missing'],
      [['shard-1.json', 'shard-1.json'], 'given twice'],
    ] as const) {
      const r = await cli(['merge', ...files.map((f) => join(d, f))]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it.each([
    ['breaks (default): exit 1', [], 1],
    ['never: exit 0', ['--fail-on', 'never'], 0],
    ['changes: exit 1', ['--fail-on', 'changes'], 1],
  ])('--fail-on %s', async (_what, extra, code) => {
    expect((await cli([...base, ...extra])).code).toBe(code);
  });

  it('--fail-on breaks exits 0 when a change only moves a source', async () => {
    const only = join(d, 'only-ghcr.txt');
    repo.write({ 'only-ghcr.txt': 'ghcr.io/org/tool:3\n' });
    const args = ['compare', '--git-base', 'HEAD', '--root', d, '--images', only];
    expect((await cli(args)).code).toBe(0);
    expect((await cli([...args, '--fail-on', 'changes'])).code).toBe(1);
  });

  it('--images from git:HEAD:images.txt reads the committed list', async () => {
    const r = await cli(['compare', '--git-base', 'HEAD', '--root', d, '--images', `git:HEAD:${join(d, 'images.txt')}`, '--json']);
    expect(JSON.parse(r.stdout).images).toBe(5);
  });

  it('--junit into a folder that does not exist is bad input', async () => {
    const r = await cli([...base, '--junit', join(d, 'no-such-dir', 'j.xml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write there (ENOENT)');
  });

  it('no output format shows a credential', async () => {
    const junit = join(d, 'secret-junit.xml');
    const outs = [(await cli([...base, '--json'])).stdout, (await cli([...base, '--markdown', '--junit', junit])).stdout, (await cli(base)).stdout, readFileSync(junit, 'utf8')];
    for (const o of outs) {
      expect(o).not.toContain(SECRET);
      expect(o).not.toContain(AUTH);
    }
  });
});

describe('compare: bad input is one line, exit 2, nothing written', () => {
  it.each([
    ['a missing tree', ['compare', '--git-base', 'HEAD', '--root', join(d, 'nope'), '--images', join(d, 'images.txt')], 'is not a readable directory'],
    ['an unknown revision', ['compare', '--git-base', 'no-such-rev', '--root', d, '--images', join(d, 'images.txt')], 'unknown revision "no-such-rev"'],
    ['shard 3/2', [...base, '--shard', '3/2'], '--shard "3/2" is not accepted'],
    ['a missing images file', ['compare', '--git-base', 'HEAD', '--root', d, '--images', join(d, 'none.txt')], 'none.txt'],
    ['no images and no world', ['compare', '--git-base', 'HEAD', '--root', d], 'give --images FILE'],
    ['an images file with a YAML error', ['compare', '--git-base', 'HEAD', '--root', d, '--images', join(d, 'broken.yaml')], 'broken.yaml, line 3: invalid YAML'],
  ])('%s', async (_what, argv, message) => {
    const junit = join(d, 'bad-junit.xml');
    const r = await cli([...argv, '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(junit)).toBe(false);
    expect(repo.git('status', '--porcelain')).not.toContain('.tmp');
  });
});
