import { describe, expect, it } from 'vitest';
import { classify } from '../../src/compare/classify.js';
import { containerdViews, decideContainerd } from '../../src/compare/containerd-decisions.js';
import { MemoryFS } from '../../src/node-fs.js';
import { containerdProfile } from '../../src/runtime/containerd/profiles.js';
import { buildPki } from '../../sim/pki.js';

const CA = buildPki({ cas: { lab: {} }, file: 'test' }).caPems.lab;
const CONFIG_PATH = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
const MIRRORS = (endpoint: string) => `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["${endpoint}"]\n`;
const HOSTS = '/etc/containerd/certs.d/quay.io/hosts.toml';
const SERVER = 'server = "https://quay.io"\n';
const MIRROR = (extra = '') => `${SERVER}\n[host."https://m.example.com"]\n  capabilities = ["pull", "resolve"]\n${extra}`;
const IMAGE = 'quay.io/a/b:1';
const DIGESTED = `quay.io/a/b@sha256:${'a'.repeat(64)}`;

/** A containerd node: config.toml (or none) and files by path. */
function node(config: string | null, files: Record<string, string> = {}): MemoryFS {
  return new MemoryFS({ ...(config !== null && { '/etc/containerd/config.toml': config }), ...files });
}

function decide(fs: MemoryFS, image = IMAGE, release?: string) {
  return decideContainerd(fs, containerdProfile(release), image);
}

function compared(a: MemoryFS, b: MemoryFS, image = IMAGE, releases: [string?, string?] = []) {
  return classify(...containerdViews(decide(a, image, releases[0]), decide(b, image, releases[1])));
}

describe('certain failures: what containerd refuses before any request', () => {
  it.each([
    ['a ca file that does not exist (ConfigureHosts fails every pull of the registry)', node(CONFIG_PATH, { [HOSTS]: MIRROR('  ca = "missing.crt"\n') }), IMAGE, /unable to read CA cert "\/etc\/containerd\/certs.d\/quay.io\/missing.crt"/],
    ['a ca file that holds no certificate', node(CONFIG_PATH, { [HOSTS]: MIRROR('  ca = "ca.crt"\n'), '/etc/containerd/certs.d/quay.io/ca.crt': 'not a certificate\n' }), IMAGE, /unable to load CA cert/],
    ['no host can resolve a tag', node(CONFIG_PATH, { [HOSTS]: `${SERVER}capabilities = ["pull"]\n[host."https://m.example.com"]\n  capabilities = ["pull"]\n` }), IMAGE, /no host has the pull and resolve capabilities a tag needs/],
    ['mirrors next to config_path: the CRI plugin does not load', node(`${CONFIG_PATH}[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["https://m.example.com"]\n`), IMAGE, /mirrors/],
    ['a config.toml that does not parse: containerd does not start', node('version = 2\n[plugins\n'), IMAGE, /config\.toml/],
    ['a reference containerd rejects', node(CONFIG_PATH), 'quay.io/A/b:1', /repository name must be lowercase/],
  ] as const)('%s', (_what, fs, image, failure) => {
    expect(decide(fs, image).certainFailure).toMatch(failure);
  });

  it.each([
    ['a hosts.toml that does not decode is logged and ignored (the registry itself is tried)', node(CONFIG_PATH, { [HOSTS]: '[host."https://m.example.com"\n' }), ['https://quay.io/v2']],
    ['1.x: a hosts.toml without a [host] table is logged and ignored', node(CONFIG_PATH, { [HOSTS]: 'server = "https://m.example.com"\n' }), ['https://quay.io/v2']],
    ['a pull-only mirror is not tried for a tag', node(CONFIG_PATH, { [HOSTS]: `${SERVER}\n[host."https://m.example.com"]\n  capabilities = ["pull"]\n` }), ['https://quay.io/v2']],
    ['no config.toml in 1.x: no hosts folder is read', node(null, { [HOSTS]: MIRROR() }), ['https://quay.io/v2']],
  ])('not a certain failure: %s', (_what, fs, sources) => {
    const d = decide(fs);
    expect(d.certainFailure).toBeNull();
    expect(d.sources).toEqual(sources);
  });

  it('a pull-only mirror serves a digest pull, first', () => {
    expect(decide(node(CONFIG_PATH, { [HOSTS]: `${SERVER}\n[host."https://m.example.com"]\n  capabilities = ["pull"]\n` }), DIGESTED).sources).toEqual(['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2']);
  });
});

describe('classes: breaks, fixes, changes source, changes decisions only', () => {
  const plain = node(CONFIG_PATH, { [HOSTS]: SERVER.replace('server', '[host."https://quay.io"]\n') });
  const mirrored = node(CONFIG_PATH, { [HOSTS]: MIRROR() });
  const pullOnlyServer = `${SERVER}capabilities = ["pull"]\n`;
  it.each([
    ['a mirror added in hosts.toml changes the source', node(CONFIG_PATH), mirrored, 'changes source'],
    ['skip_verify flipped on a host changes a decision only', mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR('  skip_verify = true\n') }), 'changes decisions only'],
    ['a header added changes a decision only', mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR('  [host."https://m.example.com".header]\n    X-Team = "a"\n') }), 'changes decisions only'],
    ['override_path changes the host path: the source', mirrored, node(CONFIG_PATH, { [HOSTS]: `${SERVER}\n[host."https://m.example.com/quay/v2"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n` }), 'changes source'],
    ['a host removed while the upstream still resolves changes the source', mirrored, node(CONFIG_PATH, { [HOSTS]: `${SERVER}\n[host."https://quay.io"]\n` }), 'changes source'],
    ['the only host that resolves removed breaks', node(CONFIG_PATH, { [HOSTS]: `${pullOnlyServer}\n[host."https://m.example.com"]\n  capabilities = ["pull", "resolve"]\n` }), node(CONFIG_PATH, { [HOSTS]: `${pullOnlyServer}\n[host."https://quay.io"]\n  capabilities = ["pull"]\n` }), 'breaks'],
    ['a missing ca file breaks', mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR('  ca = "ca.crt"\n') }), 'breaks'],
    ['the ca file written fixes', node(CONFIG_PATH, { [HOSTS]: MIRROR('  ca = "ca.crt"\n') }), node(CONFIG_PATH, { [HOSTS]: MIRROR('  ca = "ca.crt"\n'), '/etc/containerd/certs.d/quay.io/ca.crt': CA }), 'fixes'],
    ['a hosts.toml for another registry changes nothing', mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR(), '/etc/containerd/certs.d/ghcr.io/hosts.toml': MIRROR('  skip_verify = true\n') }), null],
    ['the same files change nothing', mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR() }), null],
    ['plain upstream against itself changes nothing', plain, node(CONFIG_PATH, { [HOSTS]: SERVER.replace('server', '[host."https://quay.io"]\n') }), null],
  ])('%s', (_what, a, b, cls) => {
    expect(compared(a, b)?.class ?? null).toBe(cls);
  });

  it('a mirror removed from a digest pull where the upstream only pulls: the source changes, nothing breaks', () => {
    const a = node(CONFIG_PATH, { [HOSTS]: `${pullOnlyServer}\n[host."https://m.example.com"]\n  capabilities = ["pull", "resolve"]\n` });
    const b = node(CONFIG_PATH, { [HOSTS]: `${pullOnlyServer}\n[host."https://quay.io"]\n  capabilities = ["pull"]\n` });
    expect(compared(a, b, DIGESTED)?.class).toBe('changes source');
  });

  it('skip_verify names its host and both values', () => {
    const c = compared(mirrored, node(CONFIG_PATH, { [HOSTS]: MIRROR('  skip_verify = true\n') }));
    expect(c?.fields).toEqual([{ field: 'hosts[0].skipVerify', old: 'false', new: 'true' }]);
  });
});

describe('deprecated mirrors and config_path: which one containerd reads', () => {
  const legacy = node(MIRRORS('https://m.example.com'));
  it.each([
    ['legacy mirrors alone: the endpoint, then the registry', legacy, ['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2'], null],
    ['config_path with the same mirror in hosts.toml: the same hosts', node(CONFIG_PATH, { [HOSTS]: MIRROR() }), ['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2'], null],
    ['config_path set next to mirrors: refused (fatal for the CRI plugin)', node(`${CONFIG_PATH}[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["https://m.example.com"]\n`, { [HOSTS]: MIRROR() }), ['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2'], /mirrors/],
  ])('%s', (_what, fs, sources, failure) => {
    const d = decide(fs);
    expect(d.sources).toEqual(sources);
    if (failure === null) expect(d.certainFailure).toBeNull();
    else expect(d.certainFailure).toMatch(failure);
  });

  it.each([
    ['moving the mirror from mirrors to a hosts.toml changes where it came from only', legacy, node(CONFIG_PATH, { [HOSTS]: MIRROR() }), 'changes decisions only', ['mode', 'hosts[0].origin']],
    ['adding config_path next to the mirrors breaks', legacy, node(`${CONFIG_PATH}[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["https://m.example.com"]\n`, { [HOSTS]: MIRROR() }), 'breaks', ['config.invalid']],
    ['removing the legacy mirror changes the source', legacy, node(null), 'changes source', ['hosts[0].url']],
  ])('%s', (_what, a, b, cls, someFields) => {
    const c = compared(a, b);
    expect(c?.class).toBe(cls);
    for (const f of someFields) expect(c?.fields.map((x) => x.field)).toContain(f);
  });
});

describe('releases: each side decides as its containerd release', () => {
  const serverOnly = node('version = 3\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d"\n', { [HOSTS]: 'server = "https://m.example.com"\n' });
  it('a hosts.toml without [host]: ignored by 1.7, read by 2.0 — the upgrade changes the source', () => {
    const c = compared(serverOnly, serverOnly, IMAGE, ['1.7', '2.0']);
    expect(c?.class).toBe('changes source');
    expect(c?.fields.map((f) => f.field)).toContain('release');
  });

  it('no config.toml: 1.6 reads no hosts folder, 2.0 reads /etc/containerd/certs.d by default', () => {
    const fs = node(null, { [HOSTS]: MIRROR() });
    expect(compared(fs, fs, IMAGE, ['1.6', '2.0'])?.class).toBe('changes source');
    expect(decide(fs, IMAGE, '2.0').sources).toEqual(['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2']);
  });
});

describe('credentials and headers: named, never shown', () => {
  const PASSWORD = 'Hunter2-Pa55word';
  const TOKEN = 'tok-0123456789';
  const kubelet = (registry: string) => ({ '/var/lib/kubelet/config.json': JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`robot:${PASSWORD}`).toString('base64') } } }) });
  const header = (value: string) => node(CONFIG_PATH, { [HOSTS]: MIRROR(`  [host."https://m.example.com".header]\n    Authorization = "Bearer ${value}"\n    X-Team = "a"\n`) });

  it('a kubelet credential for the registry changes a decision only, named by its source', () => {
    const c = compared(node(CONFIG_PATH, { [HOSTS]: MIRROR() }), node(CONFIG_PATH, { [HOSTS]: MIRROR(), ...kubelet('quay.io') }));
    expect(c?.class).toBe('changes decisions only');
    expect(c?.fields).toContainEqual({ field: 'hosts[0].credential', old: null, new: expect.stringContaining('/var/lib/kubelet/config.json') });
    expect(JSON.stringify(c)).not.toContain(PASSWORD);
  });

  it('config.toml configs auth is the credential of its host only', () => {
    const conf = `${MIRRORS('https://m.example.com')}[plugins."io.containerd.grpc.v1.cri".registry.configs."m.example.com".auth]\n  username = "robot"\n  password = "${PASSWORD}"\n`;
    const d = decide(node(conf));
    const facts = d.facts();
    expect(facts.get('hosts[0].credential')).toContain('user robot');
    expect(facts.has('hosts[1].credential')).toBe(false);
    expect(JSON.stringify([...facts])).not.toContain(PASSWORD);
  });

  it('a changed Authorization header value is a change, with neither value shown', () => {
    const c = compared(header(TOKEN), header('tok-other'));
    expect(c?.class).toBe('changes decisions only');
    expect(c?.fields).toEqual([{ field: 'hosts[0].headers[0]', old: 'Authorization: <redacted>', new: 'Authorization: <redacted> (another value than old)' }]);
    expect(JSON.stringify(c)).not.toMatch(/tok-/);
  });

  it.each([
    ['a credential header of the wrong type', `Authorization = { bearer = "${TOKEN}" }`, 'invalid type <redacted> for header "Authorization"'],
    ['a list element that is not a string', `X-Token = ["a", { t = "${TOKEN}" }]`, 'unable to cast <redacted> to string'],
    ['another header of the wrong type keeps containerd\'s words', 'X-Team = 5', 'invalid type 5 for header "X-Team"'],
  ])('a hosts.toml ignored for %s: the error is named, a value is not', (_what, line, logged) => {
    const d = decide(node(CONFIG_PATH, { [HOSTS]: MIRROR(`  [host."https://m.example.com".header]\n    ${line}\n`) }));
    expect(d.facts().get('hostsDir.ignoredHostsToml')).toBe(logged);
    expect(JSON.stringify([...d.facts()])).not.toContain(TOKEN);
  });

  it('an unchanged secret header is no change, and its value is in no fact', () => {
    expect(compared(header(TOKEN), header(TOKEN))).toBeNull();
    expect(JSON.stringify([...decide(header(TOKEN)).facts()])).not.toContain(TOKEN);
    expect(decide(header(TOKEN)).facts().get('hosts[0].headers[1]')).toBe('X-Team: a');
  });
});

describe('kept loads: config, hosts and keyring are read once per node, again when a file changes', () => {
  it.each([
    ['a hosts.toml written', HOSTS, MIRROR(), (d: ReturnType<typeof decide>) => d.sources, ['https://quay.io/v2'], ['https://m.example.com/v2?ns=quay.io', 'https://quay.io/v2']],
    ['config_path removed from config.toml', '/etc/containerd/config.toml', 'version = 2\n', (d: ReturnType<typeof decide>) => d.facts().get('mode'), 'config_path', 'legacy'],
    ['a kubelet credential written', '/var/lib/kubelet/config.json', JSON.stringify({ auths: { 'quay.io': { auth: Buffer.from('u:p').toString('base64') } } }), (d: ReturnType<typeof decide>) => d.facts().has('kubeletCredentials[0]'), false, true],
  ] as const)('%s', (_what, path, content, read, before, after) => {
    const fs = node(CONFIG_PATH);
    expect(read(decide(fs))).toEqual(before);
    expect(read(decide(fs, 'quay.io/other/image:2'))).toEqual(before);
    fs.write(path, content);
    expect(read(decide(fs))).toEqual(after);
  });
});
