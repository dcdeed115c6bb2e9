/**
 * containerd's hosts directory and hosts.toml rules (remotes/docker/config hosts.go) and the
 * CRI registry section of config.toml, read from small in-memory nodes.
 */
import { describe, expect, it } from 'vitest';
import { MemoryFS } from '../../src/node-fs.js';
import { loadCriRegistryConfig } from '../../src/runtime/containerd/config-toml.js';
import { hostDirFor, loadHostDir } from '../../src/runtime/containerd/hosts-dir.js';
import { HostsTomlError, parseHostsToml } from '../../src/runtime/containerd/hosts-toml.js';
import { containerdProfile } from '../../src/runtime/containerd/profiles.js';
import { configPathRoots, hostTls, isLocalhost, registryHosts } from '../../src/runtime/containerd/registry-hosts.js';

const P16 = containerdProfile('1.6.20');
const P20 = containerdProfile('2.0');
const ROOT = '/etc/containerd/certs.d';

function decodeError(src: string, profile = P16): string {
  try {
    parseHostsToml(src, '/d', profile);
  } catch (e) {
    if (e instanceof HostsTomlError) return e.message;
    throw e;
  }
  return 'no error';
}

const urls = (fs: MemoryFS, registry: string, profile = P16) =>
  registryHosts(fs, registry, { roots: [ROOT] }, profile).hosts.map((h) => `${h.scheme}://${h.host}${h.path}`);

describe('hosts folder lookup: host_port_, then host:port, then _default; first that exists', () => {
  it.each<[string[], string, string | undefined]>([
    [['harbor.test_5443_/x', 'harbor.test:5443/x', '_default/x'], 'harbor.test:5443', `${ROOT}/harbor.test_5443_`],
    [['harbor.test:5443/x', '_default/x'], 'harbor.test:5443', `${ROOT}/harbor.test:5443`],
    [['harbor.test/x', '_default/x'], 'harbor.test:5443', `${ROOT}/_default`],
    [['harbor.test/x'], 'harbor.test:5443', undefined],
    [['harbor.test/x'], 'harbor.test', `${ROOT}/harbor.test`],
  ])('%j for %s → %s', (dirs, host, want) => {
    const fs = new MemoryFS(Object.fromEntries(dirs.map((d) => [`${ROOT}/${d}`, ''])));
    expect(hostDirFor(fs, [ROOT], host).dir).toBe(want);
  });
});

describe('hosts.toml without a [host] table: rejected and ignored in 1.x, read in 2.x', () => {
  it.each<[string, string]>([
    ['server = "http://plain.test:5001"\n', 'invalid `host` tree'],
    ['skip_verify = true\n', 'invalid `host` tree'],
    ['ca = 5\n', 'invalid `host` tree'],
    ['server = "http://plain.test:5001"\n[host]\n', 'no error'],
  ])('1.6 %j → %s', (src, want) => {
    expect(decodeError(src)).toBe(want);
  });
  it('2.0 reads a server-only file', () => {
    expect(parseHostsToml('server = "http://plain.test:5001"\n', '/d', P20).map((h) => `${h.scheme}://${h.host}${h.path}`)).toEqual(['http://plain.test:5001/v2']);
  });
  it('1.6: the folder falls back to its certificate files, and the log line is containerd\'s', () => {
    const fs = new MemoryFS({ [`${ROOT}/plain.test:5001/hosts.toml`]: 'server = "http://plain.test:5001"\n', [`${ROOT}/plain.test:5001/ca.crt`]: 'x' });
    const r = loadHostDir(fs, `${ROOT}/plain.test:5001`, P16);
    expect(r.source).toBe('cert-files');
    expect(r.log).toEqual(['level=error msg="failed to decode hosts.toml" error="invalid `host` tree"']);
    expect(r.hosts[0].caCerts).toEqual([`${ROOT}/plain.test:5001/ca.crt`]);
  });
});

describe('hosts.toml decode errors, worded as containerd logs them (go-toml v1)', () => {
  it.each<[string, string]>([
    ['server = "http://plain.test:5001\n[host."http://x"]\n', 'failed to parse TOML: (1, 11): unescaped control character U+000A'],
    ['[host."http://x"]\n  capabilities = ["pull",\n', 'failed to parse TOML: (3, 1): unterminated array'],
    ['[host."http://x"]\n  capabilities = ["pull", "resolve"\n', 'failed to parse TOML: (3, 1): unterminated array'],
    ['[host."http://x"]\n  skip_verify = "true"\n', '(2, 3): Can\'t convert true(string) to bool'],
    ['[host."http://x"]\n  ca = 5\n', 'invalid type 5 for "ca"'],
    ['[host."http://x"]\n  capabilities = ["fetch"]\n', 'unknown capability fetch'],
    ['server = "http://plain.test:5001 bad"\n[host]\n', 'unable to parse server http://plain.test:5001 bad: parse "http://plain.test:5001 bad": invalid port ":5001 bad" after host'],
    ['[host."http://x"]\n  ca = ["a.crt", 5]\n', 'unable to cast 5 to string'],
  ])('%j', (src, want) => {
    expect(decodeError(src)).toBe(want);
  });
});

describe('host entries: [host] tables in file order, the server (or the registry) always last', () => {
  it.each<[string, string, string[]]>([
    ['[host."http://b:1"]\n[host."http://a:1"]\n', 'up.test', ['http://b:1/v2', 'http://a:1/v2', 'https://up.test/v2']],
    ['server = "https://up.test"\n[host."mirror.test"]\n', 'up.test', ['https://mirror.test/v2', 'https://up.test/v2']],
    ['[host."https://m.test/custom"]\n  override_path = true\n', 'up.test', ['https://m.test/custom', 'https://up.test/v2']],
    ['[host."https://m.test/proxy"]\n', 'up.test', ['https://m.test/proxy/v2', 'https://up.test/v2']],
    ['[host."https://m.test"]\n', 'docker.io', ['https://m.test/v2', 'https://registry-1.docker.io/v2']],
  ])('%j for %s', (src, registry, want) => {
    const fs = new MemoryFS({ [`${ROOT}/${registry}/hosts.toml`]: src });
    expect(urls(fs, registry)).toEqual(want);
  });
  it('capabilities default to pull, resolve, push; a relative ca is joined to the folder', () => {
    const [h] = parseHostsToml('[host."https://m.test"]\n  ca = "ca.crt"\n  capabilities = ["pull"]\n', '/etc/containerd/certs.d/up.test', P16);
    expect(h.capabilities).toEqual(['pull']);
    expect(h.caCerts).toEqual(['/etc/containerd/certs.d/up.test/ca.crt']);
    expect(parseHostsToml('[host."https://m.test"]\n', '/d', P16)[0].capabilities).toEqual(['pull', 'resolve', 'push']);
  });
});

describe('the default host when no folder names a server: loopback and localhost get http without verification', () => {
  it.each<[string, string, boolean]>([
    ['127.0.0.1:5001', 'http://127.0.0.1:5001/v2', true],
    ['localhost:5001', 'http://localhost:5001/v2', true],
    ['[::1]:5001', 'http://[::1]:5001/v2', true],
    ['plain.test:5001', 'https://plain.test:5001/v2', false],
    ['docker.io', 'https://registry-1.docker.io/v2', false],
  ])('%s → %s', (registry, url, skip) => {
    const [h] = registryHosts(new MemoryFS(), registry, { roots: [ROOT] }, P16).hosts;
    expect(`${h.scheme}://${h.host}${h.path}`).toBe(url);
    expect(h.skipVerify).toBe(skip);
    expect(isLocalhost(registry)).toBe(skip);
  });
});

describe('CA files are read when the client is built: a missing or non-PEM file fails the pull', () => {
  it.each<[Record<string, string>, string]>([
    [{}, 'unable to read CA cert "/etc/containerd/certs.d/h.test/ca.crt": open /etc/containerd/certs.d/h.test/ca.crt: no such file or directory'],
    [{ '/etc/containerd/certs.d/h.test/ca.crt': 'garbage' }, 'unable to load CA cert "/etc/containerd/certs.d/h.test/ca.crt"'],
  ])('%j', (files, want) => {
    const fs = new MemoryFS({ ...files, [`${ROOT}/h.test/hosts.toml`]: '[host."https://h.test"]\n  ca = "ca.crt"\n' });
    const plan = registryHosts(fs, 'h.test', { roots: [ROOT] }, P16);
    expect(() => hostTls(fs, plan, plan.hosts[0], [])).toThrow(want);
  });
});

describe('config.toml: config_path, the deprecated mirrors and configs, and what the CRI plugin refuses', () => {
  const cfg = (body: string) => new MemoryFS({ '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n${body}` });
  it.each<[string, string | undefined, string[]]>([
    ['config_path = "/etc/containerd/certs.d"\n', undefined, []],
    ['config_path = "/a"\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\nendpoint = ["https://m"]\n', '`mirrors` cannot be set when `config_path` is provided', []],
    ['config_path = "/a"\n[plugins."io.containerd.grpc.v1.cri".registry.configs."h".tls]\ninsecure_skip_verify = true\n', '`configs.tls` cannot be set when `config_path` is provided', []],
    ['[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\nendpoint = ["https://m"]\n', undefined, ['level=warning msg="`mirrors` is deprecated, please use `config_path` instead"']],
  ])('%j', (body, invalid, log) => {
    const c = loadCriRegistryConfig(cfg(body), P16);
    expect(c.invalid).toBe(invalid);
    expect(c.log).toEqual(log);
  });
  it.each<[string, string]>([
    ['1.6.20', ''],
    ['1.7', ''],
    ['2.0', '/etc/containerd/certs.d:/etc/docker/certs.d'],
  ])('without config.toml, %s uses config_path %j', (v, want) => {
    expect(loadCriRegistryConfig(new MemoryFS(), containerdProfile(v)).configPath).toBe(want);
    expect(configPathRoots(want)).toEqual(want ? want.split(':') : []);
  });
  it('legacy mirrors: endpoints first, the registry appended unless listed, localhost endpoints default to http', () => {
    const fs = cfg('[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\nendpoint = ["localhost:5000", "https://m.test"]\n');
    const c = loadCriRegistryConfig(fs, P16);
    const plan = registryHosts(fs, 'docker.io', { roots: [], legacy: c }, P16);
    expect(plan.hosts.map((h) => `${h.scheme}://${h.host}${h.path} ${h.capabilities.join('+')}`)).toEqual([
      'http://localhost:5000/v2 pull+resolve',
      'https://m.test/v2 pull+resolve',
      'https://registry-1.docker.io/v2 pull+resolve',
    ]);
  });
});

describe('release profiles: the status wording changed in 1.6.25; 2.x ranks errors', () => {
  it.each<[string | undefined, boolean, boolean, boolean]>([
    [undefined, true, false, false],
    ['1.6.24', true, false, false],
    ['1.6.25', false, false, true],
    ['1.6', false, false, true],
    ['1.7.27', false, false, true],
    ['2.0', false, true, true],
  ])('%s', (v, hostStatus, priority, tlsPrefix) => {
    const p = containerdProfile(v);
    expect([p.hostStatusWording, p.errorPriority, p.goTlsVerifyPrefix]).toEqual([hostStatus, priority, tlsPrefix]);
  });
  it.each([['1.5'], ['3.0'], ['latest'], ['1.6.x']])('%j is refused, naming what is accepted', (v) => {
    expect(() => containerdProfile(v, 'x.yaml')).toThrow(/accepted: 1\.6, 1\.7, 2\.0, 2\.1/);
  });
});
