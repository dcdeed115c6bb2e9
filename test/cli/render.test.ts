import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const AUTH = Buffer.from('dave:Global-Pa55word').toString('base64');
const tree = tempTree();
tree.write({
  's.yaml': `name: render
cluster:
  - apiVersion: config.openshift.io/v1
    kind: Image
    metadata: { name: cluster }
    spec: { registrySources: { blockedRegistries: [blocked.example.com] } }
  - apiVersion: v1
    kind: Secret
    metadata: { name: pull-secret, namespace: openshift-config }
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths": {"reg.example.com": {"auth": "${AUTH}"}}}'
pulls:
  - image: reg.example.com/a/b:1
`,
});

describe('render prints files, not diff markers', () => {
  it('a file without a final newline says so in its header, never "\\\\ No newline at end of file"', async () => {
    const r = await cli(['render', join(tree.dir, 's.yaml')]);
    expect(r.stdout).not.toContain('\\ No newline at end of file');
    expect(r.stdout).toMatch(/==> \/etc\/containers\/policy\.json {2}\[[^\]]+\] {2}\(no newline at end of file\)\n/);
  });
});

describe('render --out with a credential file: says the written tree holds no usable credentials', () => {
  it('writes <redacted>, never the secret, and says what that means for a node root', async () => {
    const out = join(tree.dir, 'out');
    const r = await cli(['render', join(tree.dir, 's.yaml'), '--out', out]);
    const written = readFileSync(join(out, 'var/lib/kubelet/config.json'), 'utf8');
    expect(written).toContain('<redacted>');
    expect(written).not.toContain(AUTH);
    expect(r.stdout).toContain('(secret values redacted)');
    expect(r.stdout).toContain('note: 1 credential file(s) written with <redacted> in place of each secret value: as a node root (explain --root, node.root) they hold no usable credentials');
  });
});
