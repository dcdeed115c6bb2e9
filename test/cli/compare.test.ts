import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const scenario = (dropIn: string) => `
name: nexus ${dropIn ? 'with' : 'without'} the drop-in
registries:
  nexus: { host: "192.168.10.11:5001", tls: false, images: { "test/test:v1": {} } }
node:
  files:
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
${dropIn}
pulls:
  - image: 192.168.10.11:5001/test/test:v1
`;
const DROP_IN = `    /etc/containers/registries.conf.d/99-nexus.conf: |
      [[registry]]
      location = "192.168.10.11:5001"
      insecure = true`;

const tree = tempTree();
tree.write({ 'old.yaml': scenario(''), 'same.yaml': scenario(''), 'new.yaml': scenario(DROP_IN) });

describe('pullsim compare: the same pulls under an old and a new configuration', () => {
  it('lists each changed field and exits 1', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`, `${tree.dir}/new.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 of 1 pulls changed');
    expect(r.stdout).toMatch(/result: failed\n\s+→ pulled/);
    expect(r.stdout).toContain('http: server gave HTTP response to HTTPS client');
  });

  it('exits 0 when nothing changed', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`, `${tree.dir}/same.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 of 1 pulls changed');
  });

  it('a file compared with itself is valid: nothing changed', async () => {
    const r = await cli(['compare', `${tree.dir}/new.yaml`, `${tree.dir}/new.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 of 1 pulls changed');
  });

  it('a folder on either side is bad input', async () => {
    const r = await cli(['compare', tree.dir, `${tree.dir}/new.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not folders');
  });

  it('--json gives the changes as data', async () => {
    const r = await cli(['compare', '--json', `${tree.dir}/old.yaml`, `${tree.dir}/new.yaml`]);
    const doc = JSON.parse(r.stdout);
    expect(doc.changed[0].image).toBe('192.168.10.11:5001/test/test:v1');
    expect(doc.changed[0].fields.map((f: { field: string }) => f.field)).toEqual(['result', 'from', 'digest', 'error']);
  });

  it('needs exactly two files', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give two scenario files');
  });
});
