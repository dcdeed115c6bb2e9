/** Lab import-http-nexus: an ImageStream import from a plain-HTTP Nexus, fixed in cluster/. */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab } from './lab-harness.js';

const LAB = 'import-http-nexus';
const ERROR = 'error: tag stable failed: Internal error occurred: nexus.lab.example:8082/team/web:1.0: Get "https://nexus.lab.example:8082/v2/": http: server gave HTTP response to HTTPS client';
const stream = (importPolicy: string) => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  namespace: shop
spec:
  tags:
    - name: stable
      from: { kind: DockerImage, name: "nexus.lab.example:8082/team/web:1.0" }
${importPolicy}`;
const imageCr = (host: string) => `apiVersion: config.openshift.io/v1
kind: Image
metadata: { name: cluster }
spec:
  registrySources:
    insecureRegistries: ["${host}"]
`;

describe('lab import-http-nexus: the starting import fails as oc import-image reports it', () => {
  it('TASK.md and check show oc\'s transcript; no node explain for an import', async () => {
    const ws = await startLab(LAB);
    const task = ws.read('TASK.md');
    expect(task).toContain('`import shop/web:stable`:');
    expect(task).toContain(ERROR);
    expect(task).toContain('- `import shop/web:stable`: imported from nexus (nexus.lab.example:8082)');
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ import shop/web:stable: failed; goal: imported from nexus (nexus.lab.example:8082)');
    expect(r.stdout).toContain(ERROR);
    expect(r.stdout).toContain('error: imported completed with errors');
    expect(r.stdout).not.toContain('Why (');
  });
});

describe('lab import-http-nexus: any correct fix passes', () => {
  it.each([
    ['importPolicy.insecure on the tag', { 'cluster/01-imagestream-web.yaml': stream('      importPolicy: { insecure: true }\n') }],
    ['the host:port in the Image CR\'s insecureRegistries', { 'cluster/02-image.yaml': imageCr('nexus.lab.example:8082') }],
    ['the stream as oc get -o yaml prints it, in a kind: List', { 'cluster/01-imagestream-web.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${stream('      importPolicy: { insecure: true }\n').replace(/\n/g, '\n  ')}status: { dockerImageRepository: "" }\n` }],
  ])('%s', async (_what, files) => {
    const ws = await startLab(LAB);
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.stdout).toContain(`PASS ${LAB}`);
    expect(r.stdout).toContain('✓ import shop/web:stable: imported from nexus');
    expect(r.code).toBe(0);
  });
});

describe('lab import-http-nexus: a known wrong fix fails and gets its trap feedback', () => {
  it.each([
    ['insecure-host-without-port', { 'cluster/02-image.yaml': imageCr('nexus.lab.example') }, 'port included: nexus.lab.example:8082'],
    ['insecure-host-without-port', { 'cluster/02-image.yaml': imageCr('192.168.30.5:8082') }, 'port included: nexus.lab.example:8082'],
    ['pull-secret-for-http', { 'cluster/02-pull.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: p, namespace: shop }\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths":{"nexus.lab.example:8082":{"username":"u","password":"hunter2"}}}\'\n' }, 'this import fails before any credential matters'],
  ])('%s', async (id, files, feedback) => {
    const ws = await startLab(LAB);
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(ERROR);
    expect(r.stdout).toContain(`Trap (${id}):`);
    expect(r.stdout).toContain(feedback);
    expect(r.stdout).not.toContain('hunter2');
  });

  it('insecure: true on the stream\'s metadata, not the tag: fails, no trap claims it', async () => {
    const ws = await startLab(LAB);
    ws.write({ 'cluster/01-imagestream-web.yaml': stream('').replace('  namespace: shop\n', '  namespace: shop\n  annotations: { insecure: "true" }\n') });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(ERROR);
    expect(r.stdout).not.toContain('Trap (');
  });
});
