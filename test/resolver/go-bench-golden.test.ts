import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConf, type RegistriesConfig } from '../../src/config/registries-conf.js';
import { MemoryFS } from '../../src/node-fs.js';
import { parseNormalizedNamed, refName, refString, tagNameOnly } from '../../src/reference/reference.js';
import { implicitRegistry, pullSourcesFromReference } from '../../src/resolve/pull-sources.js';
import { findRegistry } from '../../src/resolve/registry-index.js';
import { resolveShortName } from '../../src/resolve/short-names.js';
import { defaultSystemContext, type SystemContext } from '../../src/system-context.js';

// Golden answers of containers/image 5.23.1 itself (shared/anchors/go-bench, expect_test.go) on the same bytes.
const dir = new URL('../fixtures/go-bench/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as {
  lookups: { n: number; kind: string; input: string; findRegistryArg: string; matchedPrefix: string; pullSources: string[] }[];
  shortnames: { input: string; candidates: string[] }[];
};

// sysCtx() of bench_test.go: explicit conf path, an empty explicit drop-in dir, a missing alias cache; no TTY.
function load(n: number, runtime: SystemContext['runtime'] = 'podman'): { config: RegistriesConfig; sys: SystemContext } {
  const conf = `/anchor/registries-${n}.conf`;
  const fs = new MemoryFS({ [conf]: readFileSync(new URL(`registries-${n}.conf`, dir), 'utf8') });
  fs.mkdir('/anchor/registries.conf.d-empty');
  const sys: SystemContext = { ...defaultSystemContext(runtime), registriesConfPath: conf, registriesConfDirPath: '/anchor/registries.conf.d-empty' };
  return { config: loadRegistriesConf(fs, sys, { shortNameAliasConfPath: '/anchor/user-cache/short-name-aliases.conf' }), sys };
}

const configs = new Map([10, 100, 1000].map((n) => [n, load(n).config]));

describe('go-bench golden: FindRegistry + PullSourcesFromReference', () => {
  it.each([10, 100, 1000])('loads all %i [[registry]] entries', (n) => {
    expect(configs.get(n)!.registries).toHaveLength(n);
  });

  it.each(expected.lookups.map((l) => [l.n, l.kind, l] as const))('N=%i %s', (n, _kind, l) => {
    const config = configs.get(n)!;
    const ref = tagNameOnly(parseNormalizedNamed(l.input));
    expect(refString(ref)).toBe(l.input);
    expect(refName(ref)).toBe(l.findRegistryArg);
    const reg = findRegistry(config.index, l.findRegistryArg);
    expect(reg?.prefix ?? '').toBe(l.matchedPrefix);
    const sources = pullSourcesFromReference(reg ?? implicitRegistry(ref), ref);
    expect(sources.map((s) => `${s.endpoint.location} -> ${refString(s.ref)}`)).toEqual(l.pullSources);
  });
});

describe('go-bench golden: shortnames.Resolve (N=100, permissive, no TTY)', () => {
  const config = configs.get(100)!;
  const sys = load(100).sys;
  it.each(expected.shortnames.map((s) => [s.input, s.candidates] as const))('%s', (input, candidates) => {
    expect(resolveShortName(config, sys, input).candidates.map(refString)).toEqual(candidates);
  });
});
