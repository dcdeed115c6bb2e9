/** `pullsim compare` on containerd nodes: trees, scenarios and git: specs, every output format, bad input. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { tempRepo } from '../compare/git-repo.js';
import { cli, tempTree } from './cli-harness.js';

const PASSWORD = 'Kubelet-Pa55word';
const CONFIG_PASSWORD = 'Config-Pa55word';
const TOKEN = 'Header-T0ken-value';
const TOKEN2 = 'Rotated-T0ken-value';
const AUTH = Buffer.from(`robot:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, CONFIG_PASSWORD, TOKEN, TOKEN2, AUTH, 'Bearer '];

const CONFIG = `version = 2
[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "/etc/containerd/certs.d"
[plugins."io.containerd.grpc.v1.cri".registry.configs."cache.example.com".auth]
  username = "cache"
  password = "${CONFIG_PASSWORD}"
`;
const hostsToml = (extra: string) => `server = "https://registry.example.com"

[host."https://cache.example.com"]
  capabilities = ["pull", "resolve"]
${extra}  [host."https://cache.example.com".header]
    Authorization = "Bearer ${TOKEN}"
`;
const OLD = {
  'etc/containerd/config.toml': CONFIG,
  'etc/containerd/certs.d/registry.example.com/hosts.toml': hostsToml(''),
  'var/lib/kubelet/config.json': JSON.stringify({ auths: { 'registry.example.com': { auth: AUTH } } }),
};
const NEW = { ...OLD, 'etc/containerd/certs.d/registry.example.com/hosts.toml': hostsToml('  skip_verify = true\n'), 'etc/containerd/certs.d/docker.io/hosts.toml': 'server = "https://registry-1.docker.io"\n\n[host."https://mirror.example.com"]\n' };
const IMAGES = 'registry.example.com/team/api:2\ndocker.io/library/nginx:1.25\nquay.io/ns/app:v1\n';
const prefixed = (dir: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, c]) => [`${dir}/${p}`, c]));

const tree = tempTree();
const { 'var/lib/kubelet/config.json': _kubelet, ...NO_KUBELET } = OLD;
// The kubelet's credential gone and the header token rotated: every secret-bearing decision differs.
const ROTATED = { ...NO_KUBELET, 'etc/containerd/certs.d/registry.example.com/hosts.toml': hostsToml('').replace(TOKEN, TOKEN2) };
const d = tree.write({ ...prefixed('old', OLD), ...prefixed('new', NEW), ...prefixed('no-kubelet', NO_KUBELET), ...prefixed('rotated', ROTATED), 'images.txt': IMAGES });
const base = ['compare', join(d, 'old'), join(d, 'new'), '--images', join(d, 'images.txt'), '--runtime', 'containerd'];
const WANT = [
  ['docker.io/library/nginx:1.25', 'changes source'],
  ['registry.example.com/team/api:2', 'changes decisions only'],
];

describe('compare --runtime containerd: two node trees', () => {
  it('--json lists the changed images with their class; the unchanged one is counted', async () => {
    const r = await cli([...base, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual(WANT);
    expect(doc.counts.unchanged).toBe(1);
    expect(doc.changes[1].fields).toEqual([{ field: 'hosts[0].skipVerify', old: 'false', new: 'true' }]);
    expect(doc.changes[0].new.sources).toEqual(['https://mirror.example.com/v2?ns=docker.io', 'https://registry-1.docker.io/v2']);
  });

  it('without --runtime a tree is decided as CRI-O, which reads no containerd file: nothing changed', async () => {
    const r = await cli(base.slice(0, -2));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 of 3 images changed');
  });

  it('--containerd picks the release of both sides', async () => {
    const doc = JSON.parse((await cli([...base, '--containerd', '2.0', '--json'])).stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual(WANT);
  });
});

describe('no output format shows a password, token or auth value', () => {
  // The credentials and the Authorization header differ, so they are in every report that lists fields.
  it.each([
    ['text', [] as string[], 'registry.example.com/team/api:2'],
    ['--json', ['--json'], 'Authorization: <redacted> (another value than old)'],
    ['--markdown', ['--markdown'], 'Authorization: <redacted> (another value than old)'],
  ])('%s, and the JUnit file written with it', async (_what, flags, shown) => {
    const junit = join(d, `junit-${flags.join('') || 'text'}.xml`);
    const r = await cli(['compare', join(d, 'old'), join(d, 'rotated'), '--images', join(d, 'images.txt'), '--runtime', 'containerd', ...flags, '--junit', junit, '--fail-on', 'changes']);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('Authorization: &lt;redacted&gt; (another value than old)');
    expect(xml).toContain('user cache (registry.configs auth, deprecated)');
    expect(r.stdout).toContain(shown);
    for (const s of SECRETS) {
      expect(r.stdout).not.toContain(s);
      expect(xml).not.toContain(s);
    }
  });

  it('the credential each host gets is named by its source: without the kubelet\'s, config.toml\'s for that host', async () => {
    const r = await cli(['compare', join(d, 'old'), join(d, 'no-kubelet'), '--images', join(d, 'images.txt'), '--runtime', 'containerd', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual([['registry.example.com/team/api:2', 'changes decisions only']]);
    const fields = Object.fromEntries(doc.changes[0].fields.map((f: { field: string; old: string; new: string }) => [f.field, [f.old, f.new]]));
    expect(fields['hosts[0].credential'][0]).toContain('/var/lib/kubelet/config.json');
    expect(fields['hosts[0].credential'][1]).toBe('user cache (registry.configs auth, deprecated)');
    expect(fields['hosts[1].credential']).toEqual([expect.stringContaining('/var/lib/kubelet/config.json'), null]);
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
  });
});

describe('git: trees, read through the same tree reader', () => {
  const repo = tempRepo();
  repo.write({ ...OLD, 'images.txt': IMAGES });
  repo.commit('base');
  repo.write({ ...NEW });

  it.each([
    ['git:HEAD against the working tree folder', (dir: string) => ['compare', `git:HEAD:${dir}`, dir, '--images', join(dir, 'images.txt'), '--runtime', 'containerd', '--json']],
    ['--git-base HEAD --root', (dir: string) => ['compare', '--git-base', 'HEAD', '--root', dir, '--images', join(dir, 'images.txt'), '--runtime', 'containerd', '--json']],
  ])('%s', async (_what, argv) => {
    const r = await cli(argv(repo.dir));
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image, c.class])).toEqual(WANT);
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
  });
});

const scenario = (name: string, release: string, hosts: string, registries = '') => `name: ${name}
runtime: containerd
versions: { containerd: "${release}" }
${registries}node:
  files:
    /etc/containerd/config.toml: |
      version = ${release.startsWith('2') ? 3 : 2}
      [plugins."io.containerd.${release.startsWith('2') ? 'cri.v1.images' : 'grpc.v1.cri'}".registry]
        config_path = "/etc/containerd/certs.d"
${hosts}`;
const SERVER_ONLY = '    /etc/containerd/certs.d/plain.example.com:5001/hosts.toml: |\n      server = "http://plain.example.com:5001"\n';
const WITH_HOST = `${SERVER_ONLY}      [host."http://plain.example.com:5001"]\n        capabilities = ["pull", "resolve"]\n`;
const WORLD = 'images: { tiny: {} }\nregistries:\n  plain: { host: "plain.example.com:5001", ip: 192.168.10.11, tls: false, images: { "tiny:1": tiny } }\n';
const PULLS = 'pulls:\n  - image: plain.example.com:5001/tiny:1\n';
const sc = tempTree();
const sd = sc.write({
  'v17.yaml': scenario('containerd 1.7', '1.7', SERVER_ONLY),
  'v20.yaml': scenario('containerd 2.0', '2.0', SERVER_ONLY),
  'crio.yaml': 'name: crio\nnode: { files: {} }\n',
  'world-old.yaml': scenario('without [host]', '1.6.20', SERVER_ONLY, WORLD) + PULLS,
  'world-new.yaml': scenario('with [host]', '1.6.20', WITH_HOST, WORLD) + PULLS,
  'images.txt': 'plain.example.com:5001/tiny:1\n',
});

describe('scenarios: runtime: containerd and versions.containerd choose, as for explain', () => {
  it('runtime: containerd on both sides needs no flag; each side decides as its release (1.7 ignores a hosts.toml without [host], 2.0 reads it)', async () => {
    const r = await cli(['compare', join(sd, 'v17.yaml'), join(sd, 'v20.yaml'), '--images', join(sd, 'images.txt'), '--json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe('decisions');
    expect(doc.changes.map((c: { class: string }) => c.class)).toEqual(['changes source']);
    expect(doc.changes[0].new.sources).toEqual(['http://plain.example.com:5001/v2']);
    expect(doc.changes[0].fields.map((f: { field: string }) => f.field)).toContain('release');
  });

  it('--containerd overrides both scenarios\' releases: then nothing differs', async () => {
    const r = await cli(['compare', join(sd, 'v17.yaml'), join(sd, 'v20.yaml'), '--images', join(sd, 'images.txt'), '--containerd', '2.0']);
    expect(r.stdout).toContain('0 of 1 image changed');
  });

  it('with fake registries the pulls run as containerd: the [host] table fixes the plain-HTTP pull', async () => {
    const r = await cli(['compare', join(sd, 'world-old.yaml'), join(sd, 'world-new.yaml'), '--json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe('outcomes');
    expect(doc.changes.map((c: { class: string }) => c.class)).toEqual(['fixes']);
    expect(doc.changes[0].old.failure).toContain('http: server gave HTTP response to HTTPS client');
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  it.each([
    ['an invalid --runtime', [...base.slice(0, -1), 'cri'], 'compare: --runtime "cri" is not accepted; accepted: crio, containerd'],
    ['a missing tree', ['compare', join(d, 'old'), join(d, 'nope'), '--images', join(d, 'images.txt'), '--runtime', 'containerd'], 'does not exist'],
    ['a release not emulated', [...base, '--containerd', '3.1'], '--containerd "3.1" is not emulated; accepted: 1.6, 1.7, 2.0, 2.1'],
    ['--containerd for CRI-O decisions', [...base.slice(0, -2), '--containerd', '1.7'], '--containerd applies to containerd nodes'],
    ['a containerd scenario against a CRI-O one', ['compare', join(sd, 'v17.yaml'), join(sd, 'crio.yaml'), '--images', join(sd, 'images.txt')], 'is a containerd node and'],
    ['--runtime against a world\'s own runtime', ['compare', join(sd, 'world-old.yaml'), join(sd, 'world-new.yaml'), '--runtime', 'crio'], 'runs its pulls as runtime: containerd'],
  ])('%s', async (_what, argv, message) => {
    const junit = join(d, 'bad-input.xml');
    const r = await cli([...argv, '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(junit)).toBe(false);
  });
});

describe('docs/compare.md example: examples/containerd-compare', () => {
  it('a Docker Hub mirror moves nginx, skip_verify changes a decision, the digest-only cache breaks the ghcr.io tag pull', async () => {
    const ex = join(packageRoot(), 'examples/containerd-compare');
    const r = await cli(['compare', join(ex, 'old'), join(ex, 'new'), '--images', join(ex, 'images.txt'), '--runtime', 'containerd', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { image: string; class: string }) => [c.image.split('@')[0], c.class])).toEqual([
      ['docker.io/library/nginx:1.25', 'changes source'],
      ['ghcr.io/org/tool:3', 'breaks'],
      ['ghcr.io/org/tool', 'changes source'],
      ['registry.example.com/team/api:2', 'changes decisions only'],
    ]);
    expect(doc.counts.unchanged).toBe(1);
    expect(doc.changes[1].new.failure).toBe('no host has the pull and resolve capabilities a tag needs');
    expect(r.stdout).not.toContain(Buffer.from('cm9ib3Q6czNjcmV0LXBhNTU=', 'base64').toString());
  });
});
