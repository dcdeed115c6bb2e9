/** One reader for a node tree on disk: `node.root` in run and `explain --root` see the same files, bytes and links. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const POLICY = JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] });
const BLOCKS_DOCKER_IO = '[[registry]]\nlocation = "docker.io"\nblocked = true\n';

/** A scenario whose node is `root`; its one pull shows whether registries.conf was read. */
function scenarioFor(root: string): string {
  return tempTree().write({
    's.yaml': `name: node root
node: { root: ${JSON.stringify(root)} }
pulls:
  - image: docker.io/library/busybox:1
`,
  }) + '/s.yaml';
}

async function runError(root: string): Promise<{ code: number; error: string; stderr: string }> {
  const r = await cli(['run', scenarioFor(root), '--json']);
  if (r.code === 2) return { code: 2, error: '', stderr: r.stderr };
  const doc = JSON.parse(r.stdout) as { scenarios: { pulls: { error?: string }[] }[] };
  return { code: r.code, error: doc.scenarios[0].pulls[0].error ?? '', stderr: r.stderr };
}

/** A root whose registries.conf is a symlink (file or folder), the way a node links shipped defaults. */
function linkedRoot(kind: 'file' | 'folder' | 'absolute'): string {
  const root = tempTree().write({ 'etc/containers/policy.json': POLICY, 'usr/share/containers/registries.conf': BLOCKS_DOCKER_IO });
  if (kind === 'file') symlinkSync('../../usr/share/containers/registries.conf', join(root, 'etc/containers/registries.conf'));
  else if (kind === 'absolute') symlinkSync('/usr/share/containers/registries.conf', join(root, 'etc/containers/registries.conf'));
  else {
    mkdirSync(join(root, 'etc/containers/registries.conf.d'));
    symlinkSync('/usr/share/containers', join(root, 'etc/containers/registries.conf.d/shared'));
    symlinkSync('../../../usr/share/containers/registries.conf', join(root, 'etc/containers/registries.conf.d/10-linked.conf'));
  }
  return root;
}

describe('node.root and explain --root follow symlinks alike, as the node would', () => {
  it.each(['file', 'absolute', 'folder'] as const)('a %s link: both read the linked registries.conf', async (kind) => {
    const root = linkedRoot(kind);
    const x = await cli(['explain', 'docker.io/library/busybox:1', '--root', root]);
    expect(x.stdout).toContain('every source is blocked');
    expect(x.code).toBe(1);
    const r = await runError(root);
    expect(r.error).toContain('registry docker.io is blocked in /etc/containers/registries.conf');
  });

  it.each([
    ['a relative link above the root', '../../../../outside.conf', 'symlink /etc/containers/registries.conf -> ../../../../outside.conf leaves the root'],
    ['a loop', 'registries.conf', 'symlink /etc/containers/registries.conf: too many levels of symbolic links'],
  ])('%s is bad input naming the link, in both', async (_what, target, message) => {
    const root = tempTree().write({ 'etc/containers/policy.json': POLICY });
    symlinkSync(target, join(root, 'etc/containers/registries.conf'));
    const x = await cli(['explain', 'docker.io/library/busybox:1', '--root', root]);
    expect(x.code).toBe(2);
    expect(x.stderr).toContain(message);
    const r = await runError(root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/, line 2, key node\.root: /);
    expect(r.stderr).toContain(message);
  });

  it('a bad link in node.root stops the run before any scenario runs', async () => {
    const root = tempTree().write({ 'etc/containers/policy.json': POLICY });
    symlinkSync('../../../../outside.conf', join(root, 'etc/containers/registries.conf'));
    const good = tempTree().write({ 'a.yaml': 'name: fine\npulls:\n  - image: docker.io/library/busybox:1\n' });
    const r = await cli(['run', `${good}/a.yaml`, scenarioFor(root)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('compare sees a config that a symlink newly brings in', async () => {
    const before = tempTree().write({ 'etc/containers/policy.json': POLICY });
    const r = await cli(['compare', scenarioFor(before), scenarioFor(linkedRoot('file')), '--fail-on', 'changes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 of 1 image changed');
    expect(r.stdout).toContain('is blocked');
  });

  it('a folder linking to its parent is read once, without hanging', async () => {
    const root = tempTree().write({ 'etc/containers/policy.json': POLICY, 'etc/containers/registries.conf': BLOCKS_DOCKER_IO });
    symlinkSync('..', join(root, 'etc/containers/up'));
    expect((await runError(root)).error).toContain('is blocked');
  });
});

describe('invalid UTF-8 in registries.conf: both load it as containers/image does and name the byte', () => {
  it.each([
    ['0xff', [0xff]],
    ['0xc3', [0xc3]],
  ])('a value holding %s', async (byte, bytes) => {
    const root = tempTree().write({ 'etc/containers/policy.json': POLICY });
    writeFileSync(join(root, 'etc/containers/registries.conf'), Buffer.concat([Buffer.from('unqualified-search-registries = ["'), Buffer.from(bytes), Buffer.from('"]\n')]));
    const expected = `loading registries configuration "/etc/containers/registries.conf": toml: line 1 (last key "unqualified-search-registries"): invalid UTF-8 byte: ${byte}`;
    const x = await cli(['explain', 'docker.io/library/busybox:1', '--root', root]);
    expect(x.code).toBe(1);
    expect(x.stdout).toContain(expected);
    expect((await runError(root)).error).toContain(expected);
  });
});
