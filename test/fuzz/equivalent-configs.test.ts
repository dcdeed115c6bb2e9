/**
 * Configurations that say the same thing resolve alike: registries.conf's v1 and v2 forms, one
 * file or the same tables split into drop-ins, and any order of keys in a table or JSON object.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConf, type RegistriesConfig } from '../../src/config/registries-conf.js';
import { MemoryFS } from '../../src/node-fs.js';
import { parsePolicyText } from '../../src/policy/policy-json.js';
import { findRegistry } from '../../src/resolve/registry-index.js';
import { defaultSystemContext } from '../../src/system-context.js';
import { check } from './harness.js';

const MAIN = '/etc/containers/registries.conf';
const DROPINS = '/etc/containers/registries.conf.d';
const HOSTS = ['docker.io', 'quay.io', 'reg.test:5000', 'localhost', '10.0.0.1:5001', 'mirror.test', 'reg.test'];
const PREFIXES = [...HOSTS, '*.example.com', 'reg.test/team', 'reg.test/team/app', 'quay.io/org', '*.test'];
const NAMES = ['docker.io/library/busybox', 'quay.io/org/app', 'reg.test:5000/a/b', 'localhost/x', 'localhost:5000/y', '10.0.0.1:5001/z',
  'mirror.test/m', 'reg.test/team/app', 'reg.test/team/other', 'reg.test/elsewhere', 'a.example.com/p', 'b.a.example.com/q', 'x.test/r'];

const load = (files: Record<string, string>): RegistriesConfig => loadRegistriesConf(new MemoryFS(files), defaultSystemContext());

/** What a pull sees of the configuration: for each name, the entry governing it. */
function resolution(config: RegistriesConfig) {
  return {
    search: config.unqualifiedSearchRegistries,
    entries: NAMES.map((n) => {
      const r = findRegistry(config.index, n);
      return r && { prefix: r.prefix, location: r.location, insecure: r.insecure, blocked: r.blocked, mirrors: r.mirrors.map((m) => [m.location, m.insecure]) };
    }),
  };
}

const q = (s: string) => JSON.stringify(s);
const subset = fc.subarray(HOSTS);

describe('the v1 and v2 forms of registries.conf resolve alike', () => {
  it('[registries.search/insecure/block] against unqualified-search-registries and [[registry]] flags', () => {
    check(fc.tuple(subset, subset, subset), ([search, insecure, block]) => {
      const v1 = [
        `[registries.search]\nregistries = [${search.map(q).join(', ')}]`,
        `[registries.insecure]\nregistries = [${insecure.map(q).join(', ')}]`,
        `[registries.block]\nregistries = [${block.map(q).join(', ')}]`,
      ].join('\n');
      const locations = [...new Set([...block, ...insecure])];
      const v2 = [
        `unqualified-search-registries = [${search.map(q).join(', ')}]`,
        ...locations.map((l) => `[[registry]]\nlocation = ${q(l)}\ninsecure = ${insecure.includes(l)}\nblocked = ${block.includes(l)}`),
      ].join('\n');
      expect(resolution(load({ [MAIN]: v1 }))).toEqual(resolution(load({ [MAIN]: v2 })));
    });
  });
});

interface Table { prefix: string; location: string; insecure: boolean; blocked: boolean; mirrors: string[] }
const table: fc.Arbitrary<Table> = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  location: fc.constantFrom(...HOSTS, 'reg.test/other', 'mirror.test/cache'),
  insecure: fc.boolean(),
  blocked: fc.boolean(),
  mirrors: fc.subarray(['mirror.test', 'mirror.test/cache', '10.0.0.1:5001/m']),
});
// Distinct prefixes, and distinct locations: c/i checks conflicting flags of one location within a
// file only (postProcessRegistries per file), so the same conflict split across files is no error.
const tables = fc.uniqueArray(table, { selector: (t) => t.prefix, maxLength: 6 })
  .map((ts) => ts.filter((t, i) => ts.findIndex((u) => u.location === t.location) === i));

function toml(t: Table, keyOrder: number[] = [0, 1, 2, 3]): string {
  const keys = [`prefix = ${q(t.prefix)}`, `location = ${q(t.location)}`, `insecure = ${t.insecure}`, `blocked = ${t.blocked}`];
  return ['[[registry]]', ...keyOrder.map((i) => keys[i]), ...t.mirrors.map((m) => `[[registry.mirror]]\nlocation = ${q(m)}`)].join('\n');
}

describe('one file or the same tables split into drop-ins resolve alike', () => {
  it('tables with distinct prefixes, each in the main file or one of two drop-ins', () => {
    check(fc.tuple(tables, fc.array(fc.constantFrom(0, 1, 2), { minLength: 6, maxLength: 6 })), ([ts, where]) => {
      const single = { [MAIN]: ts.map((t) => toml(t)).join('\n') };
      const parts: string[][] = [[], [], []];
      ts.forEach((t, i) => parts[where[i]].push(toml(t)));
      const split = { [MAIN]: parts[0].join('\n'), [`${DROPINS}/10-a.conf`]: parts[1].join('\n'), [`${DROPINS}/20-b.conf`]: parts[2].join('\n') };
      expect(resolution(load(split))).toEqual(resolution(load(single)));
    });
  });
});

describe('the order of keys does not matter', () => {
  it('keys of a [[registry]] table in any order', () => {
    check(fc.tuple(tables, fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 })), ([ts, order]) => {
      const as = (o: number[]) => { try { return load({ [MAIN]: ts.map((t) => toml(t, o)).join('\n') }).registries; } catch (e) { return (e as Error).message; } };
      expect(as(order)).toEqual(as([0, 1, 2, 3]));
    });
  });

  const requirement = fc.oneof(
    fc.constant({ type: 'insecureAcceptAnything' }),
    fc.constant({ type: 'reject' }),
    fc.record({ type: fc.constant('signedBy'), keyType: fc.constant('GPGKeys'), keyPath: fc.constantFrom('/etc/pki/a.gpg', '/etc/pki/b.gpg'),
      signedIdentity: fc.constantFrom({ type: 'matchRepository' }, { type: 'matchExact' }, { type: 'remapIdentity', prefix: 'quay.io', signedPrefix: 'mirror.test' }) }),
  );
  const policy = fc.record({
    default: fc.array(requirement, { minLength: 1, maxLength: 2 }),
    transports: fc.record({ docker: fc.dictionary(fc.constantFrom('quay.io', 'reg.test/team', 'docker.io/library/busybox', ''), fc.array(requirement, { minLength: 1, maxLength: 2 }), { maxKeys: 3 }) }),
  });
  /** The same JSON with every object's keys in another order. */
  function reorder(v: unknown, random: () => number): unknown {
    if (Array.isArray(v)) return v.map((x) => reorder(x, random));
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>).sort(() => random() - 0.5);
    return Object.fromEntries(entries.map(([k, x]) => [k, reorder(x, random)]));
  }

  it('keys of policy.json objects in any order', () => {
    check(fc.tuple(policy, fc.integer()), ([p, seed]) => {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const a = parsePolicyText(JSON.stringify(p));
      expect(parsePolicyText(JSON.stringify(reorder(p, random)))).toEqual(a);
    });
  });
});
