/** Scenarios without pulls, cluster.manifests, and the --root / --manifests overrides (also from git). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { serveScenario } from '../../sim/serve.js';
import { cli } from './cli-harness.js';
import { tempRepo } from '../compare/git-repo.js';

const IMAGE_CR = (blocked: string) => `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: { name: cluster }\nspec: { registrySources: { blockedRegistries: [${blocked}] } }\n`;
const repo = tempRepo();
repo.write({
  'no-pulls.yaml': `name: config only\nregistries:\n  r: { host: "r.example.com", tls: false, images: { "a/b:1": {} } }\ncluster:\n  - ${IMAGE_CR('evil.example.com').replace(/\n(?=.)/g, '\n    ')}pulls: []\n`,
  'no-pulls-key.yaml': 'name: no pulls key\nnode:\n  files:\n    /etc/containers/registries.conf: |\n      unqualified-search-registries = ["quay.io"]\n',
  'manifests-shape.yaml': 'name: manifests\ncluster:\n  manifests: [./manifests]\n',
  'manifests/image.yaml': `${IMAGE_CR('docker.io')}---\napiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n`,
  'other/image.yaml': IMAGE_CR('ghcr.io'),
  'tree/etc/containers/registries.conf': '[[registry]]\nlocation = "quay.io"\nblocked = true\n',
  'world.yaml': 'name: world\nregistries:\n  q: { host: "quay.io", tls: false, images: { "a/b:1": {} } }\nnode:\n  files:\n    /etc/containers/policy.json: \'{"default":[{"type":"insecureAcceptAnything"}]}\'\npulls:\n  - image: quay.io/a/b:1\n',
});
repo.commit('base');
repo.write({ 'tree/etc/containers/registries.conf': '[[registry]]\nlocation = "quay.io"\ninsecure = true\n' });
const d = repo.dir;

describe('a scenario without pulls is valid', () => {
  it.each([['pulls: []', 'no-pulls.yaml'], ['no pulls key', 'no-pulls-key.yaml']])('%s: run reports "no pulls"', async (_what, file) => {
    const r = await cli(['run', join(d, file)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no pulls');
  });

  it('render shows what its cluster objects write', async () => {
    const r = await cli(['render', join(d, 'no-pulls.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('location = "evil.example.com"');
  });

  it('explain reads its node', async () => {
    const r = await cli(['explain', 'evil.example.com/x:1', '--scenario', join(d, 'no-pulls.yaml')]);
    expect(r.stdout).toContain('BLOCKED');
  });

  it('serve starts its registries', async () => {
    const served = await serveScenario(loadScenarioFile(join(d, 'no-pulls.yaml')));
    try {
      expect(served.lines.join('\n')).toContain('r.example.com');
    } finally {
      await served.close();
    }
  });
});

describe('cluster: { manifests: [...] } and --manifests', () => {
  it('loads the objects of the folder and lists the unused ones as ignored', async () => {
    const r = await cli(['render', join(d, 'manifests-shape.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('location = "docker.io"');
    expect(r.stderr).toMatch(/^ignored: .*manifests\/image\.yaml line 6: Namespace team/m);
  });

  it.each([
    ['a folder', join(d, 'other'), 'ghcr.io'],
    ['a git: spec of the same folder at HEAD', `git:HEAD:${join(d, 'other')}`, 'ghcr.io'],
  ])('--manifests %s replaces the scenario\'s manifests', async (_what, spec, blocked) => {
    const r = await cli(['render', join(d, 'manifests-shape.yaml'), '--manifests', spec]);
    expect(r.stdout).toContain(`location = "${blocked}"`);
    expect(r.stdout).not.toContain('location = "docker.io"');
  });

  it('a missing manifests folder names the scenario, line and key', async () => {
    repo.write({ 'bad-manifests.yaml': 'name: m\ncluster:\n  manifests: [./nope]\n' });
    const r = await cli(['render', join(d, 'bad-manifests.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-manifests.yaml, line 3, key cluster.manifests: manifests:');
  });
});

describe('--root: one world against any tree, from disk or git', () => {
  it.each([
    ['the working tree', join(d, 'tree'), 'pulled'],
    ['the tree at HEAD, read from git objects', `git:HEAD:${join(d, 'tree')}`, 'failed'],
  ])('run --root %s', async (_what, root, result) => {
    const r = await cli(['run', join(d, 'world.yaml'), '--root', root, '--json']);
    expect(JSON.parse(r.stdout).scenarios[0].pulls[0].result).toBe(result);
  });

  it('explain --root git:REV:PATH', async () => {
    const r = await cli(['explain', 'quay.io/a/b:1', '--root', `git:HEAD:${join(d, 'tree')}`]);
    expect(r.stdout).toContain('BLOCKED');
  });

  it('node.root: git:REV:PATH in a scenario', async () => {
    repo.write({ 'git-root.yaml': 'name: g\nnode:\n  root: git:HEAD:tree\n' });
    const r = await cli(['explain', 'quay.io/a/b:1', '--scenario', join(d, 'git-root.yaml')]);
    expect(r.stdout).toContain('BLOCKED');
  });

  it.each([
    ['a missing tree', ['render', join(d, 'no-pulls.yaml'), '--root', join(d, 'nope')], 'is not a readable directory'],
    ['an unknown revision', ['run', join(d, 'world.yaml'), '--root', `git:nope:${join(d, 'tree')}`], 'unknown revision "nope"'],
  ])('bad --root: %s', async (_what, argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
