/**
 * Which runtime a compare report was decided as: the `runtime` key of --json and the text and Markdown
 * headers, `merge` refusing shards of two runtimes, and the note on a containerd-looking tree decided as CRI-O.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { cli, tempTree } from './cli-harness.js';

const PASSWORD = 'Runtime-Pa55word';
const AUTH = Buffer.from(`robot:${PASSWORD}`).toString('base64');
const KUBELET = JSON.stringify({ auths: { 'registry.example.com': { auth: AUTH } } });

const CONTAINERD = {
  'etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  'var/lib/kubelet/config.json': KUBELET,
};
const CONTAINERD_NEW = { ...CONTAINERD, 'etc/containerd/certs.d/docker.io/hosts.toml': 'server = "https://registry-1.docker.io"\n\n[host."https://mirror.example.com"]\n' };
const CRIO = { 'etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n', 'var/lib/kubelet/config.json': KUBELET };
const CRIO_NEW = { ...CRIO, 'etc/containers/registries.conf.d/10-hub.conf': '[[registry]]\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "mirror.example.com/hub"\n' };
// Both families' folders: a node that could be either; nothing to say about it.
const BOTH = { ...CRIO, ...CONTAINERD };
const side = (name: string, runtime: string) => `name: ${name}\nruntime: ${runtime}\nnode: { files: {} }\n`;
const world = (runtime: string) => `name: ${runtime} world
runtime: ${runtime}
registries:
  nexus: { host: "192.168.10.11:5001", tls: false, images: { "test/test:v1": {} } }
node:
  files:
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
pulls:
  - image: 192.168.10.11:5001/test/test:v1
`;
const prefixed = (dir: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, c]) => [`${dir}/${p}`, c]));

const tree = tempTree();
const d = tree.write({
  ...prefixed('ctd-old', CONTAINERD),
  ...prefixed('ctd-new', CONTAINERD_NEW),
  ...prefixed('crio-old', CRIO),
  ...prefixed('crio-new', CRIO_NEW),
  ...prefixed('both', BOTH),
  'crio.yaml': side('crio', 'crio'),
  'podman.yaml': side('podman', 'podman'),
  'containerd.yaml': side('containerd', 'containerd'),
  'world-crio.yaml': world('crio'),
  'world-podman.yaml': world('podman'),
  'images.txt': 'docker.io/library/nginx:1.25\nregistry.example.com/team/api:2\n',
});
const images = ['--images', join(d, 'images.txt')];
const at = (name: string) => join(d, name);

describe('--json names the runtime that decided, right after mode', () => {
  it.each([
    ['two CRI-O trees, no flag: CRI-O', [at('crio-old'), at('crio-new'), ...images], 'decisions', 'crio'],
    ['--runtime crio', [at('crio-old'), at('crio-new'), ...images, '--runtime', 'crio'], 'decisions', 'crio'],
    ['--runtime containerd', [at('ctd-old'), at('ctd-new'), ...images, '--runtime', 'containerd'], 'decisions', 'containerd'],
    ['two runtime: containerd scenarios, no flag', [at('containerd.yaml'), at('containerd.yaml'), ...images], 'decisions', 'containerd'],
    ['--runtime crio over a podman and a CRI-O scenario', [at('podman.yaml'), at('crio.yaml'), ...images, '--runtime', 'crio'], 'decisions', 'crio'],
    ['a podman and a CRI-O scenario, each decided as its own: none named', [at('podman.yaml'), at('crio.yaml'), ...images], 'decisions', undefined],
    ['two CRI-O worlds: their pulls run as CRI-O', [at('world-crio.yaml'), at('world-crio.yaml')], 'outcomes', 'crio'],
    ['a podman world against a CRI-O one: none named', [at('world-podman.yaml'), at('world-crio.yaml')], 'outcomes', undefined],
  ])('%s', async (_what, argv, mode, runtime) => {
    const r = await cli(['compare', ...argv, '--json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe(mode);
    expect(doc.runtime).toBe(runtime);
    const keys = Object.keys(doc);
    expect(keys.slice(0, 6)).toEqual(['report', 'version', 'old', 'new', 'mode', runtime === undefined ? 'shard' : 'runtime']);
    expect(keys).toEqual(expect.arrayContaining(['shard', 'images', 'counts', 'changes', 'nodeFileDiff', 'rollout', 'notes']));
  });

  it.each([
    ['text: after the two sides', [], `${at('ctd-old')} → ${at('ctd-new')} (containerd): 1 of 2 images changed`],
    ['Markdown: after the mode', ['--markdown'], `\`${at('ctd-old')}\` → \`${at('ctd-new')}\`, decisions, containerd)`],
  ])('%s', async (_what, flags, shown) => {
    const r = await cli(['compare', at('ctd-old'), at('ctd-new'), ...images, '--runtime', 'containerd', ...flags]);
    expect(r.stdout).toContain(shown);
  });

  it('no runtime, no mention: the text header is as before', async () => {
    const r = await cli(['compare', at('podman.yaml'), at('crio.yaml'), ...images]);
    expect(r.stdout).toContain(`${at('podman.yaml')} → ${at('crio.yaml')}: 2 of 2 images changed`);
  });
});

describe('merge: shards of one runtime', () => {
  const ctd = [at('ctd-old'), at('ctd-new'), ...images, '--runtime', 'containerd', '--json'];
  const shard = async (argv: string[], i: number, name: string) => {
    const r = await cli(['compare', ...argv, '--shard', `${i}/2`]);
    writeFileSync(at(name), r.stdout);
    return JSON.parse(r.stdout);
  };
  const withoutRuntime = (name: string, from: string) => {
    const { runtime: _runtime, ...old } = JSON.parse(readFileSync(at(from), 'utf8'));
    writeFileSync(at(name), JSON.stringify(old, null, 2));
  };

  it('the merged report carries the shards\' runtime and equals the unsharded one byte for byte', async () => {
    await shard(ctd, 1, 'ctd-1.json');
    await shard(ctd, 2, 'ctd-2.json');
    const merged = await cli(['merge', at('ctd-1.json'), at('ctd-2.json'), '--json']);
    expect(merged.stderr).toBe('');
    expect(JSON.parse(merged.stdout).runtime).toBe('containerd');
    expect(merged.stdout).toBe((await cli(['compare', ...ctd])).stdout);
  });

  it('reports from before the field merge with each other as before, and the merged one has none', async () => {
    withoutRuntime('old-1.json', 'ctd-1.json');
    withoutRuntime('old-2.json', 'ctd-2.json');
    const merged = await cli(['merge', at('old-1.json'), at('old-2.json'), '--json']);
    expect(merged.stderr).toBe('');
    const doc = JSON.parse(merged.stdout);
    expect('runtime' in doc).toBe(false);
    expect(doc.images).toBe(2);
    expect(merged.stdout).not.toContain('(containerd)');
  });

  it.each([
    ['another runtime', 'crio-2.json', `merge: ${at('crio-2.json')} has runtime "crio", ${at('ctd-1.json')} has runtime "containerd"; merge only shards of one comparison`],
    ['a report without the field', 'old-2.json', `merge: ${at('old-2.json')} has no runtime, ${at('ctd-1.json')} has runtime "containerd"; merge only shards of one comparison`],
  ])('refused: %s (one line naming both files and both runtimes, exit 2)', async (_what, second, message) => {
    // Shard 2 of the same two trees, decided as CRI-O: the same old/new/mode, another runtime.
    const crio = await shard([at('ctd-old'), at('ctd-new'), ...images, '--runtime', 'crio', '--json'], 2, 'crio-2.json');
    expect(crio.runtime).toBe('crio');
    const r = await cli(['merge', at('ctd-1.json'), at(second), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('a runtime that is not a string is not a compare report', async () => {
    writeFileSync(at('odd.json'), JSON.stringify({ ...JSON.parse(readFileSync(at('ctd-2.json'), 'utf8')), runtime: 7 }));
    const r = await cli(['merge', at('ctd-1.json'), at('odd.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`merge: ${at('odd.json')} is not a pullsim compare --json report (version 1)`);
  });
});

describe('a tree that looks like a containerd node, decided as CRI-O without --runtime: a note says so', () => {
  const NOTE = 'the node has /etc/containerd/ and no /etc/containers/, so it looks like a containerd node; it was decided as CRI-O, which reads no containerd file: give --runtime containerd';
  it.each([
    ['two containerd trees, no flag: both sides', [at('ctd-old'), at('ctd-new')], [`old: ${NOTE}`, `new: ${NOTE}`]],
    ['a containerd tree against a CRI-O one: that side only', [at('crio-old'), at('ctd-new')], [`new: ${NOTE}`]],
    ['--runtime containerd', [at('ctd-old'), at('ctd-new'), '--runtime', 'containerd'], []],
    ['--runtime crio: asked for', [at('ctd-old'), at('ctd-new'), '--runtime', 'crio'], []],
    ['two CRI-O trees', [at('crio-old'), at('crio-new')], []],
    ['a tree with both folders', [at('both'), at('both')], []],
  ])('%s', async (_what, argv, notes) => {
    const json = await cli(['compare', ...argv, ...images, '--json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).notes).toEqual(notes);
    const text = await cli(['compare', ...argv, ...images]);
    for (const n of notes) expect(text.stdout).toContain(`  note: ${n}\n`);
    if (notes.length === 0) expect(text.stdout).not.toContain('looks like a containerd node');
    for (const out of [json.stdout, text.stdout]) for (const s of [PASSWORD, AUTH]) expect(out).not.toContain(s);
  });
});

describe('docs/compare.md examples', () => {
  const doc = () => readFileSync(join(packageRoot(), 'docs/compare.md'), 'utf8');
  // The doc's paths are relative to a checkout, where the tests run.
  const run = (args: string) => {
    expect(process.cwd()).toBe(packageRoot());
    return cli(['compare', ...args.split(' ')]);
  };

  it('the --json runtime line', async () => {
    const block = /\npullsim compare (.*--runtime containerd --json) \| grep '"runtime"'\n# (.*)\n/.exec(doc());
    expect(block).not.toBeNull();
    const r = await run(block![1]);
    expect(r.stdout.split('\n')).toContain(block![2]);
  });

  it('the containerd example without --runtime: decided as CRI-O, nothing changed, a note per side', async () => {
    const block = /\npullsim compare (examples\/containerd-compare\/old examples\/containerd-compare\/new --images examples\/containerd-compare\/images.txt)\n((?:# .*\n)+)/.exec(doc());
    expect(block).not.toBeNull();
    const r = await run(block![1]);
    expect(r.stdout.trimEnd().split('\n')).toEqual(block![2].split('\n').filter(Boolean).map((l) => l.slice(2)));
  });
});
