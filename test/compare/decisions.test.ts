import { describe, expect, it } from 'vitest';
import { classify } from '../../src/compare/classify.js';
import { decide } from '../../src/compare/decisions.js';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext, type RuntimeName } from '../../src/system-context.js';

const ACCEPT = '{"default":[{"type":"insecureAcceptAnything"}]}';
const BASE = 'unqualified-search-registries = ["quay.io"]\n';

function node(conf: string, policy = ACCEPT, dropIns: Record<string, string> = {}): MemoryFS {
  const files: Record<string, string> = { '/etc/containers/registries.conf': conf, '/etc/containers/policy.json': policy };
  for (const [name, text] of Object.entries(dropIns)) files[`/etc/containers/registries.conf.d/${name}`] = text;
  return new MemoryFS(files);
}

function view(fs: MemoryFS, image: string, runtime: RuntimeName = 'crio') {
  const d = decide(fs, defaultSystemContext(runtime), image);
  return { failure: d.certainFailure, sources: d.sources, digest: d.digest, facts: d.facts };
}

describe('certain failures: what no registry answer can rescue', () => {
  it.each([
    ['blocked with no other source', node(`${BASE}[[registry]]\nlocation = "docker.io"\nblocked = true\n`), 'docker.io/library/nginx:1', 'crio', /every source is blocked/],
    ['policy reject', node(BASE, '{"default":[{"type":"reject"}]}'), 'quay.io/a/b:1', 'crio', /policy.json rejects it \(scope default\)/],
    ['a digest-only mirror and a blocked primary, pulled by tag', node(`${BASE}[[registry]]\nlocation = "quay.io/a"\nblocked = true\n[[registry.mirror]]\nlocation = "m.example.com/a"\npull-from-mirror = "digest-only"\n`), 'quay.io/a/b:1', 'crio', /every source is blocked/],
    ['an enforcing short-name refusal (podman without a TTY)', node('unqualified-search-registries = ["quay.io", "docker.io"]\nshort-name-mode = "enforcing"\n'), 'nginx', 'podman', /short-name resolution enforced but cannot prompt without a TTY/],
    ['a registries.conf that does not parse', node('[[registry]\n'), 'quay.io/a/b:1', 'crio', /registries.conf/],
  ] as const)('%s', (_what, fs, image, runtime, failure) => {
    expect(view(fs, image, runtime).failure).toMatch(failure);
  });

  it.each([
    ['a blocked primary behind a mirror', node(`${BASE}[[registry]]\nlocation = "quay.io/a"\nblocked = true\n[[registry.mirror]]\nlocation = "m.example.com/a"\n`), 'quay.io/a/b:1'],
    ['a plain registry', node(BASE), 'quay.io/a/b:1'],
  ])('not a certain failure: %s', (_what, fs, image) => {
    expect(view(fs, image).failure).toBeNull();
  });
});

describe('classes: breaks, fixes, changes source, changes decisions only', () => {
  const plain = node(BASE);
  it.each([
    ['blocking a registry breaks', plain, node(`${BASE}[[registry]]\nlocation = "quay.io"\nblocked = true\n`), 'breaks'],
    ['unblocking fixes', node(`${BASE}[[registry]]\nlocation = "quay.io"\nblocked = true\n`), plain, 'fixes'],
    ['a mirror in a drop-in changes the source', plain, node(BASE, ACCEPT, { '10-m.conf': '[[registry]]\nlocation = "quay.io/a"\n[[registry.mirror]]\nlocation = "m.example.com/a"\n' }), 'changes source'],
    ['insecure = true changes a decision only', plain, node(`${BASE}[[registry]]\nlocation = "quay.io"\ninsecure = true\n`), 'changes decisions only'],
    ['a drop-in for another registry changes nothing', plain, node(BASE, ACCEPT, { '10-m.conf': '[[registry]]\nlocation = "ghcr.io/x"\ninsecure = true\n' }), null],
    ['the same config changes nothing', plain, node(BASE), null],
  ])('%s', (_what, a, b, cls) => {
    expect(classify(view(a, 'quay.io/a/b:1'), view(b, 'quay.io/a/b:1'))?.class ?? null).toBe(cls);
  });
});
