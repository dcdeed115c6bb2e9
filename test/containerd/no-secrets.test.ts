/**
 * Secrets on a containerd node never reach any output: kubelet credentials, the deprecated
 * registry.configs auth in config.toml, and an Authorization header in hosts.toml — in run
 * (text and --json) and explain (text and --json, from a scenario and from a --root tree).
 */
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from '../cli/cli-harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRETS = ['Kubelet-Pa55word', 'Config-Pa55word', 'Header-Pa55word'];
const FORBIDDEN = [...SECRETS, b64('alice:Kubelet-Pa55word'), b64('bob:Config-Pa55word'), b64('carol:Header-Pa55word')];

const CONFIG_TOML = `version = 2
[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "/etc/containerd/certs.d"
[plugins."io.containerd.grpc.v1.cri".registry.configs."cfg.test:5002".auth]
  username = "bob"
  password = "Config-Pa55word"
`;
const HOSTS_TOML = `[host."http://hdr.test:5003"]
  [host."http://hdr.test:5003".header]
    Authorization = "Basic ${b64('carol:Header-Pa55word')}"
`;
const KUBELET = JSON.stringify({ auths: { 'kub.test:5001': { auth: b64('alice:Kubelet-Pa55word') } } });

const block = (text: string) => `|\n${text.split('\n').map((l) => `      ${l}`).join('\n')}`;

const tree = tempTree();
const dir = tree.write({
  'containerd.yaml': `name: containerd credentials
runtime: containerd
images: { app: {} }
registries:
  kub: { host: "kub.test:5001", tls: false, auth: { type: basic, users: { alice: Kubelet-Pa55word } }, images: { "app:1": app } }
  cfg: { host: "cfg.test:5002", tls: false, auth: { type: basic, users: { bob: Config-Pa55word } }, images: { "app:1": app } }
  hdr: { host: "hdr.test:5003", tls: false, auth: { type: basic, users: { carol: Header-Pa55word } }, images: { "app:1": app } }
node:
  files:
    /etc/containerd/config.toml: ${block(CONFIG_TOML)}
    /etc/containerd/certs.d/kub.test:5001/hosts.toml: '[host."http://kub.test:5001"]'
    /etc/containerd/certs.d/cfg.test:5002/hosts.toml: '[host."http://cfg.test:5002"]'
    /etc/containerd/certs.d/hdr.test:5003/hosts.toml: ${block(HOSTS_TOML)}
    /var/lib/kubelet/config.json: '${KUBELET}'
pulls:
  - image: kub.test:5001/app:1
    expect: { result: pulled }
  - image: cfg.test:5002/app:1
    expect: { result: pulled }
  - image: hdr.test:5003/app:1
    expect: { result: pulled }
`,
  'root/etc/containerd/config.toml': CONFIG_TOML,
  'root/etc/containerd/certs.d/hdr.test:5003/hosts.toml': HOSTS_TOML,
  'root/var/lib/kubelet/config.json': KUBELET,
});

describe('no secret in any output of a containerd node', () => {
  it.each<[string, string[]]>([
    ['run text', ['run', `${dir}/containerd.yaml`]],
    ['run json', ['run', `${dir}/containerd.yaml`, '--json']],
    ['explain text (scenario)', ['explain', 'hdr.test:5003/app:1', '--scenario', `${dir}/containerd.yaml`]],
    ['explain json (scenario)', ['explain', 'cfg.test:5002/app:1', '--scenario', `${dir}/containerd.yaml`, '--json']],
    ['explain text (root)', ['explain', 'hdr.test:5003/app:1', '--root', `${dir}/root`, '--runtime', 'containerd']],
    ['explain json (root)', ['explain', 'kub.test:5001/app:1', '--root', `${dir}/root`, '--runtime', 'containerd', '--json']],
  ])('%s', async (_name, argv) => {
    const r = await cli(argv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const s of FORBIDDEN) expect(r.stdout + r.stderr).not.toContain(s);
  });
});

describe('hosts.toml credentials explain shows redacted, whatever the header is called or typed', () => {
  const hosts = tempTree().write({
    'custom/etc/containerd/config.toml': CONFIG_TOML,
    'typed/etc/containerd/config.toml': CONFIG_TOML,
    'custom/etc/containerd/certs.d/api.test:5004/hosts.toml': `[host."http://api.test:5004"]
  [host."http://api.test:5004".header]
    X-Api-Key = "Api-Key-Pa55word"
    X-Trace = "visible-value"
`,
    // a value of the wrong type: containerd ignores the file and logs the value it could not use
    'typed/etc/containerd/certs.d/api.test:5004/hosts.toml': `[host."http://api.test:5004"]
  [host."http://api.test:5004".header]
    Authorization = { bearer = "Typed-Pa55word" }
`,
  });
  it.each<[string, string, string[]]>([
    ['a credential header under another name (text)', 'custom', ['X-Api-Key: <redacted>', 'X-Trace: visible-value']],
    ['a credential header under another name (json)', 'custom', ['X-Api-Key: <redacted>']],
    ['a badly typed Authorization in the log of an ignored hosts.toml (text)', 'typed', ['invalid type <redacted> for header \\"Authorization\\"', 'invalid type <redacted> for header "Authorization"']],
  ])('%s', async (name, root, shown) => {
    const r = await cli(['explain', 'api.test:5004/app:1', '--root', `${hosts}/${root}`, '--runtime', 'containerd', ...(name.endsWith('(json)') ? ['--json'] : [])]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('Pa55word');
    expect(shown.some((s) => r.stdout.includes(s))).toBe(true);
    if (root === 'custom' && !name.endsWith('(json)')) expect(r.stdout).toContain('X-Trace: visible-value');
  });
});
