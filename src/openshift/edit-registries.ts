/**
 * runtime-utils EditRegistriesConfig: mirrors from ICSP/IDMS/ITMS, blocked and insecure scopes, edited into
 * the MCO template's registries.conf, with the release differences of ReleaseRules.
 */
import { ClusterObjectError, fail } from '../errors/index.js';
import type { ReleaseRules } from './release.js';
import { mergeMirrorRules, type MergedMirrorSet, type MirrorRule } from './mirror-sets.js';
import { newRegistry, registryScope, type RegistriesConf, type Registry } from './registries-toml.js';
import { scopeIsNestedInsideScope } from './scopes.js';

export interface RegistryEdits {
  insecure: string[];
  blocked: string[];
  /** ICSP and IDMS rules (ICSP policy always ""). */
  digestRules: MirrorRule[];
  tagRules: MirrorRule[];
}

/** Throws ClusterObjectError where runtime-utils returns an error. */
export function editRegistriesConf(conf: RegistriesConf, edits: RegistryEdits, rules: ReleaseRules): void {
  const entry = (scope: string): Registry => {
    const found = conf.registries.find((r) => registryScope(r) === scope);
    if (found) return found;
    const r = newRegistry(scope);
    conf.registries.push(r);
    return r;
  };

  const addMirrors = (sets: MergedMirrorSet[], pullFromMirror: string) => {
    for (const set of sets) {
      const reg = entry(set.source);
      if (set.neverContactSource) reg.blocked = true;
      if (!rules.perMirrorPullFrom) reg.mirrorByDigestOnly = true;
      for (const m of set.mirrors) reg.mirrors.push({ location: m, insecure: false, pullFromMirror: rules.perMirrorPullFrom ? pullFromMirror : '' });
    }
  };
  const digestSets = mergeMirrorRules(edits.digestRules);
  addMirrors(digestSets, 'digest-only');
  const tagSets = mergeMirrorRules(edits.tagRules);
  addMirrors(tagSets, 'tag-only');

  // Blocked scopes first, so that nested insecure scopes (e.g. *.blocked.insecure.com) exist when insecure spreads.
  for (const scope of edits.blocked) entry(scope);
  for (const scope of edits.insecure) {
    entry(scope).insecure = true;
    for (const reg of conf.registries) {
      if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.insecure = true;
      for (const m of reg.mirrors) if (scopeIsNestedInsideScope(m.location, scope)) m.insecure = true;
    }
  }
  for (const scope of edits.blocked) {
    entry(scope).blocked = true;
    for (const reg of conf.registries) if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.blocked = true;
  }

  if (!rules.nestedMirrors) return;
  for (const set of [...digestSets, ...tagSets]) {
    const mirrored = entry(set.source);
    const mirroredScope = registryScope(mirrored);
    for (const reg of conf.registries) {
      const scope = registryScope(reg);
      if (scope === mirroredScope || !scopeIsNestedInsideScope(scope, mirroredScope) || reg.mirrors.length > 0) continue;
      if (mirroredScope.startsWith('*.')) throw fail(ClusterObjectError, 'mco.nested-wildcard', mirroredScope);
      const suffix = scope.slice(mirroredScope.length);
      if (!rules.perMirrorPullFrom) reg.mirrorByDigestOnly = mirrored.mirrorByDigestOnly;
      reg.mirrors = mirrored.mirrors.map((m) => ({ ...m, location: m.location + suffix }));
    }
  }
}
