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
tree.write({ 'old.yaml': scenario(''), 'same.yaml': scenario(''), 'new.yaml': scenario(DROP_IN), 'images.txt': '192.168.10.11:5001/test/test:v1\n' });

describe('pullsim compare with a world: the same pulls run against the fake registries under both configurations', () => {
  it('a failing pull that now works is a fix: listed, exit 0 under --fail-on breaks', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`, `${tree.dir}/new.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 of 1 image changed');
    expect(r.stdout).toMatch(/^fixes\s+192\.168\.10\.11:5001\/test\/test:v1$/m);
    expect(r.stdout).toContain('http: server gave HTTP response to HTTPS client');
  });

  it('the other way round it breaks: exit 1', async () => {
    const r = await cli(['compare', `${tree.dir}/new.yaml`, `${tree.dir}/old.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^breaks\s+192\.168\.10\.11:5001\/test\/test:v1$/m);
  });

  it('exits 0 when nothing changed, also under --fail-on changes', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`, `${tree.dir}/same.yaml`, '--fail-on', 'changes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 of 1 image changed');
  });

  it('a file compared with itself is valid: nothing changed', async () => {
    const r = await cli(['compare', `${tree.dir}/new.yaml`, `${tree.dir}/new.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 of 1 image changed');
  });

  it('a folder of scenario files is read as manifests, and refused as such', async () => {
    const r = await cli(['compare', tree.dir, `${tree.dir}/new.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a Kubernetes object: no apiVersion');
  });

  it('--json gives the outcome fields that changed', async () => {
    const r = await cli(['compare', '--json', `${tree.dir}/old.yaml`, `${tree.dir}/new.yaml`]);
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe('outcomes');
    expect(doc.changes[0].image).toBe('192.168.10.11:5001/test/test:v1');
    expect(doc.changes[0].fields.map((f: { field: string }) => f.field)).toEqual(['result', 'error', 'from', 'digest']);
  });

  it('--images replaces the scenarios\' pulls with the images given', async () => {
    const r = await cli(['compare', '--json', `${tree.dir}/old.yaml`, `${tree.dir}/new.yaml`, '--images', `${tree.dir}/images.txt`]);
    expect(JSON.parse(r.stdout).changes.map((c: { class: string }) => c.class)).toEqual(['fixes']);
  });

  it('needs two sides', async () => {
    const r = await cli(['compare', `${tree.dir}/old.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give two scenario files, trees, manifests');
  });
});
