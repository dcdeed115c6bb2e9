import { describe, expect, it } from 'vitest';
import { SameDecision } from '../../src/compare/same-decision.js';
import { explainContext } from '../../src/explain/node-context.js';
import { MemoryFS } from '../../src/node-fs.js';
import type { RuntimeName } from '../../src/system-context.js';

const ACCEPT = '{"default":[{"type":"insecureAcceptAnything"}]}';
const BASE = 'unqualified-search-registries = ["quay.io"]\n';
const TABLES = '[[registry]]\nlocation = "quay.io"\n[[registry]]\nprefix = "quay.io/org"\nlocation = "mirror.test/org"\n[[registry]]\nlocation = "reg.test"\n';

function side(conf: string, extra: Record<string, string> = {}, runtime: RuntimeName = 'crio') {
  return { fs: new MemoryFS({ '/etc/containers/registries.conf': conf, '/etc/containers/policy.json': ACCEPT, ...extra }), sys: explainContext(runtime) };
}

describe('settings other than the [[registry]] table must be identical, else every image takes the full explain', () => {
  it.each([
    ['policy.json changed', side(BASE + TABLES), side(BASE + TABLES, { '/etc/containers/policy.json': '{"default":[{"type":"reject"}]}' })],
    ['an auth file added', side(BASE + TABLES), side(BASE + TABLES, { '/var/lib/kubelet/config.json': '{"auths":{}}' })],
    ['the search list changed', side(BASE + TABLES), side('unqualified-search-registries = ["docker.io"]\n' + TABLES)],
    ['another runtime', side(BASE + TABLES), side(BASE + TABLES, {}, 'podman')],
    ['a registries.conf that does not load', side(BASE + TABLES), side('[[registry]\n')],
  ])('%s', (_what, a, b) => {
    expect(SameDecision.for(a, b)).toBeUndefined();
  });

  it('the same settings, tables apart, and a drop-in holding a table: checked per image', () => {
    const b = side(BASE, { '/etc/containers/registries.conf.d/10-t.conf': TABLES });
    expect(SameDecision.for(side(BASE + TABLES), b)).toBeDefined();
  });
});

describe('per image: vouched only when no differing entry can govern its names', () => {
  const blockedReg = side(BASE + TABLES.replace('location = "reg.test"\n', 'location = "reg.test"\nblocked = true\n'));
  const blockedMirror = side(`${BASE + TABLES}[[registry]]\nlocation = "mirror.test"\nblocked = true\n`);
  it.each([
    ['an image under the changed entry', blockedReg, 'reg.test/a/b:1', false],
    ['an image elsewhere', blockedReg, 'quay.io/a/b:1', true],
    ['a short name whose candidates avoid the change', blockedReg, 'b:1', true],
    ['an image whose source (the rewritten location) the changed entry governs', blockedMirror, 'quay.io/org/app:1', false],
    ['an image of the same host whose entry rewrites nowhere', blockedMirror, 'quay.io/other/app:1', true],
  ])('%s', (_what, b, image, vouched) => {
    expect(SameDecision.for(side(BASE + TABLES), b)!.image(image)).toBe(vouched);
  });
});
