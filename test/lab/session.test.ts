import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab, tempRoot } from './lab-harness.js';

const progress = (dir: string) => JSON.parse(readFileSync(join(dir, '.pullsim-lab.json'), 'utf8'));

describe('lab hint: the lab\'s hints in order, counted in the progress', () => {
  it('gives hint 1, 2, 3, then says there are no more', async () => {
    const ws = await startLab('nexus-http');
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await cli(['lab', 'hint', ws.dir])).stdout);
    expect(seen[0]).toMatch(/^Hint 1\/3: Read the event/);
    expect(seen[1]).toMatch(/^Hint 2\/3: /);
    expect(seen[2]).toMatch(/^Hint 3\/3: /);
    expect(seen[3]).toContain('No more hints');
    expect(progress(ws.dir).hintsUsed).toBe(3);
  });
});

describe('lab solution: the reference fix as a unified diff, recorded', () => {
  it('prints a new-file diff with a hunk header and marks the solution seen', async () => {
    const ws = await startLab('nexus-http');
    const r = await cli(['lab', 'solution', ws.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('--- /dev/null\n+++ b/node/etc/containers/registries.conf.d/99-nexus.conf\n@@ -0,0 +1,3 @@\n+[[registry]]\n+location = "192.168.10.11:5001"\n+insecure = true\n');
    expect(progress(ws.dir).solutionSeen).toBe(true);
  });

  it('a changed file shows context and changed lines, secrets redacted', async () => {
    const ws = await startLab('wrong-password');
    const r = await cli(['lab', 'solution', ws.dir]);
    expect(r.stdout).toContain('--- a/cluster/01-secret-prj-pull.yaml\n+++ b/cluster/01-secret-prj-pull.yaml\n@@ -1,');
    expect(r.stdout).toContain(' kind: Secret');
    expect(r.stdout).not.toContain('s3cret-Pa55');
    expect(r.stdout).not.toContain('0ld-Pa55w0rd');
  });
});

describe('lab check: progress counts checks and the first pass', () => {
  it('records checks and the number of the first passing check', async () => {
    const ws = await startLab('nexus-http');
    await cli(['lab', 'check', ws.dir]);
    ws.write({ 'node/etc/containers/registries.conf.d/50-nexus.conf': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' });
    await cli(['lab', 'check', ws.dir]);
    await cli(['lab', 'check', ws.dir]);
    expect(progress(ws.dir)).toMatchObject({ lab: 'nexus-http', checks: 3, firstPass: 2 });
  });
});

describe('lab reset: back to the starting files, progress kept', () => {
  it('removes the student\'s files and fails again', async () => {
    const ws = await startLab('nexus-http');
    ws.write({ 'node/etc/containers/registries.conf.d/50-nexus.conf': '[[registry]]\nlocation = "192.168.10.11:5001"\ninsecure = true\n' });
    await cli(['lab', 'hint', ws.dir]);
    expect((await cli(['lab', 'reset', ws.dir])).code).toBe(0);
    expect(existsSync(join(ws.dir, 'node/etc/containers/registries.conf.d/50-nexus.conf'))).toBe(false);
    expect(existsSync(join(ws.dir, 'TASK.md'))).toBe(true);
    expect(progress(ws.dir).hintsUsed).toBe(1);
    expect((await cli(['lab', 'check', ws.dir])).code).toBe(1);
  });
});

describe('lab start: where it writes', () => {
  it('defaults to ./LAB and refuses a non-empty folder without --force', async () => {
    const root = tempRoot();
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect((await cli(['lab', 'start', 'harbor-ca'])).code).toBe(0);
      expect(existsSync(join(root, 'harbor-ca', 'TASK.md'))).toBe(true);
      const again = await cli(['lab', 'start', 'harbor-ca']);
      expect(again.code).toBe(2);
      expect(again.stderr).toBe('pullsim: harbor-ca is not empty; give another --dir, or --force to write over it\n');
      expect((await cli(['lab', 'start', 'harbor-ca', '--force'])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('lab list', () => {
  it('lists at least 20 bundled labs, nexus-http and harbor-ca among them; --json names their images', async () => {
    const r = await cli(['lab', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; title: string; topic: string; level: string; images: string[] }>;
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.find((x) => x.id === 'nexus-http')).toMatchObject({ level: 'beginner', images: ['192.168.10.11:5001/test/test:latest'] });
    expect(rows.map((x) => x.id)).toContain('harbor-ca');
    expect(new Set(rows.map((x) => x.id)).size).toBe(rows.length);
  });
});

describe('lab check: a fix counts only inside the lab\'s editable paths and with the lab\'s pods', () => {
  it('a cluster-level lab fixed by a node file fails, naming the file', async () => {
    const ws = await startLab('trusted-ca-cluster');
    ws.write({ 'node/etc/containers/certs.d/registry.lab.example:5443/ca.crt': ws.read('ca.crt') });
    const r = await cli(['lab', 'check', ws.dir, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.pulls[0].pass).toBe(true);
    expect(doc.outsideEditable).toEqual(['node/etc/containers/certs.d/registry.lab.example:5443/ca.crt']);
  });

  it('deleting the pod whose pull is judged fails (kubectl\'s NotFound), it does not pass vacuously', async () => {
    const ws = await startLab('private-pod-secret');
    ws.remove('cluster/01-pod-web.yaml');
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Error from server (NotFound): pods "web" not found');
  });

  it('a pod the API server would refuse fails with the API server\'s error', async () => {
    const ws = await startLab('pull-policy-never');
    ws.write({ 'cluster/01-pod-app.yaml': ws.read('cluster/01-pod-app.yaml').replace('imagePullPolicy: Never', 'imagePullPolicy: never') });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Pod "app" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "never": supported values: "Always", "IfNotPresent", "Never"');
  });
});
