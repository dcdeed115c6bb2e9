import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConf, type Registry } from '../../src/config/registries-conf.js';
import { ImageRefError, ShortNameError, StackError } from '../../src/errors/index.js';
import { MemoryFS } from '../../src/node-fs.js';
import { parseNormalizedNamed, refString, tagNameOnly } from '../../src/reference/reference.js';
import { blockedError, endpointAccess } from '../../src/resolve/endpoint-access.js';
import { implicitRegistry, pullSourcesFromReference, refMatchingPrefix } from '../../src/resolve/pull-sources.js';
import { buildRegistryIndex, findRegistry } from '../../src/resolve/registry-index.js';
import { resolveShortName } from '../../src/resolve/short-names.js';
import { defaultSystemContext, type RuntimeName } from '../../src/system-context.js';

const ETC = '/etc/containers/registries.conf';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function config(conf: string, extra: Record<string, string> = {}) {
  return loadRegistriesConf(new MemoryFS({ [ETC]: conf, ...extra }), defaultSystemContext('podman'));
}

function entries(...prefixes: string[]): string {
  return prefixes.map((p) => (p.startsWith('*.') ? `[[registry]]\nprefix = "${p}"\n` : `[[registry]]\nprefix = "${p}"\nlocation = "loc.test"\n`)).join('');
}

/** The library's own algorithm, a linear scan, to check the index against. */
function scan(registries: readonly Registry[], name: string): string {
  let best = '';
  for (const r of registries) if (refMatchingPrefix(name, r.prefix) !== -1 && r.prefix.length > best.length) best = r.prefix;
  return best;
}

describe('FindRegistry matching', () => {
  it.each([
    ['exact name', ['h.test/lab/app'], 'h.test/lab/app', 'h.test/lab/app'],
    ['path boundary', ['h.test/lab'], 'h.test/lab/app', 'h.test/lab'],
    ['partial component never matches', ['h.test/la'], 'h.test/lab/app', ''],
    ['host without port matches host:port (the ":" quirk)', ['h.test'], 'h.test:5000/app', 'h.test'],
    ['prefix with a tag never matches a name', ['h.test/lab/app:v1'], 'h.test/lab/app', ''],
    ['longest prefix wins', ['h.test', 'h.test/lab', 'h.test/lab/app'], 'h.test/lab/app', 'h.test/lab/app'],
    ['wildcard matches a subdomain', ['*.lab.test'], 'h.lab.test/app', '*.lab.test'],
    ['wildcard matches nested subdomains', ['*.lab.test'], 'a.b.lab.test/app', '*.lab.test'],
    ['wildcard never matches the bare domain', ['*.lab.test'], 'lab.test/app', ''],
    ['wildcard matches before a port', ['*.lab.test'], 'h.lab.test:5000/app', '*.lab.test'],
    ['wildcard in the path does not count', ['*.lab.test'], 'evil.test/x.lab.test/app', ''],
    ['only the first occurrence is tried', ['*.b.test'], 'a.b.test.b.test/app', ''],
    ['wildcard needs a boundary after it', ['*.lab.test'], 'h.lab.testx/app', ''],
    ['exact beats a shorter wildcard', ['*.lab.test', 'h.lab.test'], 'h.lab.test/app', '*.lab.test'],
    ['longer exact beats wildcard', ['*.lab.test', 'h.lab.test/app'], 'h.lab.test/app', 'h.lab.test/app'],
    ['equal length: first in prefix order', ['*.b.test', 'x.b.test'], 'x.b.test/app', '*.b.test'],
    ['"*" mid-prefix is a plain prefix', ['h.*.test'], 'h.lab.test/app', ''],
    ['no entries', [], 'h.test/app', ''],
  ])('%s', (_n, prefixes, name, want) => {
    const c = config(entries(...prefixes));
    expect(findRegistry(c.index, name)?.prefix ?? '').toBe(want);
    expect(scan(c.registries, name)).toBe(want);
  });

  it('agrees with the linear scan on a mixed table for many names', () => {
    const prefixes = ['h.test', 'h.test/lab', 'h.test:5000', '*.test', '*.lab.test', 'a.lab.test', 'a.lab.test/x/y', '*.b.lab.test', 'localhost'];
    const c = config(entries(...prefixes));
    const names = ['h.test/lab/a', 'h.test:5000/a', 'h.test:5001/a', 'a.lab.test/x/y/z', 'a.lab.test/x/yz', 'q.b.lab.test/a', 'b.lab.test/a', 'test/a', 'x.test', 'localhost:5000/a', 'localhost/a', 'lab.test.test/a', 'z.lab.test@sha'];
    for (const n of names) expect([n, findRegistry(c.index, n)?.prefix ?? '']).toEqual([n, scan(c.registries, n)]);
  });

  it('agrees with the linear scan on random tables and names (property)', () => {
    const label = fc.constantFrom('a', 'b', 'ab', 'x', 'test');
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    const tail = fc.array(fc.tuple(fc.constantFrom(':', '/', '@'), fc.constantFrom('5000', 'a', 'ns', 'x.test')), { maxLength: 3 }).map((t) => t.flat().join(''));
    const plain = fc.tuple(host, tail).map(([h, t]) => h + t);
    const wildcard = host.map((h) => `*.${h}`);
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(plain, wildcard), { maxLength: 12 }), fc.array(fc.tuple(host, tail).map(([h, t]) => h + t), { minLength: 1, maxLength: 8 }), (prefixes, names) => {
        // As the loader leaves them: one entry per prefix, in byte order.
        const registries = [...prefixes].sort().map((prefix) => ({ prefix }) as Registry);
        const index = buildRegistryIndex(registries);
        for (const n of names) expect([n, findRegistry(index, n)?.prefix ?? '']).toEqual([n, scan(registries, n)]);
      }),
      { numRuns: 300 },
    );
  });

  it('an index over an empty list finds nothing', () => {
    expect(findRegistry(buildRegistryIndex([]), 'h.test/a')).toBeUndefined();
  });
});

describe('pull sources', () => {
  const conf = `
[[registry]]
location = "h.test"
[[registry.mirror]]
location = "m1.test/cache"
[[registry.mirror]]
location = "m2.test/cache"
insecure = true

[[registry]]
prefix = "h.test/digest"
location = "h.test/digest"
mirror-by-digest-only = true
[[registry.mirror]]
location = "m1.test/d"

[[registry]]
prefix = "h.test/per"
location = "h.test/per"
[[registry.mirror]]
location = "m-dig.test"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "m-tag.test"
pull-from-mirror = "tag-only"
[[registry.mirror]]
location = "m-all.test"
pull-from-mirror = "all"

[[registry]]
prefix = "h.test/rw"
location = "q.test:8443/mirrored/rw"

[[registry]]
prefix = "*.wild.test"
[[registry.mirror]]
location = "m.test/w"

[[registry]]
prefix = "h.test/bad"
location = "q.test/x:v1"

[[registry]]
prefix = "h.test/hub"
location = "docker.io"
`;
  const c = config(conf);
  const sources = (image: string) => {
    const ref = tagNameOnly(parseNormalizedNamed(image));
    const reg = findRegistry(c.index, `${ref.domain}/${ref.path}`) ?? implicitRegistry(ref);
    return pullSourcesFromReference(reg, ref).map((s) => `${s.endpoint.location}${s.endpoint.insecure ? ' (insecure)' : ''}${s.isMirror ? ' mirror' : ''} -> ${refString(s.ref)}`);
  };

  it.each([
    ['mirrors in file order, primary last', 'h.test/a/b:v1', ['m1.test/cache mirror -> m1.test/cache/a/b:v1', 'm2.test/cache (insecure) mirror -> m2.test/cache/a/b:v1', 'h.test -> h.test/a/b:v1']],
    ['mirror-by-digest-only, tag', 'h.test/digest/a:v1', ['h.test/digest -> h.test/digest/a:v1']],
    ['mirror-by-digest-only, digest', `h.test/digest/a@${DIGEST}`, [`m1.test/d mirror -> m1.test/d/a@${DIGEST}`, `h.test/digest -> h.test/digest/a@${DIGEST}`]],
    ['pull-from-mirror, tag', 'h.test/per/a:v1', ['m-tag.test mirror -> m-tag.test/a:v1', 'm-all.test mirror -> m-all.test/a:v1', 'h.test/per -> h.test/per/a:v1']],
    ['pull-from-mirror, digest', `h.test/per/a@${DIGEST}`, [`m-dig.test mirror -> m-dig.test/a@${DIGEST}`, `m-all.test mirror -> m-all.test/a@${DIGEST}`, `h.test/per -> h.test/per/a@${DIGEST}`]],
    ['location rewrite', 'h.test/rw/app:v1', ['q.test:8443/mirrored/rw -> q.test:8443/mirrored/rw/app:v1']],
    ['wildcard: mirror rewritten after the host, primary unchanged', 'x.wild.test/lib/t:3', ['m.test/w mirror -> m.test/w/lib/t:3', ' -> x.wild.test/lib/t:3']],
    ['no match: the implicit registry', 'busybox', ['docker.io/library/busybox:latest -> docker.io/library/busybox:latest']],
  ])('%s', (_n, image, want) => {
    expect(sources(image)).toEqual(want);
  });

  it.each([
    ['location with a tag', 'h.test/bad/app:v1', 'rewriting reference: invalid reference format'],
    ['rewritten to a non-canonical name', 'h.test/hub/app:v1', 'rewriting reference: repository name must be canonical'],
  ])('%s', (_n, image, err) => {
    expect(() => sources(image)).toThrow(err);
  });

  it('rejects a registry that does not match the reference', () => {
    const ref = parseNormalizedNamed('other.test/a:v1');
    expect(() => pullSourcesFromReference(c.registries.find((r) => r.prefix === 'h.test')!, ref)).toThrow("invalid prefix 'h.test' for reference 'other.test/a:v1'");
  });
});

describe('blocked and insecure per physical endpoint', () => {
  const c = config(`
[[registry]]
location = "h.test"
blocked = true
[[registry.mirror]]
location = "m.test/cache"
[[registry.mirror]]
location = "bad.test/cache"

[[registry]]
location = "bad.test"
blocked = true
insecure = true

[[registry]]
prefix = "h.test/open"
location = "h.test/open"

[[registry]]
location = "m.test"
insecure = true
`);
  it.each([
    ['blocked primary', 'h.test/a:v1', { blocked: true, insecure: false, prefix: 'h.test' }],
    ['longer unblocked prefix wins', 'h.test/open/a:v1', { blocked: false, insecure: false, prefix: 'h.test/open' }],
    ['mirror judged by its own entry', 'm.test/cache/a:v1', { blocked: false, insecure: true, prefix: 'm.test' }],
    ['mirror blocked by another entry', 'bad.test/cache/a:v1', { blocked: true, insecure: true, prefix: 'bad.test' }],
    ['no entry', 'z.test/a:v1', { blocked: false, insecure: false }],
  ])('%s', (_n, image, want) => {
    expect(endpointAccess(c, parseNormalizedNamed(image))).toEqual(want);
  });

  it('names the main file and the user drop-in directory', () => {
    expect(blockedError(c, 'h.test').message).toBe('registry h.test is blocked in /etc/containers/registries.conf or /root/.config/containers/registries.conf.d');
  });
});

describe('short names', () => {
  const search2 = `unqualified-search-registries = ["n.test:5001", "h.test"]\n`;
  const resolveWith = (runtime: RuntimeName, conf: string | undefined, input: string, extra: Record<string, string> = {}) => {
    const files: Record<string, string> = { ...extra };
    if (conf !== undefined) files[ETC] = conf;
    const sys = defaultSystemContext(runtime);
    return resolveShortName(loadRegistriesConf(new MemoryFS(files), sys), sys, input);
  };
  const candidates = (...args: Parameters<typeof resolveWith>) => resolveWith(...args).candidates.map(refString);
  const error = (...args: Parameters<typeof resolveWith>) => {
    try {
      resolveWith(...args);
    } catch (e) {
      expect(e).toBeInstanceOf(StackError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it.each([
    ['podman permissive', 'podman', `${search2}short-name-mode = "permissive"`, ['n.test:5001/lab/app:v1', 'h.test/lab/app:v1']],
    ['podman default mode is permissive', 'podman', search2, ['n.test:5001/lab/app:v1', 'h.test/lab/app:v1']],
    ['podman enforcing with one candidate', 'podman', `unqualified-search-registries = ["h.test"]\nshort-name-mode = "enforcing"`, ['h.test/lab/app:v1']],
    ['crio ignores enforcing', 'crio', `${search2}short-name-mode = "enforcing"`, ['n.test:5001/lab/app:v1', 'h.test/lab/app:v1']],
    ['skopeo does not resolve', 'skopeo', search2, ['docker.io/lab/app:v1']],
  ] as const)('%s', (_n, runtime, conf, want) => {
    expect(candidates(runtime, conf, 'lab/app:v1')).toEqual(want);
  });

  it.each([
    ['fully qualified gets :latest', 'podman', 'h.test/lab/app', ['h.test/lab/app:latest']],
    ['localhost is a registry', 'podman', 'localhost/lab/app:v1', ['localhost/lab/app:v1']],
    ['docker.io names are normalized', 'crio', 'docker.io/busybox', ['docker.io/library/busybox:latest']],
    ['short name search adds :latest', 'crio', 'app', ['n.test:5001/app:latest', 'h.test/app:latest']],
    ['podman drops the tag of tag@digest', 'podman', `h.test/app:v1@${DIGEST}`, [`h.test/app@${DIGEST}`]],
  ] as const)('%s', (_n, runtime, input, want) => {
    expect(candidates(runtime, search2, input)).toEqual(want);
  });

  it('aliases win in every mode, the cache before registries.conf, tag and digest kept', () => {
    const conf = `${search2}short-name-mode = "enforcing"\n[aliases]\n"app" = "a.test/lab/app"\n"cached" = "a.test/c"`;
    const cache = { '/var/cache/containers/short-name-aliases.conf': `[aliases]\n"cached" = "cache.test/c"` };
    const r = resolveWith('podman', conf, 'app:v1', cache);
    expect([r.candidates.map(refString), r.rationale, r.description]).toEqual([['a.test/lab/app:v1'], 'alias', `Resolved "app" as an alias (${ETC})`]);
    expect(candidates('crio', conf, `app@${DIGEST}`)).toEqual([`a.test/lab/app@${DIGEST}`]);
    expect(candidates('podman', conf, 'cached', cache)).toEqual(['cache.test/c:latest']);
  });

  it('an alias reset with "" falls back to the search list', () => {
    const conf = `unqualified-search-registries = ["h.test"]\n[aliases]\n"app" = "a.test/app"`;
    expect(candidates('podman', conf, 'app', { '/etc/containers/registries.conf.d/50.conf': `[aliases]\n"app" = ""` })).toEqual(['h.test/app:latest']);
  });

  it('describes a search-list resolution with the list origin', () => {
    expect(resolveWith('podman', search2, 'lab/app:v1').description).toBe(`Resolving "lab/app" using unqualified-search registries (${ETC})`);
  });

  it.each([
    ['enforcing, several candidates, no TTY', 'podman', `${search2}short-name-mode = "enforcing"`, 'lab/app:v1', 'short-name resolution enforced but cannot prompt without a TTY'],
    ['empty list', 'podman', 'unqualified-search-registries = []', 'lab/app:v1', `short-name "lab/app:v1" did not resolve to an alias and no unqualified-search registries are defined in "${ETC}"`],
    ['no list at all', 'crio', '', 'app', `short-name "app" did not resolve to an alias and no unqualified-search registries are defined in "${ETC}"`],
    ['no registries.conf', 'podman', undefined, 'lab/app:v1', 'short-name "lab/app:v1" did not resolve to an alias and no containers-registries.conf(5) was found'],
    ['unparsable input', 'podman', search2, 'Lab/App', 'cannot parse input: "Lab/App": repository name must be lowercase'],
    ['skopeo tag and digest', 'skopeo', search2, `h.test/app:v1@${DIGEST}`, 'Docker references with both a tag and digest are currently not supported'],
    ['skopeo bad reference', 'skopeo', search2, 'h.test/app@sha256:abc', 'invalid reference format'],
  ] as const)('%s', (_n, runtime, conf, input, err) => {
    expect(error(runtime, conf, input)).toBe(err);
  });

  it('a broken alias cache fails only when a short name is looked up', () => {
    const cache = { '/var/cache/containers/short-name-aliases.conf': '[aliases]\n"app" = "nope"' };
    expect(candidates('podman', search2, 'h.test/app', cache)).toEqual(['h.test/app:latest']);
    expect(error('podman', search2, 'app', cache)).toBe(
      'loading short-name aliases config file "/var/cache/containers/short-name-aliases.conf": invalid alias "nope": must contain registry and repository',
    );
  });

  it('error families', () => {
    expect(() => resolveWith('podman', 'unqualified-search-registries = []', 'app')).toThrow(ShortNameError);
    expect(() => resolveWith('skopeo', '', `h.test/app:v1@${DIGEST}`)).toThrow(ImageRefError);
  });
});
