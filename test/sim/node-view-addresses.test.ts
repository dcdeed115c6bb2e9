/**
 * Issue 13: every address a node's text names is the node's view (a scenario's `ip:`, or the
 * documented address derived from a name, or the node's own address), never one of pullsim's
 * loopback sockets. Checked through whole pulls, in every output format, for each runtime family.
 */
import { describe, expect, it } from 'vitest';
import { planNetwork } from '../../sim/network.js';
import { jsonReport, summarize } from '../../src/run/report-json.js';
import { textReport } from '../../src/run/report-text.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { NODE_ADDRESS } from '../../src/pull/dialer.js';

/** One plain-HTTP registry r.test:5000 that every runtime reaches over HTTP; `registry` is the rest of its map. */
const scenario = (runtime: string, registry: string) => `
name: node view
runtime: ${runtime}
registries:
  r: { host: "r.test:5000", tls: false, images: { "a/b:1": {} }${registry} }
node:
  files:
    /etc/containers/policy.json: '{ "default": [{ "type": "insecureAcceptAnything" }] }'
    /etc/containers/registries.conf: |
      [[registry]]
      location = "r.test:5000"
      insecure = true
    /etc/containerd/config.toml: |
      version = 2
      [plugins."io.containerd.grpc.v1.cri".registry]
        config_path = "/etc/containerd/certs.d"
    /etc/containerd/certs.d/r.test:5000/hosts.toml: |
      server = "http://r.test:5000"

      [host."http://r.test:5000"]
        capabilities = ["pull", "resolve"]
pulls:
  - image: r.test:5000/a/b:1
`;

const RUNTIMES = [['skopeo'], ['podman'], ['crio'], ['containerd']];

async function everything(text: string): Promise<{ error: string; all: string }> {
  const report = await runScenario(loadScenarioText(text, 'f.yaml'));
  const summary = summarize([report]);
  return { error: report.pulls[0]!.error ?? '', all: textReport([report], summary, { color: false }) + jsonReport([report], summary) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a token server that does not listen is dialled at the realm host\'s node address', () => {
  const realm = 'http://sso.test:5559/token';
  const registry = `, auth: { type: bearer, realm: "${realm}", users: { u: p }, anonymous: ["a/*"] }, faults: { tokenDown: true }`;
  const ssoAddress = planNetwork(loadScenarioText(scenario('skopeo', registry), 'f.yaml')).names.get('sso.test')!;

  it('the realm host gets a documentation address (RFC 5737)', () => {
    expect(ssoAddress).toMatch(/^(198\.51\.100|203\.0\.113|192\.0\.2)\.\d+$/);
  });

  it.each(RUNTIMES)('%s', async (runtime) => {
    const { error, all } = await everything(scenario(runtime, registry));
    expect(error).toMatch(new RegExp(`Get "${escape(realm)}\\?scope=[^"]+": dial tcp ${escape(ssoAddress)}:5559: connect: connection refused$`));
    expect(all).not.toMatch(/\b127\.\d+\.\d+\.\d+/);
  });
});

describe('a connection reset names the node\'s own address as the local end, never pullsim\'s socket', () => {
  it.each(RUNTIMES)('%s', async (runtime) => {
    const text = scenario(runtime, ', faults: { reset: true }');
    const rAddress = planNetwork(loadScenarioText(text, 'f.yaml')).names.get('r.test')!;
    const { error, all } = await everything(text);
    // The fault lets Go see either a reset or a clean EOF, whichever the timing gives (docs/soak.md).
    expect(error).toMatch(/(connection reset by peer|unexpected EOF)$/);
    const resets = [...all.matchAll(/read tcp (\S+)->(\S+): read: connection reset by peer/g)];
    for (const [, local, remote] of resets) {
      expect(local).toMatch(new RegExp(`^${escape(NODE_ADDRESS)}:\\d+$`));
      expect(remote).toBe(`${rAddress}:5000`);
    }
    expect(all).not.toMatch(/\b127\.\d+\.\d+\.\d+/);
  });

  it('a registry the node reaches over loopback is reached from 127.0.0.1, as on a real node', async () => {
    const { all } = await everything(scenario('skopeo', ', ip: 127.0.0.9, faults: { reset: true }'));
    for (const [, local] of all.matchAll(/read tcp (\S+)->127\.0\.0\.9:5000/g)) expect(local).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('the local ports are the same in every run', async () => {
    const ports = async () => [...(await everything(scenario('skopeo', ', faults: { reset: true }'))).all.matchAll(/read tcp \S+:(\d+)->/g)].map((m) => m[1]);
    expect(await ports()).toEqual(await ports());
  });
});
