/** Lab containerd-mirror-resolve: a containerd node whose mirror may pull but not resolve a tag. */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab } from './lab-harness.js';

const LAB = 'containerd-mirror-resolve';
const FOLDER = 'node/etc/containerd/certs.d/registry.vendor.example:5999';
const EVENT = 'Failed to pull image "registry.vendor.example:5999/product/app:3.1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.vendor.example:5999/product/app:3.1": failed to resolve reference "registry.vendor.example:5999/product/app:3.1": failed to do request: Head "https://registry.vendor.example:5999/v2/product/app/manifests/3.1": dial tcp 192.168.20.10:5999: connect: connection refused';
const hostsToml = (caps: string) => `server = "https://registry.vendor.example:5999"\n\n[host."http://mirror.lab.example:5000"]\n${caps}`;

describe('lab containerd-mirror-resolve: the starting node fails as containerd 1.6.20 does', () => {
  it('TASK.md and check show the vendor registry refusing the connection; explain is containerd\'s', async () => {
    const ws = await startLab(LAB);
    expect(ws.read('TASK.md')).toContain(EVENT);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(EVENT);
    expect(r.stdout).toContain('(runtime containerd: containerd 1.6.20');
    expect(r.stdout).toMatch(/host 1: http:\/\/mirror\.lab\.example:5000\/v2 .*\n\s+capabilities: pull → /);
    expect(r.stdout).not.toContain('registries.conf');
  });
});

describe('lab containerd-mirror-resolve: any correct fix passes', () => {
  it.each([
    ['resolve added to the mirror\'s capabilities', { [`${FOLDER}/hosts.toml`]: hostsToml('  capabilities = ["pull", "resolve"]\n') }],
    ['no capabilities line: every capability', { [`${FOLDER}/hosts.toml`]: hostsToml('') }],
    ['the _port_ folder, read before the colon one', { 'node/etc/containerd/certs.d/registry.vendor.example_5999_/hosts.toml': '[host."http://mirror.lab.example:5000"]\n  capabilities = ["resolve", "pull"]\n' }],
  ])('%s', async (_what, files) => {
    const ws = await startLab(LAB);
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.stdout).toContain(`PASS ${LAB}`);
    expect(r.code).toBe(0);
  });
});

describe('lab containerd-mirror-resolve: a known wrong fix fails and gets its trap feedback', () => {
  it.each([
    ['server-only', { [`${FOLDER}/hosts.toml`]: 'server = "http://mirror.lab.example:5000"\n' }, [], 'Your hosts.toml has only a server line'],
    ['folder-without-port', { 'node/etc/containerd/certs.d/registry.vendor.example/hosts.toml': hostsToml('  capabilities = ["pull", "resolve"]\n') }, [FOLDER], 'a folder named without the\n  port'],
  ])('%s', async (id, files, remove, feedback) => {
    const ws = await startLab(LAB);
    for (const rel of remove) ws.remove(rel);
    ws.write(files);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Trap (${id}):`);
    expect(r.stdout).toContain(feedback);
    expect(r.stdout).toContain('connect: connection refused');
  });

  it('push instead of resolve: still skipped for a tag, no trap claims it', async () => {
    const ws = await startLab(LAB);
    ws.write({ [`${FOLDER}/hosts.toml`]: hostsToml('  capabilities = ["pull", "push"]\n') });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(EVENT);
    expect(r.stdout).not.toContain('Trap (');
  });
});

describe('lab start on a containerd node names what the student may edit and lays out containerd\'s folders', () => {
  it('prints the lab\'s editable paths and makes node/etc/containerd/certs.d, not /etc/containers', async () => {
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = join(mkdtempSync(join(tmpdir(), 'lab-start-')), 'ws');
    const r = await cli(['lab', 'start', LAB, '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`edit ${join(dir, 'node/etc/containerd')}/, then: pullsim lab check ${dir}`);
    expect(existsSync(join(dir, 'node/etc/containerd/certs.d'))).toBe(true);
    expect(existsSync(join(dir, 'node/etc/containers'))).toBe(false);
  });
});
