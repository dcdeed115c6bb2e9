import { describe, expect, it } from 'vitest';
import { PolicyError, fail } from '../../src/errors/index.js';
import { MemoryFS, type NodeFS } from '../../src/node-fs.js';
import { loadKept } from '../../src/pull/node-config-cache.js';
import { pullContext } from '../../src/pull/pull-context.js';
import { defaultSystemContext } from '../../src/system-context.js';

/** A loader that reads a file and lists a directory, counting its runs. */
function counter() {
  let runs = 0;
  const load = (fs: NodeFS) => {
    runs++;
    return { main: fs.read('/etc/main.conf'), dropIns: fs.list('/etc/main.d').map((n) => fs.read(`/etc/main.d/${n}`)) };
  };
  return { load, runs: () => runs };
}

describe('kept loads follow the files they read', () => {
  it('unchanged files: one load, the same value', () => {
    const fs = new MemoryFS({ '/etc/main.conf': 'a', '/etc/main.d/1.conf': 'x' });
    const c = counter();
    const first = loadKept(fs, 'k', c.load);
    expect(loadKept(fs, 'k', c.load)).toBe(first);
    expect(c.runs()).toBe(1);
  });

  it.each([
    ['a read file changes', (fs: MemoryFS) => fs.write('/etc/main.conf', 'b'), { main: 'b', dropIns: ['x'] }],
    ['a drop-in appears', (fs: MemoryFS) => fs.write('/etc/main.d/2.conf', 'y'), { main: 'a', dropIns: ['x', 'y'] }],
    ['a drop-in changes', (fs: MemoryFS) => fs.write('/etc/main.d/1.conf', 'z'), { main: 'a', dropIns: ['z'] }],
  ])('%s: loaded again', (_n, change, want) => {
    const fs = new MemoryFS({ '/etc/main.conf': 'a', '/etc/main.d/1.conf': 'x' });
    const c = counter();
    loadKept(fs, 'k', c.load);
    change(fs);
    expect(loadKept(fs, 'k', c.load)).toEqual(want);
    expect(c.runs()).toBe(2);
  });

  it('a write of the same bytes keeps the load (the files are compared, not the write count)', () => {
    const bytes = (t: string) => new Uint8Array(Buffer.from(t));
    const fs = new MemoryFS({ '/etc/main.conf': bytes('a'), '/etc/main.d/1.conf': 'x' });
    const c = counter();
    const first = loadKept(fs, 'k', c.load);
    fs.write('/etc/main.conf', bytes('a'));
    expect(loadKept(fs, 'k', c.load)).toBe(first);
    expect(c.runs()).toBe(1);
  });

  it('a node without a generation is checked file by file', () => {
    const mem = new MemoryFS({ '/etc/main.conf': 'a' });
    const fs: NodeFS = { read: (p) => mem.read(p), exists: (p) => mem.exists(p), isDir: (p) => mem.isDir(p), list: (p) => mem.list(p) };
    const c = counter();
    loadKept(fs, 'k', c.load);
    loadKept(fs, 'k', c.load);
    mem.write('/etc/main.conf', 'b');
    expect(loadKept(fs, 'k', c.load)).toEqual({ main: 'b', dropIns: [] });
    expect(c.runs()).toBe(2);
  });

  it('another key or another node is another load', () => {
    const files = { '/etc/main.conf': 'a' };
    const fs = new MemoryFS(files);
    const c = counter();
    loadKept(fs, 'k', c.load);
    loadKept(fs, 'other', c.load);
    loadKept(new MemoryFS(files), 'k', c.load);
    expect(c.runs()).toBe(3);
  });

  it('a stack error is kept and thrown again; anything else is not kept', () => {
    const fs = new MemoryFS({});
    let runs = 0;
    const failing = () => {
      runs++;
      throw fail(PolicyError, 'policy.open-missing', '/etc/containers/policy.json');
    };
    expect(() => loadKept(fs, 'p', failing)).toThrow('open /etc/containers/policy.json: no such file or directory');
    expect(() => loadKept(fs, 'p', failing)).toThrow(PolicyError);
    expect(runs).toBe(1);
    const buggy = () => {
      runs++;
      throw new TypeError('bug');
    };
    expect(() => loadKept(fs, 'b', buggy)).toThrow(TypeError);
    expect(() => loadKept(fs, 'b', buggy)).toThrow(TypeError);
    expect(runs).toBe(3);
  });
});

describe('pull contexts share loads of one node', () => {
  const net = { dialer: { dial: () => ({ ok: false as const, error: 'nxdomain' as const, host: '' }) }, registryAt: () => null };
  it('a second pull reuses registries.conf and policy.json; another SystemContext does not', () => {
    const fs = new MemoryFS({
      '/etc/containers/registries.conf': 'unqualified-search-registries = ["quay.io"]\n',
      '/etc/containers/policy.json': '{"default": [{"type": "insecureAcceptAnything"}]}',
    });
    const sys = defaultSystemContext('skopeo');
    const a = pullContext(fs, sys, net);
    const b = pullContext(fs, { ...sys }, net);
    expect(b.registries()).toBe(a.registries());
    expect(b.policy()).toBe(a.policy());
    const c = pullContext(fs, { ...sys, signaturePolicyPath: '/etc/containers/policy.json' }, net);
    expect(c.policy()).not.toBe(a.policy());
    expect(c.policy()).toEqual(a.policy());
  });

  it('a changed policy.json is read again', () => {
    const fs = new MemoryFS({ '/etc/containers/policy.json': '{"default": [{"type": "insecureAcceptAnything"}]}' });
    const sys = defaultSystemContext('skopeo');
    expect(pullContext(fs, sys, net).policy().default).toEqual([{ type: 'insecureAcceptAnything' }]);
    fs.write('/etc/containers/policy.json', '{"default": [{"type": "reject"}]}');
    expect(pullContext(fs, sys, net).policy().default).toEqual([{ type: 'reject' }]);
  });
});
