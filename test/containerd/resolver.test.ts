/**
 * containerd's resolver, fetcher and CRI wrapping against the fake registries: which host is
 * tried, which error wins per release, the status wording per patch release, the gRPC code the
 * kubelet keeps, mirrors with ?ns=, capabilities, auth (basic, bearer, legacy configs.auth).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const CONFIG_PATH = `
    /etc/containerd/config.toml: |
      version = 2
      [plugins."io.containerd.grpc.v1.cri".registry]
        config_path = "/etc/containerd/certs.d"`;

interface Case {
  version: string;
  registries: string;
  files?: string;
  image: string;
  cas?: boolean;
}

async function pull(c: Case) {
  const text = `
name: t
runtime: containerd
versions: { containerd: "${c.version}" }
${c.cas ? 'cas: { lab: {} }' : ''}
images: { tiny: {} }
registries:
${c.registries}
node:
  files:${CONFIG_PATH}${c.files ?? ''}
pulls:
  - image: ${c.image}
`;
  const report = await runScenario(loadScenarioText(text, 't.yaml'));
  return report.pulls[0];
}

const UP_DOWN_MIRROR_404 = `
  up: { host: "up.test:5999", ip: 10.0.0.20, tls: false, faults: { down: true }, images: { "tiny:1": tiny } }
  mirror: { host: "mirror.test:5000", ip: 10.0.0.21, tls: false, images: { "other:1": tiny } }`;
const MIRROR_FIRST = `
    /etc/containerd/certs.d/up.test:5999/hosts.toml: |
      server = "http://up.test:5999"
      [host."http://mirror.test:5000"]`;

describe('which error wins when every host fails: 1.x the first recorded (a 404 records none), 2.x the most relevant', () => {
  it.each<[string, string]>([
    ['1.6.20', 'rpc error: code = Unknown desc = failed to pull and unpack image "up.test:5999/tiny:1": failed to resolve reference "up.test:5999/tiny:1": failed to do request: Head "http://up.test:5999/v2/tiny/manifests/1": dial tcp 10.0.0.20:5999: connect: connection refused'],
    ['1.7', 'rpc error: code = Unknown desc = failed to pull and unpack image "up.test:5999/tiny:1": failed to resolve reference "up.test:5999/tiny:1": failed to do request: Head "http://up.test:5999/v2/tiny/manifests/1": dial tcp 10.0.0.20:5999: connect: connection refused'],
    ['2.0', 'rpc error: code = NotFound desc = failed to pull and unpack image "up.test:5999/tiny:1": failed to resolve reference "up.test:5999/tiny:1": up.test:5999/tiny:1: not found'],
  ])('%s: mirror 404, upstream refused', async (version, error) => {
    const p = await pull({ version, registries: UP_DOWN_MIRROR_404, files: MIRROR_FIRST, image: 'up.test:5999/tiny:1' });
    expect(p.error).toBe(error);
    expect(p.attempts.map((a) => a.source)).toEqual(['mirror.test:5000/tiny:1', 'up.test:5999/tiny:1']);
  });
});

const MIRRORS_DOWN = `
  up: { host: "up.test:5999", ip: 10.0.0.20, tls: false, faults: { down: true }, images: { "tiny:1": tiny } }
  down: { host: "down.test:5009", ip: 10.0.0.22, tls: false, faults: { down: true }, images: { "tiny:1": tiny } }`;

describe('mirror requests carry ?ns=<registry>; the registry itself does not', () => {
  it('mirror down and upstream down: the mirror error (first) names ?ns=', async () => {
    const p = await pull({
      version: '1.6.20',
      registries: MIRRORS_DOWN,
      files: `
    /etc/containerd/certs.d/up.test:5999/hosts.toml: |
      [host."http://down.test:5009"]`,
      image: 'up.test:5999/tiny:1',
    });
    expect(p.error).toContain('failed to resolve reference "up.test:5999/tiny:1": failed to do request: Head "http://down.test:5009/v2/tiny/manifests/1?ns=up.test%3A5999": dial tcp 10.0.0.22:5009: connect: connection refused');
    expect(p.attempts[1].error).toBe('failed to do request: Head "https://up.test:5999/v2/tiny/manifests/1": dial tcp 10.0.0.20:5999: connect: connection refused');
  });
});

const BASIC = `
  auth: { host: "auth.test:5002", ip: 10.0.0.40, tls: false, auth: { type: basic, users: { alice: s3cret } }, images: { "tiny:1": tiny } }`;
const BASIC_HTTP = `
    /etc/containerd/certs.d/auth.test:5002/hosts.toml: |
      server = "http://auth.test:5002"
      [host]`;

describe('status errors: ≤1.6.24 "pulling from host …", later "unexpected status from HEAD request to …"', () => {
  it.each<[string, string]>([
    ['1.6.20', 'rpc error: code = Unknown desc = failed to pull and unpack image "auth.test:5002/tiny:1": failed to resolve reference "auth.test:5002/tiny:1": pulling from host auth.test:5002 failed with status code [manifests 1]: 401 Unauthorized'],
    ['1.6.25', 'rpc error: code = Unknown desc = failed to pull and unpack image "auth.test:5002/tiny:1": failed to resolve reference "auth.test:5002/tiny:1": unexpected status from HEAD request to http://auth.test:5002/v2/tiny/manifests/1: 401 Unauthorized'],
    ['2.0', 'failed to pull and unpack image "auth.test:5002/tiny:1": failed to resolve reference "auth.test:5002/tiny:1": unexpected status from HEAD request to http://auth.test:5002/v2/tiny/manifests/1: 401 Unauthorized'],
  ])('%s, basic auth without credentials', async (version, error) => {
    const p = await pull({ version, registries: BASIC, files: BASIC_HTTP, image: 'auth.test:5002/tiny:1' });
    expect(p.error).toBe(error);
  });
});

describe('credentials: the kubelet\'s per pull, else the deprecated registry.configs auth', () => {
  it.each<[string, string, 'pulled' | 'failed']>([
    ['kubelet config.json', `
    /var/lib/kubelet/config.json: |
      { "auths": { "auth.test:5002": { "auth": "YWxpY2U6czNjcmV0" } } }`, 'pulled'],
    ['configs.auth, no config_path', `
    /etc/containerd/config.toml: |
      version = 2
      [plugins."io.containerd.grpc.v1.cri".registry.mirrors."auth.test:5002"]
        endpoint = ["http://auth.test:5002"]
      [plugins."io.containerd.grpc.v1.cri".registry.configs."auth.test:5002".auth]
        username = "alice"
        password = "s3cret"`, 'pulled'],
    ['configs.auth with a wrong password', `
    /etc/containerd/config.toml: |
      version = 2
      [plugins."io.containerd.grpc.v1.cri".registry.mirrors."auth.test:5002"]
        endpoint = ["http://auth.test:5002"]
      [plugins."io.containerd.grpc.v1.cri".registry.configs."auth.test:5002".auth]
        username = "alice"
        password = "nope"`, 'failed'],
  ])('%s', async (_name, files, result) => {
    const text = `
name: t
runtime: containerd
images: { tiny: {} }
registries:${BASIC}
node:
  files:${files.includes('config.toml') ? files : CONFIG_PATH + BASIC_HTTP + files}
pulls:
  - image: auth.test:5002/tiny:1
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.result).toBe(result);
    expect(JSON.stringify(p)).not.toMatch(/s3cret|nope|YWxpY2U6czNjcmV0/);
  });
});

const BEARER = `
  reg: { host: "reg.test:5003", ip: 10.0.0.50, tls: false, auth: { type: bearer, users: { alice: s3cret }, access: { "private/*": [alice] } }, images: { "private/tiny:1": tiny } }`;
const BEARER_HTTP = `
    /etc/containerd/certs.d/reg.test:5003/hosts.toml: |
      server = "http://reg.test:5003"
      [host]`;

describe('bearer tokens: an anonymous token without access is "pull access denied", a refused password is the token fetch', () => {
  it.each<[string, string, string]>([
    ['1.6.20', '', 'failed to resolve reference "reg.test:5003/private/tiny:1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'],
    ['1.6.20', 'YWxpY2U6bm9wZQ==', 'failed to resolve reference "reg.test:5003/private/tiny:1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized'],
    ['1.7', 'YWxpY2U6bm9wZQ==', 'failed to resolve reference "reg.test:5003/private/tiny:1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to http://reg.test:5003/token?scope=repository%3Aprivate%2Ftiny%3Apull&service=reg.test%3A5003: 401 Unauthorized'],
    ['1.6.20', 'YWxpY2U6czNjcmV0', ''],
  ])('%s with auth %j', async (version, auth, error) => {
    const files = BEARER_HTTP + (auth ? `
    /var/lib/kubelet/config.json: |
      { "auths": { "reg.test:5003": { "auth": "${auth}" } } }` : '');
    const p = await pull({ version, registries: BEARER, files, image: 'reg.test:5003/private/tiny:1' });
    if (error) expect(p.error).toContain(error);
    else expect(p.result).toBe('pulled');
  });
});

describe('capabilities: a tag resolves only on hosts with resolve; a digest is fetched from pull-only mirrors', () => {
  const REGS = `
  up: { host: "up.test:5999", ip: 10.0.0.20, tls: false, faults: { down: true }, images: { "tiny:1": tiny } }
  mirror: { host: "mirror.test:5000", ip: 10.0.0.21, tls: false, images: { "tiny:1": tiny } }`;
  const FILES = `
    /etc/containerd/certs.d/up.test:5999/hosts.toml: |
      server = "http://up.test:5999"
      [host."http://mirror.test:5000"]
        capabilities = ["pull"]`;
  it.each<[string, 'pulled' | 'failed', string[]]>([
    ['up.test:5999/tiny:1', 'failed', ['up.test:5999/tiny:1']],
    ['up.test:5999/tiny@${digest:tiny}', 'pulled', ['mirror.test:5000/tiny@${digest:tiny}']],
  ])('%s', async (image, result, sources) => {
    const p = await pull({ version: '1.6.20', registries: REGS, files: FILES, image });
    expect(p.result).toBe(result);
    expect(p.attempts.map((a) => a.source.replace(/sha256:[0-9a-f]+/, '${digest:tiny}'))).toEqual(sources);
  });
});

describe('TLS wording follows the release\'s Go: 1.6.20 (go1.19) bare x509, 1.7 with "tls: failed to verify certificate: "', () => {
  it.each<[string, string]>([
    ['1.6.20', 'Head "https://h.test:5443/v2/tiny/manifests/1": x509: certificate signed by unknown authority'],
    ['1.7', 'Head "https://h.test:5443/v2/tiny/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority'],
  ])('%s', async (version, error) => {
    const p = await pull({ version, cas: true, registries: `
  h: { host: "h.test:5443", ip: 10.0.0.30, tls: { ca: lab }, images: { "tiny:1": tiny } }`, image: 'h.test:5443/tiny:1' });
    expect(p.error).toContain(error);
  });
});

describe('the kubelet on a containerd node: short names normalized, unparsable names never reach the CRI', () => {
  it('an upper-case repository is InvalidImageName', async () => {
    const p = await pull({ version: '1.6.20', registries: BASIC, image: 'auth.test:5002/Tiny:1' });
    expect(p.events).toContain('Error: InvalidImageName');
  });
  it('a short name is docker.io/library/…, dialled at registry-1.docker.io', async () => {
    const p = await pull({ version: '1.6.20', registries: BASIC, image: 'tiny:1' });
    expect(p.error).toBe('rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/tiny:1": failed to resolve reference "docker.io/library/tiny:1": failed to do request: Head "https://registry-1.docker.io/v2/library/tiny/manifests/1": dial tcp: lookup registry-1.docker.io: no such host');
  });
});

describe('config.toml the CRI plugin refuses: the kubelet meets no image service', () => {
  it.each<[string, string]>([
    ['1.6.20', 'rpc error: code = Unimplemented desc = unknown service runtime.v1.ImageService'],
    ['2.0', 'rpc error: code = Unimplemented desc = unknown service runtime.v1.ImageService'],
  ])('%s: mirrors and config_path together', async (version, error) => {
    const section = version.startsWith('2') ? 'io.containerd.cri.v1.images' : 'io.containerd.grpc.v1.cri';
    const text = `
name: t
runtime: containerd
versions: { containerd: "${version}" }
images: { tiny: {} }
registries:${BASIC}
node:
  files:
    /etc/containerd/config.toml: |
      version = ${version.startsWith('2') ? 3 : 2}
      [plugins."${section}".registry]
        config_path = "/etc/containerd/certs.d"
      [plugins."${section}".registry.mirrors."auth.test:5002"]
        endpoint = ["http://auth.test:5002"]
pulls:
  - image: auth.test:5002/tiny:1
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.error).toBe(error);
    expect(p.attempts).toEqual([]);
    expect(p.notes).toContain(`containerd log: level=warning msg="failed to load plugin ${version.startsWith('2') ? 'io.containerd.cri.v1.images' : 'io.containerd.grpc.v1.cri'}" error="invalid plugin config: \`mirrors\` cannot be set when \`config_path\` is provided"`);
  });
});

describe('a hosts.toml containerd cannot decode: its log line in the notes, the pull as without the file', () => {
  it.each<[string, string]>([
    ['[host."http://auth.test:5002"]\n        skip_verify = "true"', 'level=error msg="failed to decode hosts.toml" error="(2, 3): Can\'t convert true(string) to bool"'],
    ['[host."http://auth.test:5002"]\n        capabilities = ["fetch"]', 'level=error msg="failed to decode hosts.toml" error="unknown capability fetch"'],
  ])('%j', async (toml, log) => {
    const p = await pull({
      version: '1.6.20',
      registries: BASIC,
      files: `
    /etc/containerd/certs.d/auth.test:5002/hosts.toml: |
      ${toml}`,
      image: 'auth.test:5002/tiny:1',
    });
    expect(p.notes).toContain(`containerd log: ${log}`);
    expect(p.error).toContain('Head "https://auth.test:5002/v2/tiny/manifests/1": http: server gave HTTP response to HTTPS client');
  });
});

describe('pod imagePullSecrets reach containerd as the CRI auth', () => {
  it('a dockerconfigjson Secret named by the pull', async () => {
    const secret = JSON.stringify({ auths: { 'auth.test:5002': { auth: 'YWxpY2U6czNjcmV0' } } });
    const text = `
name: t
runtime: containerd
images: { tiny: {} }
registries:${BASIC}
node:
  files:${CONFIG_PATH}${BASIC_HTTP}
cluster:
  - apiVersion: v1
    kind: Secret
    metadata: { name: pull, namespace: default }
    type: kubernetes.io/dockerconfigjson
    stringData: { .dockerconfigjson: '${secret}' }
pulls:
  - image: auth.test:5002/tiny:1
    secrets: [pull]
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.result).toBe('pulled');
    expect(p.attempts[0].credential).toMatch(/^user alice from Secret default\/pull/);
  });
});

describe('fetch after resolve: platform choice in an index, content verified against its digest', () => {
  it.each<[string, string, string | undefined]>([
    ['{ platforms: [linux/amd64, linux/arm64] }', 'linux/arm64', undefined],
    ['{ platforms: [linux/amd64, linux/arm64] }', 'linux/s390x', 'rpc error: code = NotFound desc = failed to pull and unpack image "plain.test:5001/multi:1": no match for platform in manifest: not found'],
  ])('%s for %s', async (image, platform, error) => {
    const text = `
name: t
runtime: containerd
images: { multi: ${image} }
registries:
  plain: { host: "plain.test:5001", tls: false, images: { "multi:1": multi } }
node:
  files:${CONFIG_PATH}
    /etc/containerd/certs.d/plain.test:5001/hosts.toml: |
      server = "http://plain.test:5001"
      [host]
pulls:
  - image: plain.test:5001/multi:1
    platform: ${platform}
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.error).toBe(error ?? null);
  });
  it('a blob whose bytes do not match its digest fails the commit (gRPC FailedPrecondition)', async () => {
    const p = await pull({
      version: '1.6.20',
      registries: `
  plain: { host: "plain.test:5001", tls: false, faults: { corruptBlob: true }, images: { "tiny:1": tiny } }`,
      files: `
    /etc/containerd/certs.d/plain.test:5001/hosts.toml: |
      server = "http://plain.test:5001"
      [host]`,
      image: 'plain.test:5001/tiny:1',
    });
    expect(p.error).toMatch(/^rpc error: code = FailedPrecondition desc = failed to pull and unpack image "plain.test:5001\/tiny:1": failed commit on ref "(config|layer)-sha256:[0-9a-f]{64}": unexpected commit digest sha256:[0-9a-f]{64}, expected sha256:[0-9a-f]{64}: failed precondition$/);
  });
});

describe('the kubelet\'s back-off on a containerd node', () => {
  it('retryFor 2m: pulls again after 10s, 20s, …, with Back-off events between', async () => {
    const text = `
name: t
runtime: containerd
images: { tiny: {} }
registries:
  plain: { host: "plain.test:5001", tls: false, images: { "tiny:1": tiny } }
node:
  files:${CONFIG_PATH}
pulls:
  - image: plain.test:5001/tiny:1
    retryFor: 2m
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.events).toContain('Back-off pulling image "plain.test:5001/tiny:1"');
    expect(p.eventTable!.find((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull'))!.count).toBeGreaterThan(1);
  });
});

describe('2.x: http with TLS settings tries https first and falls back to http on a plain-HTTP answer (NewHTTPFallback)', () => {
  const REGS = `
  harbor: { host: "harbor.test:5443", ip: 127.0.0.22, tls: { ca: lab, names: [harbor.test] }, images: { "tiny:1": tiny } }
  plain: { host: "plain.test:5001", ip: 127.0.0.21, tls: false, images: { "tiny:1": tiny } }`;
  it.each<[string, string, string | undefined, string]>([
    ['1.6.20', '127.0.0.22:5443/tiny:1', 'pulling from host 127.0.0.22:5443 failed with status code [manifests 1]: 400 Bad Request', ''],
    ['2.0', '127.0.0.22:5443/tiny:1', undefined, ''],
    ['1.6.20', '127.0.0.21:5001/tiny:1', undefined, ''],
    ['2.0', '127.0.0.21:5001/tiny:1', undefined, ''],
    ['2.0', 'plain.test:5001/tiny:1', undefined, 'level=info msg="host will try HTTPS first since it is configured for HTTP with a TLS configuration, consider changing host to HTTPS or removing unused TLS configuration" host="plain.test:5001"'],
    ['1.6.20', 'plain.test:5001/tiny:1', undefined, ''],
  ])('%s %s', async (version, image, error, log) => {
    const p = await pull({
      version,
      cas: true,
      registries: REGS,
      files: `
    /etc/containerd/certs.d/plain.test:5001/hosts.toml: |
      server = "http://plain.test:5001"
      [host."http://plain.test:5001"]
        skip_verify = true`,
      image,
    });
    if (error) expect(p.error).toContain(error);
    else expect(p.result).toBe('pulled');
    if (log) expect(p.notes).toContain(`containerd log: ${log}`);
  });
});

describe("containerd's log while moving between hosts: 1.x and 2.x word it differently", () => {
  it.each<[string, string[]]>([
    ['1.6.20', ['level=info msg="trying next host - response was http.StatusNotFound" host="mirror.test:5000"', 'level=info msg="trying next host" error="failed to do request: Head \\"http://up.test:5999/v2/tiny/manifests/1\\": dial tcp 10.0.0.20:5999: connect: connection refused" host="up.test:5999"']],
    ['2.0', ['level=info msg="trying next host after status: 404 Not Found" host="mirror.test:5000"', 'level=info msg="fetch failed" error="failed to do request: Head \\"http://up.test:5999/v2/tiny/manifests/1\\": dial tcp 10.0.0.20:5999: connect: connection refused" host="up.test:5999"']],
  ])('%s', async (version, logs) => {
    const p = await pull({ version, registries: UP_DOWN_MIRROR_404, files: MIRROR_FIRST, image: 'up.test:5999/tiny:1' });
    expect(p.notes.filter((n) => n.startsWith('containerd log: level=info')).map((n) => n.slice('containerd log: '.length))).toEqual(logs);
  });
});

describe("the system trust store: a CA marked trusted is in the node's bundle, which Go's SystemCertPool reads", () => {
  it.each<[string, 'pulled' | 'failed']>([
    ['{ public: { trusted: true } }', 'pulled'],
    ['{ public: {} }', 'failed'],
  ])('cas: %s', async (cas, result) => {
    const text = `
name: t
runtime: containerd
cas: ${cas}
images: { tiny: {} }
registries:
  h: { host: "h.test:5443", tls: { ca: public }, images: { "tiny:1": tiny } }
node:
  files:${CONFIG_PATH}
pulls:
  - image: h.test:5443/tiny:1
`;
    const p = (await runScenario(loadScenarioText(text, 't.yaml'))).pulls[0];
    expect(p.result).toBe(result);
  });
});
