import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readImages, type ImageEntry } from '../../src/compare/images-list.js';
import { kubernetesImages } from '../../src/compare/workload-images.js';
import { NUM_RUNS } from '../fuzz/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'pullsim-images-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, content: string): Promise<ImageEntry[]> {
  writeFileSync(join(dir, name), content);
  const out: ImageEntry[] = [];
  for await (const e of readImages(join(dir, name))) out.push(e);
  return out;
}

const podSpec = `
      serviceAccountName: builder
      imagePullSecrets: [{ name: quay-pull }]
      initContainers: [{ name: init, image: quay.io/a/init:1 }]
      containers: [{ name: app, image: quay.io/a/app:1 }]`;

describe('--images: a plain list', () => {
  it.each([
    ['one per line, # comments and blank lines skipped', '# team images\nquay.io/a/b:1\n\n  docker.io/c/d:2  # pinned\n', ['quay.io/a/b:1', 'docker.io/c/d:2']],
    ['CRLF line ends', 'quay.io/a/b:1\r\nquay.io/a/c:1\r\n', ['quay.io/a/b:1', 'quay.io/a/c:1']],
    ['short names kept as written', 'nginx\n', ['nginx']],
    ['UTF-8 kept', 'reg.test/grüße:1\n', ['reg.test/grüße:1']],
    ['tabs, vertical tabs, form feeds and Unicode blanks trimmed', '\tquay.io/a\v\n\fquay.io/b\u00a0\n', ['quay.io/a', 'quay.io/b']],
    ['no final line break', 'quay.io/a\nquay.io/b', ['quay.io/a', 'quay.io/b']],
  ])('%s', async (_what, content, want) => {
    expect((await read('list.txt', content)).map((e) => e.image)).toEqual(want);
  });
});

describe('--images: a plain list read in chunks gives what reading it whole gives', () => {
  const reference = (text: string) => text.split(/[\r\n]/).map((l) => (l.includes('#') ? l.slice(0, l.indexOf('#')) : l).trim()).filter((l) => l !== '');
  const line = fc.array(fc.constantFrom('q', '.', '/', ':', '#', ' ', '\t', '\r', '\n', 'é', '\u00a0', '€'), { maxLength: 12 }).map((cs) => cs.join(''));

  it('for random lines of ASCII, blanks, comments, CR and multi-byte characters', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
      const text = lines.join('\n');
      expect((await read('random.txt', text)).map((e) => e.image)).toEqual(reference(text));
    }), { numRuns: NUM_RUNS });
  });

  it('across chunk boundaries (multi-byte characters and CRLF cut by a chunk end)', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => (i % 997 === 0 ? `reg.test/ü${i}\r` : i % 1009 === 0 ? ` reg.test/c${i} # x` : `reg.test/app${i}:v1`));
    const text = lines.join('\n');
    expect((await read('big.txt', text)).map((e) => e.image)).toEqual(reference(text));
  });
});

describe('--images: Kubernetes YAML/JSON, every container with namespace, ServiceAccount, pull secrets', () => {
  it.each([
    ['Pod', `apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: team }\nspec:${podSpec.replace(/^ {4}/gm, '')}\n`, 'Pod team/p'],
    ['Deployment', `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d, namespace: team }\nspec:\n  template:\n    spec:${podSpec}\n`, 'Deployment team/d'],
    ['DaemonSet', `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: d, namespace: team }\nspec:\n  template:\n    spec:${podSpec}\n`, 'DaemonSet team/d'],
    ['StatefulSet', `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: d, namespace: team }\nspec:\n  template:\n    spec:${podSpec}\n`, 'StatefulSet team/d'],
    ['Job', `apiVersion: batch/v1\nkind: Job\nmetadata: { name: d, namespace: team }\nspec:\n  template:\n    spec:${podSpec}\n`, 'Job team/d'],
    ['CronJob', `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: d, namespace: team }\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:${podSpec.replace(/^(?=.)/gm, '    ')}\n`, 'CronJob team/d'],
  ])('%s', (_what, yaml, what) => {
    expect(kubernetesImages(yaml, 'w.yaml')).toEqual([
      { image: 'quay.io/a/init:1', namespace: 'team', serviceAccount: 'builder', pullSecrets: ['quay-pull'], from: `${what}, init container init` },
      { image: 'quay.io/a/app:1', namespace: 'team', serviceAccount: 'builder', pullSecrets: ['quay-pull'], from: `${what}, container app` },
    ]);
  });

  it('oc get pods -A -o json: a List, ephemeral containers, default namespace and ServiceAccount', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dbg', resourceVersion: '7' }, spec: { containers: [{ name: 'c', image: 'a.io/x:1' }], ephemeralContainers: [{ name: 'e', image: 'a.io/debug:1' }] }, status: { phase: 'Running' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } },
    ] };
    expect(await read('pods.json', JSON.stringify(list))).toEqual([
      { image: 'a.io/x:1', namespace: 'default', serviceAccount: 'default', pullSecrets: [], from: 'Pod default/dbg, container c' },
      { image: 'a.io/debug:1', namespace: 'default', serviceAccount: 'default', pullSecrets: [], from: 'Pod default/dbg, ephemeral container e' },
    ]);
  });

  it.each([
    ['YAML error with its line', 'apiVersion: v1\nkind: Pod\nmetadata: [\n', 'w.yaml, line'],
    ['a container without an image, with kind, name and field', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: t }\nspec: { containers: [{ name: c }] }\n', 'w.yaml, line 1: Pod t/p: field spec.containers[0].image'],
    ['imagePullSecrets not a list', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { imagePullSecrets: x, containers: [{ name: c, image: a/b }] }\n', 'field spec.imagePullSecrets: not a list'],
  ])('refuses %s', (_what, yaml, message) => {
    expect(() => kubernetesImages(yaml, 'w.yaml')).toThrow();
    try {
      kubernetesImages(yaml, 'w.yaml');
    } catch (e) {
      expect((e as { format(): string }).format()).toContain(message);
    }
  });
});
