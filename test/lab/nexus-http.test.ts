import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab, tempRoot, wellFormedXml } from './lab-harness.js';

const EVENT = 'Failed to pull image "192.168.10.11:5001/test/test:latest": rpc error: code = Unknown desc = pinging container registry 192.168.10.11:5001: Get "https://192.168.10.11:5001/v2/": http: server gave HTTP response to HTTPS client';

const IMAGE_CR = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  registrySources:
    insecureRegistries:
      - 192.168.10.11:5001
`;

describe('lab nexus-http: start, then check judges the starting state by the node\'s own event', () => {
  it('TASK.md shows the event table of the broken node; check fails (exit 1) with the same event', async () => {
    const ws = await startLab('nexus-http');
    const task = ws.read('TASK.md');
    expect(task).toContain(EVENT);
    expect(task).toContain('Warning  Failed');
    expect(task).toContain('pulled from nexus (192.168.10.11:5001)');
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL nexus-http`);
    expect(r.stdout).toContain(EVENT);
    expect(r.stdout).toContain('no [[registry]] matches');
  });

  it('the workspace holds the node laid out like / and one YAML per cluster object, no registries or goals', async () => {
    const ws = await startLab('nexus-http');
    expect(ws.read('node/etc/containers/registries.conf')).toContain('unqualified-search-registries');
    expect(ws.read('cluster/01-image-cluster.yaml')).toMatch(/^apiVersion: config\.openshift\.io\/v1\nkind: Image\n/);
    expect(() => ws.read('scenario.yaml')).toThrow();
    expect(ws.read('TASK.md')).not.toContain('goals:');
  });
});

describe('lab nexus-http: any correct fix passes', () => {
  const fixes: Array<[string, Record<string, string>]> = [
    ['a *.conf drop-in', { 'node/etc/containers/registries.conf.d/50-nexus.conf': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' }],
    ['a drop-in with prefix and location', { 'node/etc/containers/registries.conf.d/zz.conf': '[[registry]]\nprefix = "192.168.10.11:5001/test"\nlocation = "192.168.10.11:5001/test"\ninsecure = true\n' }],
    ['the main file', { 'node/etc/containers/registries.conf': "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n[[registry]]\nlocation = \"192.168.10.11:5001\"\ninsecure = true\n" }],
    ['the Image CR', { 'cluster/01-image-cluster.yaml': IMAGE_CR }],
    ['an Image CR in a file of its own name', { 'cluster/image.yaml': IMAGE_CR, 'cluster/01-image-cluster.yaml': '' }],
  ];
  it.each(fixes)('%s', async (_name, files) => {
    const ws = await startLab('nexus-http');
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.stdout).toContain('PASS nexus-http');
    expect(r.code).toBe(0);
  });
});

describe('lab nexus-http: a known wrong fix fails and gets its trap feedback', () => {
  const traps: Array<[string, Record<string, string>, string]> = [
    ['toml-dropin', { 'node/etc/containers/registries.conf.d/99-nexus.toml': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' }, 'Your drop-in ends in .toml'],
    ['dns-name-not-ip', { 'node/etc/containers/registries.conf.d/99-nexus.conf': '[[registry]]\nlocation = "nexus.lab.example:5001"\ninsecure = true\n' }, 'You marked the DNS name nexus.lab.example:5001 insecure'],
    ['dns-name-not-ip (Image CR)', { 'cluster/01-image-cluster.yaml': IMAGE_CR.replace('192.168.10.11:5001', 'nexus.lab.example:5001') }, 'You marked the DNS name nexus.lab.example:5001 insecure'],
  ];
  it.each(traps)('%s', async (_id, files, feedback) => {
    const ws = await startLab('nexus-http');
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(feedback);
    expect(r.stdout).toContain(EVENT);
  });

  it('a wrong fix no trap describes fails without trap feedback', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'node/etc/containers/registries.conf.d/99-nexus.conf': '[[registry]]\nlocation = "192.168.10.99:5001"\ninsecure = true\n' });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Trap (');
  });
});

describe('lab check: a workspace file the node cannot parse gives the node\'s own error', () => {
  it('a broken drop-in: CRI-O\'s registries.conf error in the event, exit 1', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'node/etc/containers/registries.conf.d/99-nexus.conf': '[[registry]\nlocation = "192.168.10.11:5001"\n' });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('loading drop-in registries configuration "/etc/containers/registries.conf.d/99-nexus.conf"');
  });

  it('a cluster file oc apply cannot parse: oc\'s error, exit 1', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'cluster/01-image-cluster.yaml': 'apiVersion: v1\nkind: [\n' });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: error parsing cluster/01-image-cluster.yaml: error converting YAML to JSON: yaml:');
  });

  it('a cluster object without kind: oc\'s validation error, exit 1', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'cluster/01-image-cluster.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error validating "cluster/01-image-cluster.yaml": error validating data: [kind not set]');
  });
});

describe('lab check --json and --junit: grading output', () => {
  it('--json reports per pull goal, outcome, pass and traps; hints used and solution seen', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'node/etc/containers/registries.conf.d/99-nexus.toml': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' });
    await cli(['lab', 'hint', ws.dir]);
    const r = await cli(['lab', 'check', ws.dir, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ lab: 'nexus-http', pass: false, hintsUsed: 1, solutionSeen: false, checks: 1, firstPass: null });
    expect(doc.pulls[0]).toMatchObject({ pull: 0, image: '192.168.10.11:5001/test/test:latest', pass: false, goal: { result: 'pulled', from: 'nexus' }, outcome: { result: 'failed' } });
    expect(doc.pulls[0].traps.map((t: { id: string }) => t.id)).toEqual(['toml-dropin']);
  });

  it('--junit writes valid JUnit XML with one testcase per goal, failing then passing', async () => {
    const ws = await startLab('nexus-http');
    const file = join(tempRoot(), 'report.xml');
    expect((await cli(['lab', 'check', ws.dir, '--junit', file])).code).toBe(1);
    const failing = wellFormedXml(readFileSync(file, 'utf8'));
    expect(failing.reason).toBeUndefined();
    const cases = failing.elements.filter((e) => e.name === 'testcase');
    expect(cases).toHaveLength(1);
    expect(failing.elements.filter((e) => e.name === 'failure')).toHaveLength(1);
    expect(failing.elements.find((e) => e.name === 'failure')!.text).toContain('server gave HTTP response to HTTPS client');
    ws.write({ 'node/etc/containers/registries.conf.d/50-nexus.conf': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' });
    expect((await cli(['lab', 'check', ws.dir, '--junit', file])).code).toBe(0);
    const passing = wellFormedXml(readFileSync(file, 'utf8'));
    expect(passing.ok).toBe(true);
    expect(passing.elements.find((e) => e.name === 'testsuite')!.attrs).toMatchObject({ tests: '1', failures: '0' });
  });
});
