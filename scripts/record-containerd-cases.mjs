// The case list of the containerd recording (scripts/record-containerd.sh). Each case is a hosts
// directory (/etc/containerd/certs.d, the CRI plugin's config_path and ctr's --hosts-dir), an image
// reference and optional credentials (the kubelet's CRI auth; `ctr --user`). `{ ca: 'lab' }` stands for
// the lab CA's PEM. The lab: plain.test:5001 (HTTP), harbor.test:5443 (HTTPS, lab CA, cert names
// harbor.test only; wrongname.test is the same address), auth.test:5002 (HTTP, basic auth alice),
// token.test:5003 (HTTP, bearer tokens from token.test:5004; public/* anonymous), mirror.test:5005
// (HTTP), empty.test:5006 (HTTP, no images); nothing listens on down.test:5009, upstream.test:5999,
// registry-1.docker.io:443; flaky.test:5007 answers everything 503, ratelimited.test:5008 429.
// Every registry but those and empty serves tiny:1, public/tiny:1, private/tiny:1.

const CA = { ca: 'lab' };

/** The daemon's config.toml: the CRI plugin reads hosts.toml files under config_path. */
export const DEFAULT_CONFIG = `version = 2

[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "native"

[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "/etc/containerd/certs.d"
`;
/** The deprecated CRI registry settings (no config_path): ctr does not read config.toml, so these are CRI-only cases. */
const legacy = (registry) => `version = 2

[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "native"

${registry}`;
const R = 'plugins."io.containerd.grpc.v1.cri".registry';
const ALICE = { username: 'alice', password: 'wonderland' };
const WRONG = { username: 'alice', password: 'not-the-password' };
const http = (host, extra = '') => `[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n${extra}`;
const harborCa = '/etc/containerd/certs.d/harbor.test_5443_/ca.crt';
const BASIC_ALICE = Buffer.from('alice:wonderland').toString('base64');

/** @type {{group: string, name: string, what: string, image: string, files?: Record<string, string|{ca: string}>, auth?: {username: string, password: string}, config?: string}[]} */
export const CASES = [
  // ── plain HTTP ──────────────────────────────────────────────────────────────
  { group: 'http', name: 'no-config', what: 'HTTP registry by name, no hosts.toml: containerd speaks HTTPS', image: 'plain.test:5001/tiny:1' },
  { group: 'http', name: 'server-only', what: 'hosts.toml with only server = "http://…" (no [host] table): the file is rejected and ignored', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': 'server = "http://plain.test:5001"\n' } },
  { group: 'http', name: 'server-and-host-table', what: 'server = "http://…" plus a [host."http://…"] table', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': `server = "http://plain.test:5001"\n\n${http('plain.test:5001')}` } },
  { group: 'http', name: 'host-table-only', what: 'only a [host."http://…"] table, no server line: the host table is tried first', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': http('plain.test:5001') } },
  { group: 'http', name: 'server-and-empty-host-table', what: 'server = "http://…" plus an empty [host] table: the file loads, server is used', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': 'server = "http://plain.test:5001"\n\n[host]\n' } },
  { group: 'http', name: 'host-table-without-scheme', what: 'a [host."plain.test:5001"] table without scheme means https', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '[host."plain.test:5001"]\n  capabilities = ["pull", "resolve"]\n' } },
  { group: 'http', name: 'https-server-for-http-registry', what: 'server = "https://…" with a host table for an HTTP registry', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': `server = "https://plain.test:5001"\n\n[host."https://plain.test:5001"]\n  capabilities = ["pull", "resolve"]\n` } },
  { group: 'http', name: 'http-host-for-tls-registry', what: 'a [host."http://…"] table for a registry that speaks TLS', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': http('harbor.test:5443') } },

  // ── loopback and reference rules ─────────────────────────────────────────────
  { group: 'loopback', name: 'ip-http-default', what: 'a loopback IP defaults to plain HTTP without any hosts.toml', image: '127.0.0.21:5001/tiny:1' },
  { group: 'loopback', name: 'ip-tls-port', what: 'a loopback IP whose port speaks TLS: HTTP is sent to it', image: '127.0.0.22:5443/tiny:1' },
  { group: 'loopback', name: 'name-resolving-to-loopback', what: 'a DNS name that resolves to 127.0.0.x does not get the loopback default', image: 'mirror.test:5005/tiny:1' },
  { group: 'reference', name: 'uppercase-repository', what: 'an invalid reference fails before any request', image: 'plain.test:5001/Tiny:1' },
  { group: 'reference', name: 'short-name', what: 'a short name is docker.io/library/…; registry-1.docker.io is sunk to a loopback address where nothing listens', image: 'tiny:1' },
  { group: 'reference', name: 'docker-io-no-network', what: 'docker.io/library/tiny:1 goes to registry-1.docker.io (sunk to loopback, refused)', image: 'docker.io/library/tiny:1' },

  // ── not found ────────────────────────────────────────────────────────────────
  { group: 'notfound', name: 'tag', what: 'a missing tag (server and host table name the same HTTP registry: every host answers 404)', image: 'plain.test:5001/tiny:nope',
    files: { 'plain.test_5001_/hosts.toml': `server = "http://plain.test:5001"\n\n${http('plain.test:5001')}` } },
  { group: 'notfound', name: 'digest', what: 'a missing digest', image: 'plain.test:5001/tiny@sha256:0000000000000000000000000000000000000000000000000000000000000001',
    files: { 'plain.test_5001_/hosts.toml': `server = "http://plain.test:5001"\n\n${http('plain.test:5001')}` } },
  { group: 'notfound', name: 'repository', what: 'a missing repository', image: 'plain.test:5001/nope:1',
    files: { 'plain.test_5001_/hosts.toml': `server = "http://plain.test:5001"\n\n${http('plain.test:5001')}` } },
  { group: 'notfound', name: 'tag-host-table-only', what: 'a missing tag with only a [host] table: after its 404 the default https upstream is tried, and that error is reported', image: 'plain.test:5001/tiny:nope',
    files: { 'plain.test_5001_/hosts.toml': http('plain.test:5001') } },
  { group: 'notfound', name: 'digest-host-table-only', what: 'a missing digest with only a [host] table', image: 'plain.test:5001/tiny@sha256:0000000000000000000000000000000000000000000000000000000000000001',
    files: { 'plain.test_5001_/hosts.toml': http('plain.test:5001') } },
  { group: 'notfound', name: 'repository-host-table-only', what: 'a missing repository with only a [host] table', image: 'plain.test:5001/nope:1',
    files: { 'plain.test_5001_/hosts.toml': http('plain.test:5001') } },
  { group: 'notfound', name: 'by-existing-digest', what: 'the image by its digest is found', image: 'plain.test:5001/tiny@${digest}',
    files: { 'plain.test_5001_/hosts.toml': http('plain.test:5001') } },
  { group: 'notfound', name: 'loopback-ip-tag', what: 'a missing tag on a loopback IP (no hosts.toml)', image: '127.0.0.21:5001/tiny:nope' },

  // ── mirrors ──────────────────────────────────────────────────────────────────
  { group: 'mirror', name: 'mirror-up-upstream-down', what: 'a working mirror in front of an unreachable upstream', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `server = "https://upstream.test:5999"\n\n${http('mirror.test:5005')}` } },
  { group: 'mirror', name: 'mirror-down-upstream-down', what: 'mirror refused and upstream refused: the first error wins', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': http('down.test:5009') } },
  { group: 'mirror', name: 'mirror-404-upstream-down', what: 'the mirror lacks the image (404), the upstream is refused', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': http('empty.test:5006') } },
  { group: 'mirror', name: 'mirror-404-then-mirror', what: 'first mirror 404, second mirror has it', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('empty.test:5006')}\n${http('mirror.test:5005')}` } },
  { group: 'mirror', name: 'mirror-refused-then-mirror', what: 'first mirror refused, second mirror has it', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('down.test:5009')}\n${http('mirror.test:5005')}` } },
  { group: 'mirror', name: 'mirror-401-then-mirror', what: 'first mirror answers 401 (no credentials), second mirror has it', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('auth.test:5002')}\n${http('mirror.test:5005')}` } },
  { group: 'mirror', name: 'mirror-401-then-404', what: 'first mirror 401, second mirror 404, upstream refused: the recorded 401 wins', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('auth.test:5002')}\n${http('empty.test:5006')}` } },
  { group: 'mirror', name: 'order-first-listed-wins', what: 'two mirrors that both have the image: the first listed serves', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('mirror.test:5005')}\n${http('plain.test:5001')}` } },
  { group: 'mirror', name: 'mirror-before-working-upstream', what: 'a mirror and a working upstream: the mirror serves', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': `server = "http://plain.test:5001"\n\n${http('mirror.test:5005')}` } },
  { group: 'mirror', name: 'mirror-only-tag-missing', what: 'mirror-only file, tag missing on the mirror: the default upstream (https) is still tried and its error reported', image: 'plain.test:5001/tiny:nope',
    files: { 'plain.test_5001_/hosts.toml': http('mirror.test:5005') } },
  { group: 'mirror', name: 'pull-only-mirror-tag', what: 'a mirror with capabilities = ["pull"] is not used to resolve a tag', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': '[host."http://mirror.test:5005"]\n  capabilities = ["pull"]\n' } },
  { group: 'mirror', name: 'pull-only-mirror-digest', what: 'a pull-only mirror serves a pull by digest', image: 'upstream.test:5999/tiny@${digest}',
    files: { 'upstream.test_5999_/hosts.toml': '[host."http://mirror.test:5005"]\n  capabilities = ["pull"]\n' } },
  { group: 'mirror', name: 'override-path', what: 'override_path = true with the /v2 path spelled out', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': '[host."http://mirror.test:5005/v2"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n' } },
  { group: 'mirror', name: 'override-path-wrong-prefix', what: 'override_path = true with a path the registry does not serve (404), then the upstream', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': '[host."http://mirror.test:5005/prefix"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n' } },
  { group: 'mirror', name: 'path-without-override', what: 'a mirror URL with a path and no override_path: /v2 is appended to it', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': '[host."http://mirror.test:5005/prefix"]\n  capabilities = ["pull", "resolve"]\n' } },

  // ── 5xx and 429 ──────────────────────────────────────────────────────────────
  { group: 'status', name: 'registry-503', what: 'the registry answers 503', image: 'flaky.test:5007/tiny:1',
    files: { 'flaky.test_5007_/hosts.toml': `server = "http://flaky.test:5007"\n\n${http('flaky.test:5007')}` } },
  { group: 'status', name: 'registry-429', what: 'the registry answers 429 (rate limited)', image: 'ratelimited.test:5008/tiny:1',
    files: { 'ratelimited.test_5008_/hosts.toml': `server = "http://ratelimited.test:5008"\n\n${http('ratelimited.test:5008')}` } },
  { group: 'status', name: 'mirror-503-then-mirror', what: 'first mirror 503, second mirror has it', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('flaky.test:5007')}\n${http('mirror.test:5005')}` } },
  { group: 'status', name: 'mirror-503-upstream-down', what: 'mirror 503, upstream refused: the recorded 503 wins', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': http('flaky.test:5007') } },
  { group: 'status', name: 'mirror-404-then-429', what: 'first mirror 404, second 429, upstream refused', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('empty.test:5006')}\n${http('ratelimited.test:5008')}` } },
  { group: 'status', name: 'mirror-refused-then-503', what: 'first mirror refused, second 503, upstream refused: the 503 is the first recorded', image: 'upstream.test:5999/tiny:1',
    files: { 'upstream.test_5999_/hosts.toml': `${http('down.test:5009')}\n${http('flaky.test:5007')}` } },

  // ── TLS ──────────────────────────────────────────────────────────────────────
  { group: 'tls', name: 'no-ca', what: 'a private-CA registry and no configuration', image: 'harbor.test:5443/tiny:1' },
  { group: 'tls', name: 'ca-absolute', what: 'ca = absolute path in the host table', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': `server = "https://harbor.test:5443"\n\n[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = "${harborCa}"\n`, 'harbor.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'ca-relative', what: 'ca = a relative file name', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n', 'harbor.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'ca-list', what: 'ca = a list of files', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': `[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = ["${harborCa}"]\n`, 'harbor.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'ca-top-level-with-host-table', what: 'ca at the top level (applies to server) plus an empty [host] table', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': `server = "https://harbor.test:5443"\nca = "${harborCa}"\n\n[host]\n`, 'harbor.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'skip-verify', what: 'skip_verify = true', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },
  { group: 'tls', name: 'missing-ca-file', what: 'ca names a file that does not exist', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = "/etc/containerd/certs.d/harbor.test_5443_/nope.crt"\n' } },
  { group: 'tls', name: 'non-pem-ca', what: 'ca names a file that is not PEM', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = "/etc/containerd/certs.d/harbor.test_5443_/garbage.crt"\n', 'harbor.test_5443_/garbage.crt': 'this is not a certificate\n' } },
  { group: 'tls', name: 'wrong-name', what: 'the cert does not name the host dialled (CA configured)', image: 'wrongname.test:5443/tiny:1',
    files: { 'wrongname.test_5443_/hosts.toml': '[host."https://wrongname.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n', 'wrongname.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'wrong-name-no-ca', what: 'the cert does not name the host, no CA configured', image: 'wrongname.test:5443/tiny:1' },
  { group: 'tls', name: 'wrong-name-skip-verify', what: 'wrong name with skip_verify = true', image: 'wrongname.test:5443/tiny:1',
    files: { 'wrongname.test_5443_/hosts.toml': '[host."https://wrongname.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },
  { group: 'tls', name: 'docker-style-ca-crt', what: 'a folder with ca.crt and no hosts.toml (docker certs.d layout)', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/ca.crt': CA } },
  { group: 'tls', name: 'docker-style-ca-pem', what: 'a folder with ca.pem and no hosts.toml', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/ca.pem': CA } },

  // ── host directory lookup ────────────────────────────────────────────────────
  { group: 'hostdir', name: 'colon-folder', what: 'the folder named host:port', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test:5443/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },
  { group: 'hostdir', name: 'underscore-beats-colon', what: 'host_port_ and host:port both exist: host_port_ is read', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n', 'harbor.test:5443/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },
  { group: 'hostdir', name: 'folder-without-port', what: 'a folder named after the host without its port is not read', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },
  { group: 'hostdir', name: 'default-mirror', what: '_default/hosts.toml with a mirror applies to a registry without its own folder', image: 'upstream.test:5999/tiny:1',
    files: { '_default/hosts.toml': http('mirror.test:5005') } },
  { group: 'hostdir', name: 'default-server-only', what: '_default with only top-level skip_verify (no host table) is ignored', image: 'harbor.test:5443/tiny:1',
    files: { '_default/hosts.toml': 'skip_verify = true\n' } },
  { group: 'hostdir', name: 'own-folder-beats-default', what: 'a registry folder is used instead of _default (no merging)', image: 'harbor.test:5443/tiny:1',
    files: { '_default/hosts.toml': http('down.test:5009'), 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n' } },

  // ── malformed hosts.toml ─────────────────────────────────────────────────────
  { group: 'malformed', name: 'unterminated-string', what: 'a TOML syntax error: the file is ignored, the default https is used', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': 'server = "http://plain.test:5001\n\n[host."http://plain.test:5001"]\n  capabilities = ["pull", "resolve"]\n' } },
  { group: 'malformed', name: 'unterminated-array', what: 'an unterminated array', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '[host."http://plain.test:5001"]\n  capabilities = ["pull", "resolve"\n' } },
  { group: 'malformed', name: 'skip-verify-string', what: 'skip_verify = "true" (a string)', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = "true"\n' } },
  { group: 'malformed', name: 'ca-number', what: 'ca = 5 in a host table', image: 'harbor.test:5443/tiny:1',
    files: { 'harbor.test_5443_/hosts.toml': '[host."https://harbor.test:5443"]\n  capabilities = ["pull", "resolve"]\n  ca = 5\n' } },
  { group: 'malformed', name: 'unknown-capability', what: 'capabilities = ["fetch"]', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '[host."http://plain.test:5001"]\n  capabilities = ["fetch"]\n' } },
  { group: 'malformed', name: 'bad-url', what: 'a host URL that does not parse', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '[host."http://plain.test:5001 bad"]\n  capabilities = ["pull", "resolve"]\n' } },
  { group: 'malformed', name: 'empty-file', what: 'an empty hosts.toml is as if absent', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '' } },
  { group: 'malformed', name: 'unknown-key', what: 'an unknown key in a host table', image: 'plain.test:5001/tiny:1',
    files: { 'plain.test_5001_/hosts.toml': '[host."http://plain.test:5001"]\n  capabilities = ["pull", "resolve"]\n  insecure = true\n' } },

  // ── basic auth ───────────────────────────────────────────────────────────────
  { group: 'auth', name: 'basic-no-credentials', what: 'basic-auth registry, anonymous', image: 'auth.test:5002/tiny:1',
    files: { 'auth.test_5002_/hosts.toml': http('auth.test:5002') } },
  { group: 'auth', name: 'basic-right', what: 'basic-auth registry, right credentials (CRI auth / ctr --user)', image: 'auth.test:5002/tiny:1', auth: ALICE,
    files: { 'auth.test_5002_/hosts.toml': http('auth.test:5002') } },
  { group: 'auth', name: 'basic-wrong', what: 'basic-auth registry, wrong password', image: 'auth.test:5002/tiny:1', auth: WRONG,
    files: { 'auth.test_5002_/hosts.toml': http('auth.test:5002') } },
  { group: 'auth', name: 'basic-right-missing-repo', what: 'right credentials, repository missing', image: 'auth.test:5002/nope:1', auth: ALICE,
    files: { 'auth.test_5002_/hosts.toml': `server = "http://auth.test:5002"\n\n${http('auth.test:5002')}` } },
  { group: 'auth', name: 'basic-no-credentials-missing-repo', what: 'no credentials, repository missing', image: 'auth.test:5002/nope:1',
    files: { 'auth.test_5002_/hosts.toml': `server = "http://auth.test:5002"\n\n${http('auth.test:5002')}` } },
  { group: 'auth', name: 'header-authorization', what: 'credentials in [host."…".header] Authorization', image: 'auth.test:5002/tiny:1',
    files: { 'auth.test_5002_/hosts.toml': `${http('auth.test:5002')}  [host."http://auth.test:5002".header]\n    Authorization = "Basic ${BASIC_ALICE}"\n` } },

  // ── bearer tokens ────────────────────────────────────────────────────────────
  { group: 'token', name: 'anonymous-public', what: 'bearer registry, anonymous pull of a public repository', image: 'token.test:5003/public/tiny:1',
    files: { 'token.test_5003_/hosts.toml': http('token.test:5003') } },
  { group: 'token', name: 'anonymous-private', what: 'bearer registry, anonymous pull of a private repository (the token grants nothing)', image: 'token.test:5003/private/tiny:1',
    files: { 'token.test_5003_/hosts.toml': http('token.test:5003') } },
  { group: 'token', name: 'right-private', what: 'bearer registry, right credentials', image: 'token.test:5003/private/tiny:1', auth: ALICE,
    files: { 'token.test_5003_/hosts.toml': http('token.test:5003') } },
  { group: 'token', name: 'wrong-password', what: 'bearer registry, wrong password (the token server answers 401)', image: 'token.test:5003/private/tiny:1', auth: WRONG,
    files: { 'token.test_5003_/hosts.toml': http('token.test:5003') } },
  { group: 'token', name: 'wrong-password-public', what: 'bearer registry, wrong password on a public repository', image: 'token.test:5003/public/tiny:1', auth: WRONG,
    files: { 'token.test_5003_/hosts.toml': http('token.test:5003') } },

  // ── the deprecated registry.mirrors / registry.configs (CRI only, no config_path) ──
  { group: 'legacy', name: 'mirror-endpoint', what: 'registry.mirrors endpoint in front of an unreachable upstream', image: 'upstream.test:5999/tiny:1',
    config: legacy(`[${R}.mirrors."upstream.test:5999"]\n  endpoint = ["http://mirror.test:5005"]\n`) },
  { group: 'legacy', name: 'mirror-endpoint-without-scheme', what: 'a scheme-less mirror endpoint means https for a name that is not localhost', image: 'upstream.test:5999/tiny:1',
    config: legacy(`[${R}.mirrors."upstream.test:5999"]\n  endpoint = ["mirror.test:5005"]\n`) },
  { group: 'legacy', name: 'http-endpoint-for-registry', what: 'registry.mirrors naming the registry itself over http', image: 'plain.test:5001/tiny:1',
    config: legacy(`[${R}.mirrors."plain.test:5001"]\n  endpoint = ["http://plain.test:5001"]\n`) },
  { group: 'legacy', name: 'wildcard-mirror', what: 'registry.mirrors."*" applies to every registry', image: 'upstream.test:5999/tiny:1',
    config: legacy(`[${R}.mirrors."*"]\n  endpoint = ["http://mirror.test:5005"]\n`) },
  { group: 'legacy', name: 'configs-insecure-skip-verify', what: 'registry.configs tls insecure_skip_verify', image: 'harbor.test:5443/tiny:1',
    config: legacy(`[${R}.configs."harbor.test:5443".tls]\n  insecure_skip_verify = true\n`) },
  { group: 'legacy', name: 'configs-ca-file', what: 'registry.configs tls ca_file', image: 'harbor.test:5443/tiny:1', files: { 'harbor.test_5443_/ca.crt': CA },
    config: legacy(`[${R}.configs."harbor.test:5443".tls]\n  ca_file = "${harborCa}"\n`) },
  { group: 'legacy', name: 'configs-missing-ca-file', what: 'registry.configs tls ca_file that does not exist', image: 'harbor.test:5443/tiny:1',
    config: legacy(`[${R}.configs."harbor.test:5443".tls]\n  ca_file = "/etc/containerd/certs.d/harbor.test_5443_/nope.crt"\n`) },
  { group: 'legacy', name: 'configs-auth', what: 'registry.configs auth username/password with an http endpoint', image: 'auth.test:5002/tiny:1',
    config: legacy(`[${R}.mirrors."auth.test:5002"]\n  endpoint = ["http://auth.test:5002"]\n\n[${R}.configs."auth.test:5002".auth]\n  username = "alice"\n  password = "wonderland"\n`) },
  { group: 'legacy', name: 'configs-auth-wrong', what: 'registry.configs auth with a wrong password', image: 'auth.test:5002/tiny:1',
    config: legacy(`[${R}.mirrors."auth.test:5002"]\n  endpoint = ["http://auth.test:5002"]\n\n[${R}.configs."auth.test:5002".auth]\n  username = "alice"\n  password = "not-the-password"\n`) },
  { group: 'legacy', name: 'mirrors-with-config-path', what: 'registry.mirrors and config_path both set: the CRI plugin does not load', image: 'plain.test:5001/tiny:1',
    config: legacy(`[${R}]\n  config_path = "/etc/containerd/certs.d"\n\n[${R}.mirrors."plain.test:5001"]\n  endpoint = ["http://plain.test:5001"]\n`) },
];
