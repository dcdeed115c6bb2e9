/**
 * The compare fast path is exact: whenever SameDecision vouches for an image, the full explain on
 * both sides classifies it as unchanged; and the one-scan reference parser agrees with the grammar
 * on every reference it accepts. Random old/new registries.conf pairs (entries kept, changed,
 * added, removed, moved to a drop-in), with the settings and files around them sometimes changed
 * too (policy.json, auth file, certs.d, search list, short-name mode, aliases, runtime).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, type SideView } from '../../src/compare/classify.js';
import { decide } from '../../src/compare/decisions.js';
import { qualifiedNameEnd, qualifiedReference, registryNameEnd } from '../../src/compare/fast-reference.js';
import type { ImageRef } from '../../src/reference/reference.js';
import { SameDecision } from '../../src/compare/same-decision.js';
import { explainContext } from '../../src/explain/node-context.js';
import { MemoryFS } from '../../src/node-fs.js';
import { parseNormalizedNamed, tagNameOnly } from '../../src/reference/reference.js';
import { resolveShortName } from '../../src/resolve/short-names.js';
import type { RuntimeName, SystemContext } from '../../src/system-context.js';
import { check } from './harness.js';

const MAIN = '/etc/containers/registries.conf';
const DROPIN = '/etc/containers/registries.conf.d/50-extra.conf';
const HOSTS = ['quay.io', 'reg.test', 'mirror.test', 'docker.io', 'a.example.com', 'reg.test:5000'];
const PREFIXES = [...HOSTS, 'quay.io/org', 'reg.test/team', 'mirror.test/cache', 'mirror.test/org', 'docker.io/library', '*.example.com', '*.test'];
const LOCATIONS = [...HOSTS, 'mirror.test/cache', 'reg.test/team', 'quay.io/org', 'mirror.test/org'];
const DIGEST = `sha256:${'ab'.repeat(32)}`;

interface Entry { prefix: string; location: string; insecure: boolean; blocked: boolean; byDigest: boolean; mirrors: { location: string; pull: string }[] }

const mirror = fc.record({ location: fc.constantFrom(...LOCATIONS), pull: fc.constantFrom('', 'digest-only', 'tag-only') });
const entry: fc.Arbitrary<Entry> = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  location: fc.constantFrom(...LOCATIONS),
  insecure: fc.boolean(),
  blocked: fc.boolean(),
  byDigest: fc.boolean(),
  mirrors: fc.array(mirror, { maxLength: 2 }),
});
// Distinct prefixes and locations: c/i refuses two entries of one location with other flags, and a
// refused file would only test the settings check.
const entries = fc.uniqueArray(entry, { selector: (e) => e.prefix, maxLength: 6 }).map((es) => es.filter((e, i) => es.findIndex((o) => o.location === e.location) === i));

const q = (s: string) => JSON.stringify(s);
function table(e: Entry): string {
  // A wildcard prefix takes no location unless it is a plain host the wildcard would not rewrite.
  const location = e.prefix.startsWith('*.') ? '' : `location = ${q(e.location)}\n`;
  const mirrors = e.prefix.startsWith('*.') ? [] : e.mirrors;
  return `[[registry]]\nprefix = ${q(e.prefix)}\n${location}insecure = ${e.insecure}\nblocked = ${e.blocked}\nmirror-by-digest-only = ${e.byDigest}\n`
    // pull-from-mirror beside mirror-by-digest-only is refused by c/i.
    + mirrors.map((m) => `[[registry.mirror]]\nlocation = ${q(m.location)}\n${m.pull && !e.byDigest ? `pull-from-mirror = ${q(m.pull)}\n` : ''}`).join('');
}

/** What may change besides the [[registry]] table. */
interface Settings { search: string[]; mode: string; alias: boolean; policy: string; auth: boolean; certs: boolean; runtime: RuntimeName }
const settings: fc.Arbitrary<Settings> = fc.record({
  search: fc.subarray(['quay.io', 'reg.test', 'docker.io']),
  mode: fc.constantFrom('permissive', 'enforcing'),
  alias: fc.boolean(),
  policy: fc.constantFrom('{"default":[{"type":"insecureAcceptAnything"}]}', '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"reg.test":[{"type":"reject"}]}}}'),
  auth: fc.boolean(),
  certs: fc.boolean(),
  runtime: fc.constantFrom<RuntimeName>('crio', 'podman', 'containerd'),
});

function node(es: Entry[], inDropIn: boolean[], s: Settings): { fs: MemoryFS; sys: SystemContext } {
  const head = `unqualified-search-registries = [${s.search.map(q).join(', ')}]\nshort-name-mode = ${q(s.mode)}\n${s.alias ? '[aliases]\n"app" = "quay.io/org/app"\n' : ''}`;
  const files: Record<string, string> = {
    [MAIN]: head + es.filter((_, i) => !inDropIn[i]).map(table).join(''),
    [DROPIN]: es.filter((_, i) => inDropIn[i]).map(table).join(''),
    '/etc/containers/policy.json': s.policy,
  };
  if (s.auth) files['/var/lib/kubelet/config.json'] = '{"auths":{"reg.test":{"auth":"dTpw"}}}';
  if (s.certs) files['/etc/containers/certs.d/reg.test/ca.crt'] = 'ca\n';
  return { fs: new MemoryFS(files), sys: explainContext(s.runtime) };
}

/** A change of the table: one flag of one entry flipped (the usual review), or entries edited, dropped and added. */
const FLAGS = ['blocked', 'insecure', 'byDigest'] as const;
const edit = fc.oneof(
  fc.record({ flip: fc.nat(6), flag: fc.constantFrom(...FLAGS) }),
  fc.record({ keep: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), change: fc.array(fc.option(entry, { freq: 3 }), { minLength: 7, maxLength: 7 }), added: entries }),
);
type Edit = { flip: number; flag: (typeof FLAGS)[number] } | { keep: boolean[]; change: (Entry | null)[]; added: Entry[] };
function edited(es: Entry[], e: Edit): Entry[] {
  if ('flip' in e) return es.map((x, i) => (i === e.flip % es.length ? { ...x, [e.flag]: !x[e.flag] } : x));
  const out = es.filter((_, i) => e.keep[i]).map((x, i) => (e.change[i] ? { ...e.change[i]!, prefix: x.prefix } : x));
  for (const a of e.added) if (!out.some((x) => x.prefix === a.prefix)) out.push(a);
  return out;
}

/** One setting around the table changed, or none. */
const settingChange = fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.constantFrom('search', 'mode', 'alias', 'policy', 'auth', 'certs', 'runtime'), weight: 1 });
function changedSettings(s: Settings, what: string | null): Settings {
  switch (what) {
    case 'search': return { ...s, search: s.search.length ? s.search.slice(1) : ['quay.io'] };
    case 'mode': return { ...s, mode: s.mode === 'enforcing' ? 'permissive' : 'enforcing' };
    case 'alias': case 'auth': case 'certs': return { ...s, [what]: !s[what] };
    case 'policy': return { ...s, policy: s.policy.includes('reject') ? '{"default":[{"type":"insecureAcceptAnything"}]}' : '{"default":[{"type":"reject"}]}' };
    case 'runtime': return { ...s, runtime: s.runtime === 'crio' ? 'podman' : 'crio' };
    default: return s;
  }
}

const reference = fc.oneof(
  fc.tuple(fc.constantFrom(...HOSTS, 'b.a.example.com', 'x.test', 'index.docker.io', 'localhost:5000'), fc.constantFrom('org/app', 'team/app', 'cache/x', 'library/busybox', 'busybox', 'org'), fc.constantFrom(':1', '', `@${DIGEST}`, `:v2@${DIGEST}`))
    .map(([h, p, t]) => `${h}/${p}${t}`),
  fc.constantFrom('app', 'app:1', 'busybox', 'org/app', `app@${DIGEST}`, 'Bad/Ref', 'quay.io/Org/app', ''),
  // Odd and invalid shapes of names that look like a registry: the first check vouches for some of them.
  fc.tuple(fc.constantFrom('Quay.io', 'REG.TEST', 'localhost', 'reg.test:5000', 'reg.test:', 'quay.io@x', 'a.b@sha256:1', 'docker.io:443', 'index.docker.io', 'mirror.test', '.test', 'reg..test', 'reg.test:x'), fc.constantFrom('/a', '//a', '/A/b', '/a:T', '/a@sha256:zz', `/a:1@${DIGEST}`, '/a/', '/-a', '/a b'))
    .map(([h, p]) => `${h}${p}`),
);

function view(side: { fs: MemoryFS; sys: SystemContext }, image: string): SideView {
  const d = decide(side.fs, side.sys, image);
  return { failure: d.certainFailure, sources: d.sources, digest: d.digest, facts: d.facts };
}

let vouched = 0;
let refused = 0;

describe('SameDecision vouches only for images the full explain finds unchanged', () => {
  it('random old/new registries.conf pairs, settings sometimes changed, random references', () => {
    const sides = fc.record({ es: entries, dropIn: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), dropInNew: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), edit, s: settings, change: settingChange, images: fc.array(reference, { minLength: 1, maxLength: 12 }) });
    check(sides, ({ es, dropIn, dropInNew, edit: e, s, change, images }) => {
      const a = node(es, dropIn, s);
      const b = node(edited(es, e), dropInNew, changedSettings(s, change));
      const same = SameDecision.for(a, b);
      // Each entry's own names too, so that changes meet the images they govern.
      const own = es.filter((x) => !x.prefix.startsWith('*.')).flatMap((x) => [`${x.prefix}/app:1`, `${x.prefix}/app@${DIGEST}`]);
      for (const image of [...images, ...own]) {
        if (!same?.image(image)) continue;
        vouched++;
        expect(classify(view(a, image), view(b, image)), image).toBeNull();
      }
      if (!same) refused++;
    });
    // Not vacuous: both outcomes of the settings check, and many vouched images, occurred.
    expect(vouched).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

/** The one-scan reading, or undefined where it leaves the reference to the full parser. */
function fastQualifiedReference(s: string): ImageRef | undefined {
  const end = qualifiedNameEnd(s);
  return end === -1 ? undefined : qualifiedReference(s, end);
}

describe('the one-scan reference parser agrees with the grammar wherever it answers', () => {
  const part = fc.constantFrom('a', 'b0', 'x-y', 'x--y', 'x__y', 'x_y', 'x.y', 'X', '-a', 'a-', '_', '..', '9');
  const host = fc.constantFrom('quay.io', 'reg.test:5000', 'localhost', 'localhost:5000', 'docker.io', 'index.docker.io', 'a-b.c', 'a..b', '-a.b', 'a.b-', 'A.b', 'reg:x', 'a.b:');
  const suffix = fc.constantFrom('', ':1', ':v1.0-rc_2', ':', ':-x', `:${'t'.repeat(128)}`, `:${'t'.repeat(129)}`, `@${DIGEST}`, `@sha256:${'AB'.repeat(32)}`, `@sha256:${'a'.repeat(63)}`, `@sha512:${'a'.repeat(128)}`, `:1@${DIGEST}`);
  const candidate = fc.tuple(host, fc.array(part, { minLength: 1, maxLength: 3 }), suffix).map(([h, ps, sx]) => `${h}/${ps.join('/')}${sx}`);

  it.each(['crio', 'podman', 'containerd'] as const)('answers as resolution does under %s', (runtime) => {
    const conf = { unqualifiedSearchRegistries: [], unqualifiedSearchRegistriesOrigin: '', aliases: new Map(), aliasCache: new Map(), shortNameMode: 'permissive' } as never;
    check(fc.oneof(candidate, fc.string({ maxLength: 40 })), (s) => {
      const fast = fastQualifiedReference(s);
      if (fast === undefined) return;
      expect(fast).toEqual(tagNameOnly(parseNormalizedNamed(s)));
      expect(resolveShortName(conf, explainContext(runtime), s).candidates).toEqual([fast]);
    });
  });

  it.each([
    ['quay.io/org/app:1', { domain: 'quay.io', path: 'org/app', tag: '1' }],
    ['reg.test:5000/a/b', { domain: 'reg.test:5000', path: 'a/b', tag: 'latest' }],
    [`quay.io/a@${DIGEST}`, { domain: 'quay.io', path: 'a', digest: DIGEST }],
    ['docker.io/library/busybox:1', { domain: 'docker.io', path: 'library/busybox', tag: '1' }],
  ])('%s is read in one scan', (s, ref) => {
    expect(fastQualifiedReference(s)).toEqual(ref);
  });

  it.each(['busybox', 'docker.io/busybox', 'index.docker.io/a/b', 'localhost/a', `quay.io/a:1@${DIGEST}`, 'Quay.io/a', 'quay.io/A'])('%s is left to the full parser', (s) => {
    expect(fastQualifiedReference(s)).toBeUndefined();
  });
});

describe('registryNameEnd: the name of an image on a registry, read without the grammar', () => {
  const host = fc.constantFrom('quay.io', 'reg.test:5000', 'localhost', 'localhost:5000', 'docker.io', 'index.docker.io', 'docker.io:443', 'Quay.io', 'a', 'a-b', 'a.b', 'x@y.z');
  const path = fc.array(fc.constantFrom('a', 'b0', 'x-y', 'X', '', ':', '@', 'a.b'), { minLength: 1, maxLength: 3 }).map((ps) => ps.join('/'));
  const suffix = fc.constantFrom('', ':1', ':T', ':', `@${DIGEST}`, `:v2@${DIGEST}`, '@x', ':1:2');
  const image = fc.tuple(host, path, suffix).map(([h, p, x]) => `${h}/${p}${x}`);

  it('gives the name resolution gives, wherever the reference is valid', () => {
    check(fc.oneof(image, fc.string({ maxLength: 30 })), (s) => {
      const end = registryNameEnd(s);
      if (end === -1) return;
      let ref: ImageRef;
      try {
        ref = tagNameOnly(parseNormalizedNamed(s));
      } catch {
        return; // invalid: fails alike under any configuration
      }
      expect(s.slice(0, end)).toBe(`${ref.domain}/${ref.path}`);
      expect(qualifiedReference(s, end)).toEqual(ref);
    });
  });

  it.each([
    ['quay.io/org/app:1', 15],
    ['reg.test:5000/a', 15],
    [`quay.io/a@${DIGEST}`, 9],
    ['localhost/a:1', 11],
    ['Quay.io/A:x', 9],
  ])('%s: the name ends at %i', (s, end) => {
    expect(registryNameEnd(s)).toBe(end);
  });

  it.each(['busybox', 'org/app', 'docker.io/busybox', 'index.docker.io/a/b', `quay.io/a:1@${DIGEST}`, 'a@b/c', '/a'])('%s is left to the grammar', (s) => {
    expect(registryNameEnd(s)).toBe(-1);
  });
});
