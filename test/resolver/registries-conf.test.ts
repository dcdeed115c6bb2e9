import { describe, expect, it } from 'vitest';
import { dockerTransportConfError, loadRegistriesConf, registriesConfPaths } from '../../src/config/registries-conf.js';
import { RegistriesConfError } from '../../src/errors/index.js';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext, type SystemContext } from '../../src/system-context.js';

const ETC = '/etc/containers/registries.conf';
const sys = (over: Partial<SystemContext> = {}): SystemContext => ({ ...defaultSystemContext('podman'), ...over });

function load(files: Record<string, string>, over: Partial<SystemContext> = {}) {
  return loadRegistriesConf(new MemoryFS(files), sys(over));
}

function loadError(files: Record<string, string>, over: Partial<SystemContext> = {}): string {
  try {
    load(files, over);
  } catch (e) {
    expect(e).toBeInstanceOf(RegistriesConfError);
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('which files are read', () => {
  it.each([
    ['system file and both drop-in dirs', {}, {}, [ETC, '/etc/containers/registries.conf.d/a.conf', '/root/.config/containers/registries.conf.d/b.conf']],
    [
      'a user registries.conf replaces /etc and its conf.d',
      { '/root/.config/containers/registries.conf': '' },
      {},
      ['/root/.config/containers/registries.conf', '/root/.config/containers/registries.conf.d/b.conf'],
    ],
    [
      'an explicit file still reads both drop-in dirs',
      { '/root/other.conf': '' },
      { registriesConfPath: '/root/other.conf' },
      ['/root/other.conf', '/etc/containers/registries.conf.d/a.conf', '/root/.config/containers/registries.conf.d/b.conf'],
    ],
    ['an explicit drop-in dir is the only one', { '/x/d/z.conf': '' }, { registriesConfDirPath: '/x/d' }, [ETC, '/x/d/z.conf']],
  ] as const)('%s', (_n, extra, over, expected) => {
    const files = {
      [ETC]: '',
      '/etc/containers/registries.conf.d/a.conf': '',
      '/root/.config/containers/registries.conf.d/b.conf': '',
      ...extra,
    };
    expect(load(files, over).filesRead).toEqual(expected);
  });

  it('reads only *.conf files, in lexical order, without recursing', () => {
    const fs = new MemoryFS({
      '/etc/containers/registries.conf.d/20-b.conf': '',
      '/etc/containers/registries.conf.d/10-a.conf': '',
      '/etc/containers/registries.conf.d/50-x.toml': 'not toml [',
      '/etc/containers/registries.conf.d/sub.conf/inner.conf': '',
    });
    expect(loadRegistriesConf(fs, sys()).filesRead).toEqual(['/etc/containers/registries.conf.d/10-a.conf', '/etc/containers/registries.conf.d/20-b.conf']);
  });

  it('a missing default file is an empty config; a missing explicit one fails', () => {
    expect(load({}).registries).toEqual([]);
    expect(loadError({}, { registriesConfPath: '/root/nope.conf' })).toBe(
      'loading registries configuration "/root/nope.conf": open /root/nope.conf: no such file or directory',
    );
  });

  it.each([
    [{}, {}, '/etc/containers/registries.conf', '/root/.config/containers/registries.conf.d'],
    [{ registriesConfPath: '/root/other-registries.conf' }, {}, '/root/other-registries.conf', '/root/.config/containers/registries.conf.d'],
    [{ registriesConfDirPath: '/x/d' }, {}, ETC, '/x/d'],
    [{}, { '/root/.config/containers/registries.conf': '' }, '/root/.config/containers/registries.conf', '/root/.config/containers/registries.conf.d'],
  ] as const)('ConfigPath/ConfigDirPath for %j %j', (over, files, configPath, dir) => {
    const p = registriesConfPaths(new MemoryFS(files), sys(over));
    expect([p.configPath, p.describedDirPath]).toEqual([configPath, dir]);
  });
});

describe('v1 format', () => {
  it('converts search, insecure and block lists', () => {
    const c = load({
      [ETC]: `[registries.search]\nregistries = ['a.test', 'b.test']\n[registries.insecure]\nregistries = ['b.test:5000/']\n[registries.block]\nregistries = ['c.test', 'b.test:5000']`,
    });
    expect(c.unqualifiedSearchRegistries).toEqual(['a.test', 'b.test']);
    expect(c.registries.map((r) => [r.prefix, r.location, r.insecure, r.blocked])).toEqual([
      ['b.test:5000', 'b.test:5000', true, true],
      ['c.test', 'c.test', false, true],
    ]);
  });

  it.each([
    ['mixing', `[registries.search]\nregistries = ['a.test']\n[[registry]]\nlocation = "a.test"`, 'mixing sysregistry v1/v2 is not supported'],
    ['mixing with aliases', `short-name-mode = "permissive"\n[registries.block]\nregistries = ['a.test']`, 'mixing sysregistry v1/v2 is not supported'],
    ['scheme in v1', `[registries.block]\nregistries = ['https://a.test']`, "invalid location 'https://a.test': URI schemes are not supported"],
  ])('%s', (_n, conf, err) => {
    expect(loadError({ [ETC]: conf })).toBe(`loading registries configuration "${ETC}": ${err}`);
  });

  it('empty v1 lists do not make a file v1', () => {
    expect(load({ [ETC]: `unqualified-search-registries = ["a.test"]\n[registries.search]\nregistries = []` }).unqualifiedSearchRegistries).toEqual(['a.test']);
  });

  it('drop-ins must be v2', () => {
    expect(loadError({ '/etc/containers/registries.conf.d/50-v1.conf': `[registries.insecure]\nregistries = ['n.test']` })).toBe(
      'loading drop-in registries configuration "/etc/containers/registries.conf.d/50-v1.conf": registry must be in v2 format but is in v1',
    );
  });
});

describe('[[registry]] validation', () => {
  it.each([
    ['no location, no prefix', `[[registry]]\ninsecure = true`, 'invalid condition: both location and prefix are unset'],
    ['prefix without location', `[[registry]]\nprefix = "h.test/lab"`, 'invalid condition: location is unset and prefix is not in the format: *.example.com'],
    ['scheme in location', `[[registry]]\nlocation = "https://h.test"`, "invalid location 'https://h.test': URI schemes are not supported"],
    ['scheme in prefix', `[[registry]]\nprefix = "http://h.test"\nlocation = "h.test"`, "invalid location 'http://h.test': URI schemes are not supported"],
    ['pull-from-mirror on the registry', `[[registry]]\nlocation = "h.test"\npull-from-mirror = "all"`, 'pull-from-mirror must not be set for a non-mirror registry "h.test"'],
    [
      'bad pull-from-mirror',
      `[[registry]]\nlocation = "h.test"\n[[registry.mirror]]\nlocation = "m.test/c"\npull-from-mirror = "sometimes"`,
      'unsupported pull-from-mirror value "sometimes" for mirror "m.test/c"',
    ],
    [
      'digest-only and pull-from-mirror',
      `[[registry]]\nlocation = "h.test"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.test"\npull-from-mirror = "all"`,
      'cannot set mirror usage mirror-by-digest-only for the registry ("h.test") and pull-from-mirror for per-mirror ("m.test") at the same time',
    ],
    ['mirror without location', `[[registry]]\nlocation = "h.test"\n[[registry.mirror]]\ninsecure = true`, 'invalid condition: mirror location is unset'],
    [
      'conflicting insecure',
      `[[registry]]\nprefix = "a.test"\nlocation = "h.test"\ninsecure = true\n[[registry]]\nprefix = "b.test"\nlocation = "h.test"`,
      "registry 'h.test' is defined multiple times with conflicting 'insecure' setting",
    ],
    [
      'conflicting blocked',
      `[[registry]]\nprefix = "a.test"\nlocation = "h.test"\n[[registry]]\nprefix = "b.test"\nlocation = "h.test"\nblocked = true`,
      "registry 'h.test' is defined multiple times with conflicting 'blocked' setting",
    ],
    ['wildcard with a path', `[[registry]]\nprefix = "*.lab.test/ns"\nlocation = "h.test"`, 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.lab.test/ns" is incorrectly formatted'],
    ['wildcard with a port', `[[registry]]\nprefix = "*.lab.test:5000"`, 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.lab.test:5000" is incorrectly formatted'],
    ['bad search registry', `unqualified-search-registries = ["h.test/ns"]`, 'Invalid unqualified-search-registries entry "h.test/ns"'],
    ['scheme in search registry', `unqualified-search-registries = ["https://h.test"]`, "invalid location 'https://h.test': URI schemes are not supported"],
    ['bad short-name mode', `short-name-mode = "strict"`, 'invalid short-name mode: "strict"'],
  ])('%s', (_n, conf, err) => {
    expect(loadError({ [ETC]: conf })).toBe(`loading registries configuration "${ETC}": ${err}`);
  });

  it.each([
    ['bool as string', `[[registry]]\nlocation = "h.test"\ninsecure = "yes"`, 'toml: line 3 (last key "registry.insecure"): incompatible types: TOML value has type string; destination has type boolean'],
    ['string as int', `[[registry]]\nlocation = 5`, 'toml: line 2 (last key "registry.location"): incompatible types: TOML value has type int64; destination has type string'],
    ['string as integral float', `[[registry]]\nlocation = 1.0`, 'toml: line 2 (last key "registry.location"): incompatible types: TOML value has type float64; destination has type string'],
    ['string as datetime', `short-name-mode = 1979-05-27`, 'toml: line 1 (last key "short-name-mode"): incompatible types: TOML value has type time.Time; destination has type string'],
    ['list as string', `unqualified-search-registries = "h.test"`, 'toml: line 1 (last key "unqualified-search-registries"): incompatible types: TOML value has type string; destination has type slice'],
    ['list element as int', `unqualified-search-registries = ["h.test", 1]`, 'toml: line 1 (last key "unqualified-search-registries"): incompatible types: TOML value has type int64; destination has type string'],
    ['list element as integral float', `unqualified-search-registries = [1.0]`, 'toml: line 1 (last key "unqualified-search-registries"): incompatible types: TOML value has type float64; destination has type string'],
    ['registry as list of strings', `registry = ["h.test"]`, 'toml: line 1 (last key "registry"): type mismatch for sysregistriesv2.Registry: expected table but found string'],
    ['mirror as string', `[[registry]]\nlocation = "h.test"\nmirror = "m.test"`, 'toml: line 3 (last key "registry.mirror"): incompatible types: TOML value has type string; destination has type slice'],
    ['mirror as list of strings', `[[registry]]\nlocation = "h.test"\nmirror = ["m.test"]`, 'toml: line 3 (last key "registry.mirror"): type mismatch for sysregistriesv2.Endpoint: expected table but found string'],
    ['mirror field', `[[registry]]\nlocation = "h.test"\n[[registry.mirror]]\nlocation = "m.test"\ninsecure = "x"`, 'toml: line 5 (last key "registry.mirror.insecure"): incompatible types: TOML value has type string; destination has type boolean'],
    // keyInfo keeps a path's last definition, so an error in the first [[registry]] names the second's line.
    ['bad value in an earlier [[registry]]', `[[registry]]\nlocation = "a.test"\ninsecure = "no"\n[[registry]]\nlocation = "b.test"\ninsecure = true`, 'toml: line 6 (last key "registry.insecure"): incompatible types: TOML value has type string; destination has type boolean'],
    ['aliases as string', `aliases = "x"`, 'toml: line 1 (last key "aliases"): incompatible types: TOML value has type string; destination has type map'],
    ['aliases as [[aliases]]', `[[aliases]]\na = "h.test/a"`, 'toml: line 1 (last key "aliases"): incompatible types: TOML value has type []map[string]interface {}; destination has type map'],
    ['aliases as an inline array of tables', `aliases = [{a = "h.test/a"}]`, 'toml: line 1 (last key "aliases"): incompatible types: TOML value has type []interface {}; destination has type map'],
    ['alias with a quoted name', `[aliases]\n"docker.io/x" = 1`, 'toml: line 2 (last key "aliases.\\"docker.io/x\\""): incompatible types: TOML value has type int64; destination has type string'],
    // [aliases.a.b] only implies aliases.a, which therefore has no line.
    ['alias as an implicit table', `[aliases.a.b]`, 'toml: (last key "aliases.a"): incompatible types: TOML value has type map[string]interface {}; destination has type string'],
    ['v1 table as string', `registries = "x"`, 'toml: line 1 (last key "registries"): type mismatch for sysregistriesv2.V1TOMLConfig: expected table but found string'],
    ['v1 list as string', `[registries.search]\nregistries = "h.test"`, 'toml: line 2 (last key "registries.search.registries"): incompatible types: TOML value has type string; destination has type slice'],
  ])('decode type error: %s', (_n, conf, err) => {
    expect(loadError({ [ETC]: conf })).toBe(`loading registries configuration "${ETC}": ${err}`);
  });

  it('the alias cache reports decode errors with their line too', () => {
    const cache = '/var/cache/containers/short-name-aliases.conf';
    expect(load({ [cache]: `[aliases]\n"app" = true` }).aliasCacheError?.message).toBe(
      `loading short-name aliases config file "${cache}": toml: line 2 (last key "aliases.app"): incompatible types: TOML value has type bool; destination has type string`,
    );
  });

  it('keys match case-insensitively and unknown keys are ignored', () => {
    const c = load({ [ETC]: `[[registry]]\nLocation = "h.test"\nInsecure = true\nfrobnicate = 1` });
    expect(c.registries.map((r) => [r.prefix, r.insecure])).toEqual([['h.test', true]]);
  });

  it.each([
    ['__proto__', `"__proto__" = 1\n[[registry]]\nlocation = "h.test"`],
    ['constructor', `constructor = 1\n[[registry]]\nlocation = "h.test"`],
    ['toString in [[registry]]', `[[registry]]\nlocation = "h.test"\ntoString = "x"`],
    ['hasOwnProperty in [[registry.mirror]]', `[[registry]]\nlocation = "h.test"\n[[registry.mirror]]\nlocation = "m.test"\nhasOwnProperty = 1`],
  ])('a key named like an Object member (%s) is an unknown key, ignored', (_n, conf) => {
    expect(load({ [ETC]: conf }).registries.map((r) => r.location)).toEqual(['h.test']);
  });

  it('defaults: prefix from location, trailing slashes trimmed on the primary only', () => {
    const [r] = load({ [ETC]: `[[registry]]\nlocation = "h.test/ns/"\n[[registry.mirror]]\nlocation = "m.test/c/"` }).registries;
    expect([r.prefix, r.location, r.mirrors[0].location]).toEqual(['h.test/ns', 'h.test/ns', 'm.test/c/']);
  });

  it('duplicate prefixes in one file: the first wins; entries come out sorted by prefix', () => {
    const c = load({ [ETC]: `[[registry]]\nlocation = "z.test"\n[[registry]]\nlocation = "h.test"\nblocked = true\n[[registry]]\nlocation = "h.test"\nblocked = true\ninsecure = false\n[[registry.mirror]]\nlocation = "m.test"` });
    expect(c.registries.map((r) => [r.prefix, r.mirrors.length])).toEqual([['h.test', 0], ['z.test', 0]]);
  });

  it.each([
    ['ASCII', ['h.test/b', 'h.test', 'g.test', 'h.test/a'], ['g.test', 'h.test', 'h.test/a', 'h.test/b']],
    // UTF-8 byte order puts U+E000 (EE 80 80) before U+1F600 (F0 9F 98 80); UTF-16 code units would not.
    ['U+E000 and an astral character', ['h.test/\u{1F600}', 'h.test/\u{E000}', 'h.test/a'], ['h.test/a', 'h.test/\u{E000}', 'h.test/\u{1F600}']],
  ])('entries are sorted by prefix in Go string (byte) order: %s', (_n, written, sorted) => {
    const conf = written.map((p) => `[[registry]]\nprefix = "${p}"\nlocation = "l.test"`).join('\n');
    expect(load({ [ETC]: conf }).registries.map((r) => r.prefix)).toEqual(sorted);
  });

  it('the docker transport adds its own prefix', () => {
    try {
      load({ [ETC]: `short-name-mode = "x"` });
    } catch (e) {
      expect(dockerTransportConfError(e as RegistriesConfError).message).toBe(`loading registries configuration: loading registries configuration "${ETC}": invalid short-name mode: "x"`);
      return;
    }
    throw new Error('expected an error');
  });
});

describe('drop-in merge', () => {
  const D = '/etc/containers/registries.conf.d';
  it('a table with the same prefix replaces the whole earlier table', () => {
    const c = load({
      [ETC]: `[[registry]]\nlocation = "h.test"\ninsecure = true\n[[registry.mirror]]\nlocation = "m1.test"`,
      [`${D}/50.conf`]: `[[registry]]\nlocation = "h.test"\n[[registry.mirror]]\nlocation = "m2.test"`,
    });
    expect(c.registries.map((r) => [r.insecure, r.mirrors.map((m) => m.location), r.origin])).toEqual([[false, ['m2.test'], `${D}/50.conf`]]);
  });

  it.each([
    ['replacing only', { [ETC]: `[[registry]]\nlocation = "b.test"\n[[registry]]\nlocation = "d.test"`, [`${D}/50.conf`]: `[[registry]]\nlocation = "d.test"` }, ['b.test', 'd.test']],
    ['adding prefixes', { [ETC]: `[[registry]]\nlocation = "b.test"\n[[registry]]\nlocation = "d.test"`, [`${D}/50.conf`]: `[[registry]]\nlocation = "c.test"\n[[registry]]\nlocation = "a.test"` }, ['a.test', 'b.test', 'c.test', 'd.test']],
    ['all from a drop-in', { [ETC]: '', [`${D}/50.conf`]: `[[registry]]\nlocation = "c.test"\n[[registry]]\nlocation = "a.test"` }, ['a.test', 'c.test']],
    ['from two drop-ins', { [`${D}/50.conf`]: `[[registry]]\nlocation = "c.test"`, [`${D}/60.conf`]: `[[registry]]\nlocation = "b.test"` }, ['b.test', 'c.test']],
  ])('merged tables come out in prefix order: %s', (_n, files, prefixes) => {
    expect(load(files).registries.map((r) => r.prefix)).toEqual(prefixes);
  });

  it.each([
    ['absent list keeps the earlier one', '', ['a.test'], ETC],
    ['[] replaces it', 'unqualified-search-registries = []', [], `${D}/50.conf`],
    ['a list replaces it', 'unqualified-search-registries = ["b.test"]', ['b.test'], `${D}/50.conf`],
  ])('search list: %s', (_n, dropin, list, origin) => {
    const c = load({ [ETC]: 'unqualified-search-registries = ["a.test"]', [`${D}/50.conf`]: dropin });
    expect([c.unqualifiedSearchRegistries, c.unqualifiedSearchRegistriesOrigin]).toEqual([list, origin]);
  });

  it('the main file is the search origin even when it sets no list; none without a main file', () => {
    expect(load({ [ETC]: '' }).unqualifiedSearchRegistriesOrigin).toBe(ETC);
    expect(load({}).unqualifiedSearchRegistriesOrigin).toBe('');
  });

  it('short-name mode: replaced when set, permissive by default', () => {
    expect(load({ [ETC]: 'short-name-mode = "enforcing"', [`${D}/50.conf`]: '' }).shortNameMode).toBe('enforcing');
    expect(load({ [ETC]: 'short-name-mode = "enforcing"', [`${D}/50.conf`]: 'short-name-mode = "disabled"' }).shortNameMode).toBe('disabled');
    expect(load({}).shortNameMode).toBe('permissive');
  });

  it('credential helpers: replaced when present, containers-auth.json when empty', () => {
    expect(load({}).credentialHelpers).toEqual(['containers-auth.json']);
    expect(load({ [ETC]: 'credential-helpers = ["pass"]', [`${D}/50.conf`]: '' }).credentialHelpers).toEqual(['pass']);
    expect(load({ [ETC]: 'credential-helpers = ["pass"]', [`${D}/50.conf`]: 'credential-helpers = []' }).credentialHelpers).toEqual(['containers-auth.json']);
  });

  it('aliases merge key by key; "" resets one', () => {
    const c = load({
      [ETC]: `[aliases]\n"a" = "x.test/a"\n"b" = "x.test/b"`,
      [`${D}/50.conf`]: `[aliases]\n"b" = ""\n"c" = "docker.io/c"`,
    });
    expect([...c.aliases].map(([k, v]) => [k, v.value && `${v.value.domain}/${v.value.path}`, v.origin])).toEqual([
      ['a', 'x.test/a', ETC],
      ['b', undefined, `${D}/50.conf`],
      ['c', 'docker.io/library/c', `${D}/50.conf`],
    ]);
  });

  it('a broken drop-in names itself', () => {
    expect(loadError({ [ETC]: '', [`${D}/50.conf`]: `[[registry]]\nprefix = "x.test/ns"` })).toBe(
      `loading drop-in registries configuration "${D}/50.conf": invalid condition: location is unset and prefix is not in the format: *.example.com`,
    );
  });
});

describe('alias validation', () => {
  it.each([
    ['value with tag', `"app" = "h.test/lab/app:v1"`, 'invalid alias "h.test/lab/app:v1": must not contain tag'],
    ['value with digest', `"app" = "h.test/lab/app@sha256:${'a'.repeat(64)}"`, `invalid alias "h.test/lab/app@sha256:${'a'.repeat(64)}": must not contain digest`],
    ['value without registry', `"app" = "lab/app"`, 'invalid alias "lab/app": must contain registry and repository'],
    ['unparsable value', `"app" = "H.test/App"`, 'parsing alias "H.test/App": repository name must be lowercase'],
    ['name with registry', `"h.test/app" = "h.test/app"`, 'invalid short name "h.test/app": must not contain registry'],
    ['name with tag', `"app:v1" = "h.test/app"`, 'invalid short name "app:v1": must not contain tag'],
    ['unparsable name', `"App" = "h.test/app"`, 'cannot parse short name: "App": repository name must be lowercase'],
    ['several problems, chained', `"a:1" = "h.test/a"\n"b" = "b"`, 'invalid alias "b": must contain registry and repository\n: invalid short name "a:1": must not contain tag'],
  ])('%s', (_n, entries, err) => {
    expect(loadError({ [ETC]: `[aliases]\n${entries}` })).toBe(`loading registries configuration "${ETC}": validating short-name aliases: ${err}`);
  });

  it('the alias cache is read from /var/cache for root, and its errors are kept for lookup time', () => {
    const cache = '/var/cache/containers/short-name-aliases.conf';
    expect(load({ [cache]: `[aliases]\n"app" = "h.test/app"` }).aliasCache.get('app')?.origin).toBe(cache);
    expect(load({ [cache]: `[aliases]\n"app" = "app"` }).aliasCacheError?.message).toBe(
      `loading short-name aliases config file "${cache}": invalid alias "app": must contain registry and repository`,
    );
  });
});
