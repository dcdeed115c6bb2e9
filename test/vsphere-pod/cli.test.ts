/**
 * vSphere Pods through the CLI: pull-secret passwords never reach any output (run text and --json,
 * pulled and refused), and explain, which has nothing to read for this runtime, says so with exit 2.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { cli, tempTree } from '../cli/cli-harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const stories = join(packageRoot(), 'scenarios', 'vsphere');
const FORBIDDEN = ['Harb0r-pull!', b64('devops:Harb0r-pull!'), 'Wr0ng-Pa55word', b64('devops:Wr0ng-Pa55word')];

const tree = tempTree();
const dir = tree.write({
  'wrong.yaml': `name: wrong password
runtime: vsphere-pod
cas: { harbor: {} }
images: { app: {} }
registries:
  harbor:
    host: harbor.example.com
    tls: { ca: harbor }
    auth: { type: bearer, users: { devops: Harb0r-pull! } }
    images: { team/app:1: app }
cluster:
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: image-fetcher-ca-bundle, namespace: kube-system }, data: { ca-bundle: { ca: harbor } } }
  - apiVersion: v1
    kind: Secret
    metadata: { name: creds, namespace: default }
    type: kubernetes.io/dockerconfigjson
    data: { .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'harbor.example.com': { auth: b64('devops:Wr0ng-Pa55word') } } }))} }
pulls:
  - image: harbor.example.com/team/app:1
    secrets: [creds]
    expect: { result: failed }
`,
});

describe('no pull-secret password in any output of a vSphere Pod run', () => {
  it.each<[string, string[]]>([
    ['run text, pulled with a secret', ['run', join(stories, '04-harbor-private-project-secret.yaml')]],
    ['run json, pulled with a secret', ['run', join(stories, '04-harbor-private-project-secret.yaml'), '--json']],
    ['run text, wrong password', ['run', join(dir, 'wrong.yaml')]],
    ['run json, wrong password', ['run', join(dir, 'wrong.yaml'), '--json']],
  ])('%s', async (_name, argv) => {
    const r = await cli(argv);
    expect(r.code).toBe(0);
    for (const s of FORBIDDEN) expect(r.stdout + r.stderr).not.toContain(s);
  });
});

describe('explain on a vsphere-pod scenario', () => {
  it('names the runtime and exits 2', async () => {
    const r = await cli(['explain', 'harbor.example.com/team/app:1', '--scenario', join(dir, 'wrong.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/explain: runtime vsphere-pod reads no node configuration/);
    expect(r.stdout).toBe('');
  });
});
