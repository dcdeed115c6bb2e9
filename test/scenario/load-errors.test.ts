import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

/** Loads `source` as bad.yaml and returns the one line the CLI prints for it. */
function failure(source: string): string {
  try {
    loadScenarioText(source, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const line = (e as InputError).format();
    expect(line).not.toContain('\n');
    return line;
  }
  throw new Error('loaded without error');
}

/** The minimal valid pull list most cases end with. */
const P = 'pulls:\n  - image: a/b:c\n';

describe('unknown fields are errors at every level, with the closest known field', () => {
  it.each([
    ['unknown top', 'name: t\nregistires: {}\n' + P, "bad.yaml, line 2, key registires: unknown field 'registires'; did you mean 'registries'?"],
    ['unknown far', 'name: t\nfoo: 1\n' + P, "bad.yaml, line 2, key foo: unknown field 'foo'; accepted: name, description, runtime, versions, cas, keys, images, hosts, registries, node, cluster, pulls, vsphere, lab"],
    ['unknown registry field', 'name: t\ncas: {lab: {}}\nregistries:\n  nexus:\n    host: n.example.com\n    tsl: false\n' + P, "bad.yaml, line 6, key registries.nexus.tsl: unknown field 'tsl'; did you mean 'tls'?"],
    ['unknown tls field', 'name: t\ncas: {lab: {}}\nregistries:\n  nexus:\n    host: n.example.com\n    tls:\n      ca: lab\n      name: [x]\n' + P, "bad.yaml, line 8, key registries.nexus.tls.name: unknown field 'name'; did you mean 'names'?"],
    ['unknown pull field', 'name: t\npulls:\n  - image: a/b:c\n    namespce: x\n', "bad.yaml, line 4, key pulls[0].namespce: unknown field 'namespce'; did you mean 'namespace'?"],
    ['unknown expect field', 'name: t\npulls:\n  - image: a/b:c\n    expect: {result: pulled, digets: x}\n', "bad.yaml, line 4, key pulls[0].expect.digets: unknown field 'digets'; did you mean 'digest'?"],
    ['unknown options field', 'name: t\nruntime: skopeo\npulls:\n  - image: a/b:c\n    options: {tlsverify: false}\n', "bad.yaml, line 5, key pulls[0].options.tlsverify: unknown field 'tlsverify'; did you mean 'tlsVerify'?"],
    ['unknown ca field', 'name: t\ncas:\n  lab: {x: 1}\n' + P, "bad.yaml, line 3, key cas.lab.x: unknown field 'x'; accepted: trusted"],
    ['unknown key field', 'name: t\nkeys:\n  k: {type: gpg, mail: a@b}\n' + P, "bad.yaml, line 3, key keys.k.mail: unknown field 'mail'; did you mean 'email'?"],
    ['unknown served field', 'name: t\nimages: {base: {}}\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: {imag: base}\n' + P, 'bad.yaml, line 8, key registries.r.images["a/b:c"].imag: unknown field \'imag\'; did you mean \'image\'?'],
    ['unknown auth field', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth: {type: basic, user: {a: b}}\n' + P, "bad.yaml, line 6, key registries.r.auth.user: unknown field 'user'; did you mean 'users'?"],
    ['unknown node field', 'name: t\nnode:\n  file: {}\n' + P, "bad.yaml, line 3, key node.file: unknown field 'file'; did you mean 'files'?"],
    ['unknown versions field', 'name: t\nversions: {cri-o: "1.28"}\n' + P, "bad.yaml, line 2, key versions.cri-o: unknown field 'cri-o'; did you mean 'crio'?"],
    ['unknown faults field', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    faults: {donw: true}\n' + P, "bad.yaml, line 6, key registries.r.faults.donw: unknown field 'donw'; did you mean 'down'?"],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('values have the type the contract gives them', () => {
  it.each([
    ['name number', 'name: 12\n' + P, 'bad.yaml, line 1, key name: expected a string, got a number; quote it to make it a string'],
    ['version number', 'name: t\nversions: {crio: 1.28}\n' + P, 'bad.yaml, line 2, key versions.crio: expected a string, got a number; quote it to make it a string'],
    ['name null', 'name:\n' + P, 'bad.yaml, line 1, key name: expected a string, got nothing'],
    ['pulls map', 'name: t\npulls:\n  image: a/b:c\n', 'bad.yaml, line 2, key pulls: expected a list, got a map (key: value)'],
    ['registries list', 'name: t\nregistries:\n  - host: a\n' + P, 'bad.yaml, line 2, key registries: expected a map (key: value), got a list'],
    ['list where map', 'name: t\nimages:\n  - base\n' + P, 'bad.yaml, line 2, key images: expected a map (key: value), got a list'],
    ['block value line', 'name: t\nregistries:\n  r:\n    host:\n      - a\n' + P, 'bad.yaml, line 4, key registries.r.host: expected a string, got a list'],
    ['tls string', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: yes\n' + P, 'bad.yaml, line 5, key registries.r.tls: expected false, true or a map (key: value), got a string'],
    ['tlsVerify string', 'name: t\nruntime: podman\npulls:\n  - image: a/b:c\n    options: {tlsVerify: "false"}\n', 'bad.yaml, line 5, key pulls[0].options.tlsVerify: expected true or false, got a string'],
    ['layers string', 'name: t\nimages: {base: {layers: three}}\n' + P, 'bad.yaml, line 2, key images.base.layers: expected an integer of at least 1, got a string'],
    ['layers zero', 'name: t\nimages: {base: {layers: 0}}\n' + P, 'bad.yaml, line 2, key images.base.layers: expected an integer of at least 1, got 0'],
    ['status range', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    faults: {status: 700}\n' + P, 'bad.yaml, line 6, key registries.r.faults.status: expected an integer from 100 to 599, got 700'],
    ['password number', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth:\n      type: basic\n      users: {alice: 123456}\n' + P, 'bad.yaml, line 8, key registries.r.auth.users.alice: expected a string, got a number; quote it to make it a string'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('enums accept only their listed values', () => {
  it.each([
    ['runtime enum', 'name: t\nruntime: cri-o\n' + P, 'bad.yaml, line 2, key runtime: "cri-o" is not accepted; use one of: crio, podman, skopeo, containerd, vsphere-pod'],
    ['auth type enum', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth: {type: token}\n' + P, 'bad.yaml, line 6, key registries.r.auth.type: "token" is not accepted; use one of: basic, bearer'],
    ['result enum', 'name: t\npulls:\n  - image: a/b:c\n    expect: {result: ok}\n', 'bad.yaml, line 4, key pulls[0].expect.result: "ok" is not accepted; use one of: pulled, failed'],
    ['key type enum', 'name: t\nkeys: {k: {type: pgp}}\n' + P, 'bad.yaml, line 2, key keys.k.type: "pgp" is not accepted; use one of: sigstore, gpg'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('formats: hosts, addresses, platforms, durations, names, digests, paths', () => {
  it.each([
    ['bad host', 'name: t\nregistries:\n  r:\n    host: https://r.example.com\n    tls: false\n' + P, 'bad.yaml, line 4, key registries.r.host: "https://r.example.com" is not a host; use a DNS name or IP address with an optional port, e.g. registry.example.com, 192.168.10.11:5001 or [::1]:5000'],
    ['bad port', 'name: t\nregistries:\n  r:\n    host: r.example.com:99999\n    tls: false\n' + P, 'bad.yaml, line 4, key registries.r.host: "r.example.com:99999" is not a host; use a DNS name or IP address with an optional port, e.g. registry.example.com, 192.168.10.11:5001 or [::1]:5000'],
    ['bad ip', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    ip: 300.1.1.1\n    tls: false\n' + P, 'bad.yaml, line 5, key registries.r.ip: "300.1.1.1" is not an IP address; use e.g. 192.168.10.11 or ::1'],
    ['bad hosts ip', 'name: t\nhosts: {a.example.com: nowhere}\n' + P, 'bad.yaml, line 2, key hosts["a.example.com"]: "nowhere" is not an IP address; use e.g. 192.168.10.11 or ::1'],
    ['bad platform', 'name: t\npulls:\n  - image: a/b:c\n    platform: amd64\n', 'bad.yaml, line 4, key pulls[0].platform: "amd64" is not a platform; use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8'],
    ['bad duration', 'name: t\npulls:\n  - image: a/b:c\n    retryFor: 10 minutes\n', 'bad.yaml, line 4, key pulls[0].retryFor: "10 minutes" is not a duration; use e.g. 90s, 10m or 1h30m'],
    ['bad name', 'name: t\nimages:\n  a/b: {}\n' + P, 'bad.yaml, line 3, key images["a/b"]: "a/b" is not a name; use letters, digits, ".", "_" and "-", starting with a letter or digit'],
    ['bad repo tag', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      App/B: {}\n' + P, 'bad.yaml, line 7, key registries.r.images["App/B"]: "App/B" is not repository:tag; use e.g. library/nginx:1.25'],
    ['bad realm', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth: {type: bearer, realm: "ftp://sso.example.com"}\n' + P, 'bad.yaml, line 6, key registries.r.auth.realm: "ftp://sso.example.com" is not a token server; use a host (sso.example.com) or a URL (https://auth.example.com:5559/token)'],
    ['bad lookaside', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    lookaside: /srv/sigs\n' + P, 'bad.yaml, line 6, key registries.r.lookaside: "/srv/sigs" is not a lookaside location; use file:///path (a folder on the node), http:// or https://'],
    ['bad hosts name', 'name: t\nhosts:\n  "a.example.com:80": 10.0.0.1\n' + P, 'bad.yaml, line 3, key hosts["a.example.com:80"]: "a.example.com:80" is not a host name; use a DNS name without port, e.g. harbor-alias.example.com'],
    ['map as a key', 'name: t\nhosts:\n  ? {a: b}\n  : 10.0.0.1\n' + P, 'bad.yaml, line 3, key hosts: expected a plain key, got a map or list'],
    ['expect digest bad', 'name: t\npulls:\n  - image: a/b:c\n    expect: {digest: "sha256:abc"}\n', 'bad.yaml, line 4, key pulls[0].expect.digest: "sha256:abc" is not a digest; use sha256:<64 hex digits> or ${digest:IMAGE}'],
    ['node path relative', 'name: t\nnode:\n  files:\n    etc/x: hi\n' + P, 'bad.yaml, line 4, key node.files["etc/x"]: "etc/x" is not an absolute path; node files are paths on the node, e.g. /etc/containers/policy.json'],
    ['duplicate platform', 'name: t\nimages: {m: {platforms: [linux/amd64, linux/amd64]}}\n' + P, 'bad.yaml, line 2, key images.m.platforms[1]: linux/amd64 is listed twice'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('required fields', () => {
  it.each([
    ['missing name', P, "bad.yaml, line 1: missing required field 'name'"],
    ['missing host', 'name: t\nregistries:\n  r: {tls: false}\n' + P, "bad.yaml, line 3, key registries.r: missing required field 'host'"],
    ['missing auth type', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth: {users: {a: b}}\n' + P, "bad.yaml, line 6, key registries.r.auth: missing required field 'type'"],
    ['neither image nor pod', 'name: t\npulls:\n  - namespace: x\n', "bad.yaml, line 3, key pulls[0]: a pull needs 'image' (an image string) or 'pod' (a Pod or Deployment in cluster)"],
    ['cluster no kind', 'name: t\ncluster:\n  - apiVersion: v1\n    metadata: {name: x}\n' + P, "bad.yaml, line 3, key cluster[0]: missing required field 'kind'"],
    ['cluster no name', 'name: t\ncluster:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {namespace: x}\n' + P, "bad.yaml, line 5, key cluster[0].metadata: missing required field 'name'"],
    ['cluster not map', 'name: t\ncluster:\n  - Pod\n' + P, 'bad.yaml, line 3, key cluster[0]: expected a map (key: value), got a string'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('names must refer to something the scenario defines', () => {
  it.each([
    ['dangling tls ca', 'name: t\ncas: {lab: {}}\nregistries:\n  nexus:\n    host: n.example.com\n    tls: {ca: labb}\n' + P, "bad.yaml, line 6, key registries.nexus.tls.ca: unknown CA 'labb'; defined under cas: lab"],
    ['dangling catalog', 'name: t\nimages: {base: {}}\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: bse\n' + P, 'bad.yaml, line 8, key registries.r.images["a/b:c"]: unknown image \'bse\'; defined under images: base'],
    ['dangling catalog none', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: {image: base}\n' + P, 'bad.yaml, line 7, key registries.r.images["a/b:c"].image: unknown image \'base\'; none is defined under images'],
    ['dangling sign', 'name: t\nkeys: {rel: {type: sigstore}}\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: {sign: [release]}\n' + P, 'bad.yaml, line 8, key registries.r.images["a/b:c"].sign[0]: unknown key \'release\'; defined under keys: rel'],
    ['dangling node ca', 'name: t\nnode:\n  files:\n    /etc/x.crt: {ca: lab}\n' + P, 'bad.yaml, line 4, key node.files["/etc/x.crt"].ca: unknown CA \'lab\'; none is defined under cas'],
    ['dangling publicKey', 'name: t\nkeys: {k: {type: sigstore}}\nnode:\n  files:\n    /etc/k.pub: {publicKey: kk}\n' + P, 'bad.yaml, line 5, key node.files["/etc/k.pub"].publicKey: unknown key \'kk\'; defined under keys: k'],
    ['dangling from', 'name: t\npulls:\n  - image: a/b:c\n    expect: {result: pulled, from: nexus}\n', "bad.yaml, line 4, key pulls[0].expect.from: unknown registry 'nexus'; none is defined under registries"],
    ['pod unknown', 'name: t\npulls:\n  - pod: echo\n', "bad.yaml, line 3, key pulls[0].pod: no Pod or Deployment named 'echo' in cluster for namespace 'default'"],
    ['access unknown user', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth:\n      type: basic\n      users: {alice: s3cret}\n      access: {"p/*": [bob]}\n' + P, 'bad.yaml, line 9, key registries.r.auth.access["p/*"][0]: unknown user \'bob\'; defined under registries.r.auth.users: alice'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('placeholders name a catalog image (and a platform it has) or a gpg key', () => {
  it.each([
    ['dangling digest placeholder', 'name: t\nimages: {base: {}}\npulls:\n  - image: a/b@${digest:bas}\n', "bad.yaml, line 4, key pulls[0].image: ${digest:bas} names unknown image 'bas'; defined under images: base"],
    ['digest placeholder platform', 'name: t\nimages: {tools: {platforms: [linux/amd64, linux/arm64/v8]}}\npulls:\n  - image: a/b:c\n    expect: {digest: "${digest:tools/linux/s390x}"}\n', "bad.yaml, line 5, key pulls[0].expect.digest: ${digest:tools/linux/s390x}: image 'tools' has no platform linux/s390x; it has: linux/amd64, linux/arm64/v8"],
    ['keyData in pull', 'name: t\nkeys: {g: {type: gpg}}\npulls:\n  - image: a/b:c\n    expect: {error: "${keyData:g}"}\n', 'bad.yaml, line 5, key pulls[0].expect.error: ${keyData:g} is substituted in node file contents only'],
    ['keyData sigstore', 'name: t\nkeys: {s: {type: sigstore}}\nnode:\n  files:\n    /etc/containers/policy.json: |\n      {"keyData": "${keyData:s}"}\n' + P, 'bad.yaml, line 5, key node.files["/etc/containers/policy.json"]: ${keyData:s} names sigstore key \'s\'; keyData needs a gpg key'],
    ['keyData dangling', 'name: t\nnode:\n  files:\n    /etc/containers/policy.json: |\n      {\n        "keyData": "${keyData:g}"\n      }\n' + P, 'bad.yaml, line 4, key node.files["/etc/containers/policy.json"]: ${keyData:g} names unknown key \'g\'; none is defined under keys'],
    ['placeholder malformed', 'name: t\npulls:\n  - image: a/b@${digest}\n', 'bad.yaml, line 3, key pulls[0].image: ${digest} is not a placeholder; use ${digest:IMAGE[/os/arch[/variant]]} or ${keyData:KEY}'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('fields that exclude or need each other', () => {
  it.each([
    ['image and pod', 'name: t\npulls:\n  - image: a/b:c\n    pod: p\n', "bad.yaml, line 3, key pulls[0]: a pull takes exactly one of 'image' or 'pod', not both"],
    ['options with crio', 'name: t\npulls:\n  - image: a/b:c\n    options: {creds: "a:b"}\n', "bad.yaml, line 4, key pulls[0].options: 'options' are podman or skopeo command-line flags; they need runtime podman or skopeo, this scenario's runtime is crio"],
    ['platform option with skopeo', 'name: t\nruntime: skopeo\npulls:\n  - image: a/b:c\n    options: {platform: linux/arm64}\n', "bad.yaml, line 5, key pulls[0].options.platform: 'platform' is podman's --platform flag; it needs runtime podman, this scenario's runtime is skopeo (use 'arch' for skopeo --override-arch)"],
    ['tokenDown without a realm', 'name: t\nregistries:\n  r:\n    host: r.test\n    faults: { tokenDown: true }\npulls: []\n', "bad.yaml, line 5, key registries.r.faults: 'tokenDown' stops the registry's own token server; give the registry auth with a realm on another host"],
    ['retrySeed without retryFor', 'name: t\npulls:\n  - image: a/b:c\n    retrySeed: 3\n', "bad.yaml, line 4, key pulls[0].retrySeed: 'retrySeed' seeds the jitter of 'retryFor'; set 'retryFor' too"],
    ['retrySeed not an integer', 'name: t\npulls:\n  - image: a/b:c\n    retryFor: 1m\n    retrySeed: x\n', 'bad.yaml, line 5, key pulls[0].retrySeed: expected an integer from 0 to 4294967295, got a string'],
    ['retryFor with podman', 'name: t\nruntime: podman\npulls:\n  - image: a/b:c\n    retryFor: 10m\n', "bad.yaml, line 5, key pulls[0].retryFor: 'retryFor' simulates the kubelet's back-off; it needs runtime crio or containerd, this scenario's runtime is podman"],
    ['from with failed', 'name: t\nregistries: {r: {host: r.example.com, tls: false}}\npulls:\n  - image: a/b:c\n    expect: {result: failed, from: r}\n', "bad.yaml, line 5, key pulls[0].expect.from: 'from' names the registry that served a pulled image; it needs result pulled, not failed"],
    ['tls true no ca', 'name: t\nregistries:\n  r: {host: r.example.com, tls: true}\n' + P, 'bad.yaml, line 3, key registries.r.tls: HTTPS needs a certificate: define a CA under cas, name one with tls: { ca: NAME }, use tls: { selfSigned: true }, or tls: false for plain HTTP'],
    ['tls omitted no ca', 'name: t\nregistries:\n  r: {host: r.example.com}\n' + P, 'bad.yaml, line 3, key registries.r.tls: HTTPS needs a certificate: define a CA under cas, name one with tls: { ca: NAME }, use tls: { selfSigned: true }, or tls: false for plain HTTP'],
    ['catalog with layers', 'name: t\nimages: {base: {}}\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: {image: base, layers: 2}\n' + P, 'bad.yaml, line 8, key registries.r.images["a/b:c"].layers: \'layers\' describes inline content; with \'image\' the content is catalog entry \'base\' (set it there)'],
    ['node file list', 'name: t\nnode:\n  files:\n    /etc/x: [a]\n' + P, 'bad.yaml, line 4, key node.files["/etc/x"]: expected file contents (a string), { ca: NAME } or { publicKey: KEY }, got a list'],
    ['node file both', 'name: t\ncas: {lab: {}}\nkeys: {k: {type: sigstore}}\nnode:\n  files:\n    /etc/x: {ca: lab, publicKey: k}\n' + P, 'bad.yaml, line 6, key node.files["/etc/x"]: expected file contents (a string), { ca: NAME } or { publicKey: KEY }, got both ca and publicKey'],
    ['realm with basic', 'name: t\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    auth: {type: basic, realm: sso.example.com}\n' + P, "bad.yaml, line 6, key registries.r.auth.realm: 'realm' is for bearer auth only; this registry's auth type is basic"],
    ['ca and selfSigned', 'name: t\ncas: {lab: {}}\nregistries:\n  r:\n    host: r.example.com\n    tls: {ca: lab, selfSigned: true}\n' + P, "bad.yaml, line 6, key registries.r.tls.selfSigned: 'ca' and 'selfSigned' exclude each other: a self-signed certificate has no CA"],
    ['email on a sigstore key', 'name: t\nkeys:\n  k: {type: sigstore, email: a@example.com}\n' + P, "bad.yaml, line 3, key keys.k.email: 'email' is for gpg keys only; this key's type is sigstore"],
    ['gpg no lookaside', 'name: t\nkeys: {g: {type: gpg}}\nregistries:\n  r:\n    host: r.example.com\n    tls: false\n    images:\n      a/b:c: {sign: [{key: g}]}\n' + P, 'bad.yaml, line 8, key registries.r.images["a/b:c"].sign[0].key: gpg signatures are published in the registry\'s lookaside; set \'lookaside\' on this registry to sign with gpg key \'g\''],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});

describe('YAML syntax and empty files: one line with the position, no stack', () => {
  it.each([
    ['yaml syntax', 'name: t\npulls: [\n  {image: a\n', 'bad.yaml, line 4: invalid YAML: Flow map in block collection must be sufficiently indented and end with a } (column 1)'],
    ['yaml duplicate', 'name: t\nname: u\n' + P, 'bad.yaml, line 2: invalid YAML: Map keys must be unique (column 1)'],
    ['yaml two docs', 'name: t\n' + P + '---\nname: u\n', "bad.yaml, line 4: a scenario file holds one YAML document, but a second one starts here ('---')"],
    ['yaml stream token', 'name: t\nregistries:\n  r:\n    auth:\n      users: {alice: s3cret}}\n' + P, 'bad.yaml, line 5: invalid YAML: Unexpected flow-map-end token in YAML stream (column 29)'],
    ['yaml token in flow', 'name: t\nusers: {alice: "s3cret\\q"}\n' + P, 'bad.yaml, line 2: invalid YAML: Invalid escape sequence (column 23)'],
    ['unquoted placeholder in a flow list', 'name: t\npulls:\n  - image: a\n    expect: {attempts: [a@${digest:x}]}\n', 'bad.yaml, line 4: invalid YAML: Missing , or : between flow sequence items (column 28); inside [ ] or { }, quote a value that holds ${…}'],
    ['unresolved alias', 'name: *x\n' + P, 'bad.yaml, line 1, key name: invalid YAML: alias *x refers to no anchor'],
    ['empty file', '', "bad.yaml, line 1: the file is empty; a scenario needs at least 'name' and 'pulls'"],
    ['comments only', '# nothing\n', "bad.yaml, line 1: the file is empty; a scenario needs at least 'name' and 'pulls'"],
    ['top list', '- name: t\n', 'bad.yaml, line 1: expected a map (key: value), got a list'],
    ['top scalar', 'hello\n', 'bad.yaml, line 1: expected a map (key: value), got a string'],
  ])('%s', (_case, source, message) => {
    expect(failure(source)).toBe(message);
  });
});
