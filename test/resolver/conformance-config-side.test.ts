import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerTransportConfError, loadRegistriesConf, type RegistriesConfig } from '../../src/config/registries-conf.js';
import { RegistriesConfError, StackError } from '../../src/errors/index.js';
import { MemoryFS } from '../../src/node-fs.js';
import { refName, refString } from '../../src/reference/reference.js';
import { blockedError, endpointAccess } from '../../src/resolve/endpoint-access.js';
import { implicitRegistry, pullSourcesFromReference } from '../../src/resolve/pull-sources.js';
import { findRegistry } from '../../src/resolve/registry-index.js';
import { resolveShortName } from '../../src/resolve/short-names.js';
import { defaultSystemContext, type RuntimeName, type SystemContext } from '../../src/system-context.js';

// The configuration side of every observed scenario in these groups, without any network: which
// entry matches, which sources are tried in which order, and which configuration error is reported.
const groups = ['prefix', 'blocked', 'dropin', 'shortname', 'config-invalid', 'mirror'];
const root = new URL('../conformance/', import.meta.url);

interface Scenario {
  runtime?: RuntimeName;
  node: { files: Record<string, unknown> };
  pulls: { image: string; options?: { registriesConf?: string }; expect: { result: string; error?: string; attempts?: string[] } }[];
}

function fakeDigest(name: string): string {
  return `sha256:${createHash('sha256').update(name).digest('hex')}`;
}

function substitute(s: string): string {
  return s.replace(/\$\{digest:([^}]+)\}/g, (_m, name: string) => fakeDigest(name));
}

/** What the tools do up to the first network request; errors come back as the tool shows them (minus the pull client's prefixes). */
function configSide(sc: Scenario): { sources: string[]; error?: string; tomlSyntax?: boolean } {
  const pull = sc.pulls[0];
  const runtime = sc.runtime ?? 'crio';
  const sys: SystemContext = { ...defaultSystemContext(runtime), registriesConfPath: pull.options?.registriesConf };
  const fs = new MemoryFS(
    Object.fromEntries(Object.entries(sc.node.files).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => [k, substitute(v)])),
  );
  let config: RegistriesConfig;
  try {
    config = loadRegistriesConf(fs, sys);
  } catch (e) {
    if (!(e instanceof RegistriesConfError)) throw e;
    // podman resolves every name through shortnames.Resolve, which loads the config unwrapped.
    const tomlSyntax = e.cause?.code.startsWith('toml.') ?? false;
    return { sources: [], error: runtime === 'skopeo' ? dockerTransportConfError(e).message : e.message, tomlSyntax };
  }
  const sources: string[] = [];
  try {
    const resolved = resolveShortName(config, sys, substitute(pull.image));
    let lastError: string | undefined;
    for (const candidate of resolved.candidates) {
      const registry = findRegistry(config.index, refName(candidate)) ?? implicitRegistry(candidate);
      for (const s of pullSourcesFromReference(registry, candidate)) {
        sources.push(refString(s.ref));
        const access = endpointAccess(config, s.ref);
        lastError = access.blocked ? blockedError(config, access.prefix!).message : undefined;
      }
    }
    return { sources, error: lastError };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { sources, error: e.message };
  }
}

function dedupeRetries(attempts: readonly string[]): string[] {
  return attempts.filter((a, i) => i === 0 || a !== attempts[i - 1]);
}

const cases = groups.flatMap((g) =>
  readdirSync(new URL(`${g}/`, root))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => [g, f, parse(readFileSync(new URL(`${g}/${f}`, root), 'utf8')) as Scenario] as const),
);

describe('conformance scenarios: configuration-side outcome', () => {
  it.each(cases)('%s/%s', (_group, file, sc) => {
    const expectation = sc.pulls[0].expect;
    const got = configSide(sc);
    if (got.error !== undefined) {
      expect(expectation.result).toBe('failed');
      // TOML syntax texts belong to src/config/toml.ts and its tests; here only the wrapping counts.
      const mine = got.tomlSyntax ? got.error.slice(0, got.error.indexOf('toml: ') + 'toml: line '.length) : got.error;
      expect(substitute(expectation.error ?? '')).toContain(mine);
    }
    if (file.includes('policy')) return; // policy.json problems are outside the resolver
    const attempts = dedupeRetries((expectation.attempts ?? []).map(substitute));
    if (expectation.result === 'pulled') {
      expect(got.error).toBeUndefined();
      expect(got.sources.slice(0, attempts.length)).toEqual(attempts);
    } else if (attempts.length > 0) {
      expect(got.sources).toEqual(attempts);
    }
  });
});
