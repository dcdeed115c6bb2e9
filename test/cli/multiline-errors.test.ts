/** Go's multi-line errors (a bad base64 `auth`) keep the report's layout: continuation lines indented, no padded blank lines. */
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const POLICY = '{"default": [{"type": "insecureAcceptAnything"}]}';
const BAD_AUTH = '{"auths": {"reg.example.com": {"auth": "!!notbase64"}}}';

/** Every line after the first of `text` that holds the multierror's item is indented under its head. */
function expectIndentedUnder(out: string, head: string): void {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.includes(head));
  expect(i).toBeGreaterThanOrEqual(0);
  const headIndent = /^ */.exec(lines[i]!)![0].length;
  const next = lines[i + 1]!;
  expect(next.trim()).toBe('* illegal base64 data at input byte 0');
  expect(/^[ \t]*/.exec(next)![0].length).toBeGreaterThan(headIndent);
}

describe('a bad base64 auth: the multierror is indented in the layout', () => {
  it('explain --root', async () => {
    const root = tempTree().write({ 'etc/containers/policy.json': POLICY, 'run/containers/0/auth.json': BAD_AUTH });
    const r = await cli(['explain', 'reg.example.com/a/b:1', '--root', root, '--runtime', 'podman']);
    expectIndentedUnder(r.stdout, 'getting username and password: 1 error occurred:');
    expect(r.stdout).not.toMatch(/\n\s*\n/);
    expect(r.stdout).not.toMatch(/^\t/m);
  });

  it('run', async () => {
    const dir = tempTree().write({
      's.yaml': `name: bad auth
runtime: podman
registries:
  reg: { host: "reg.example.com", tls: { selfSigned: true }, images: { "a/b:1": {} } }
node:
  files:
    /etc/containers/policy.json: '${POLICY}'
    /run/containers/0/auth.json: '${BAD_AUTH}'
pulls:
  - image: reg.example.com/a/b:1
`,
    });
    const r = await cli(['run', `${dir}/s.yaml`]);
    expectIndentedUnder(r.stdout, 'Error: initializing source');
    expect(r.stdout).not.toMatch(/^\t/m);
    expect(r.stdout).not.toMatch(/^ +$/m);
    const json = JSON.parse((await cli(['run', `${dir}/s.yaml`, '--json'])).stdout) as { scenarios: { pulls: { error: string }[] }[] };
    expect(json.scenarios[0].pulls[0].error).toMatch(/1 error occurred:\n\t\* illegal base64 data at input byte 0\n\n$/);
  });
});
