/**
 * What the MCO's container-runtime-config controller makes of the Image CR and the mirror objects
 * (helpers.go getValidBlockedAndAllowedRegistries, payloadRepoHasUnblockedMirror, validateRegistriesConfScopes,
 * updateRegistriesConfig, updatePolicyJSON, updateSearchRegistriesConfig).
 */
import { ClusterObjectError, fail, goQuote, text } from '../errors/index.js';
import { parseNormalizedNamed, refName, refString, type ImageRef } from '../reference/reference.js';
import { editRegistriesConf, type RegistryEdits } from './edit-registries.js';
import type { MirrorRule } from './mirror-sets.js';
import type { ImageSpec } from './objects.js';
import { encodePolicy, templatePolicy, type Requirement } from './policy-json.js';
import { encodeRegistriesConf, registryScope, type RegistriesConf } from './registries-toml.js';
import type { ReleaseRules } from './release.js';
import { isValidRegistriesConfScope, mirrorRegex, scopeIsNestedInsideScope, sourceRegex } from './scopes.js';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const POLICY_JSON = '/etc/containers/policy.json';
export const SEARCH_DROPIN = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';

/** The MCO template's registries.conf as decoded: no [[registry]], the two search registries. */
export function templateRegistriesConf(): RegistriesConf {
  return { registries: [], unqualifiedSearchRegistries: ['registry.access.redhat.com', 'docker.io'], shortNameMode: '' };
}

export interface MirrorObjects {
  icsp: MirrorRule[][];
  idms: MirrorRule[][];
  itms: MirrorRule[][];
}

/** getPayloadRepo: reference.ParseNamed, which accepts only an already normalized name. */
export function payloadRepo(releaseImage: string): ImageRef {
  let ref: ImageRef;
  try {
    ref = parseNormalizedNamed(releaseImage);
  } catch {
    throw fail(ClusterObjectError, 'mco.parsing-release-image');
  }
  if (refString(ref) !== releaseImage) throw fail(ClusterObjectError, 'mco.parsing-release-image');
  return ref;
}

/** sysregistriesv2 prefix match: the scope, then end of name or one of / : @. */
function refMatchesScope(name: string, scope: string): boolean {
  if (scope.startsWith('*.')) return name.split('/')[0].split(':')[0].endsWith(scope.slice(1));
  return name.startsWith(scope) && (name.length === scope.length || '/:@'.includes(name[scope.length]));
}

/**
 * payloadRepoHasUnblockedMirror: renders a scratch registries.conf from the Image CR's insecure/blocked lists
 * and the digest mirrors, and asks whether any pull source of the payload reference escapes every blocked scope.
 */
function payloadHasUnblockedMirror(payload: ImageRef, spec: ImageSpec, digestRules: MirrorRule[], rules: ReleaseRules): boolean {
  const conf: RegistriesConf = { registries: [], shortNameMode: '' };
  editRegistriesConf(conf, { insecure: spec.insecure ?? [], blocked: spec.blocked ?? [], digestRules, tagRules: [] }, rules);
  const name = refName(payload);
  let best: RegistriesConf['registries'][number] | undefined;
  for (const r of conf.registries) {
    const scope = registryScope(r);
    if (refMatchesScope(name, scope) && (!best || scope.length > registryScope(best).length)) best = r;
  }
  if (!best) return false;
  const digested = payload.digest !== undefined;
  const endpoints = best.mirrorByDigestOnly
    ? (digested ? best.mirrors : [])
    : best.mirrors.filter((m) => (m.pullFromMirror === 'digest-only' ? digested : m.pullFromMirror === 'tag-only' ? !digested : true));
  const scope = registryScope(best);
  const sources = [...endpoints.map((e) => e.location), best.location].map((loc) => (loc === '' || scope.startsWith('*.') ? name : loc + name.slice(scope.length)));
  return sources.some((s) => !(spec.blocked ?? []).some((b) => scopeIsNestedInsideScope(s, b)));
}

export interface BlockedAndAllowed {
  registriesBlocked: string[];
  policyBlocked: string[];
  allowed: string[];
  /** The payload repository was in blockedRegistries with no usable mirror (logged, skipped). */
  payloadError?: string;
  /** Warnings the controller logs. */
  logs: string[];
}

export function validBlockedAndAllowed(releaseImage: string, spec: ImageSpec, digestRules: MirrorRule[], rules: ReleaseRules): BlockedAndAllowed {
  const payload = payloadRepo(releaseImage);
  const repo = refName(payload);
  const out: BlockedAndAllowed = { registriesBlocked: [], policyBlocked: [], allowed: [], logs: [] };
  const refused: string[] = [];
  for (const reg of spec.blocked ?? []) {
    if (scopeIsNestedInsideScope(repo, reg)) {
      if (!payloadHasUnblockedMirror(payload, spec, digestRules, rules)) {
        refused.push(reg);
        continue;
      }
      out.logs.push(text('mco.payload-blocked-with-mirror', reg));
      // Kept out of policy.json so the payload can still be pulled through its mirrors.
      out.registriesBlocked.push(reg);
      if (reg !== repo) out.policyBlocked.push(reg);
      out.allowed.push(repo);
      continue;
    }
    out.registriesBlocked.push(reg);
    out.policyBlocked.push(reg);
  }
  // Go's %q of a []string: ["a" "b"].
  if (refused.length > 0) out.payloadError = text('mco.payload-blocked', `[${refused.map(goQuote).join(' ')}]`);
  out.allowed.push(...(spec.allowed ?? []));
  return out;
}

/** validateRegistriesConfScopes; throws the first error as the MCO returns it. */
export function validateScopes(insecure: string[], blocked: string[], allowed: string[], mirrors: MirrorObjects, rules: ReleaseRules): void {
  for (const [kind, list] of [['insecure', insecure], ['blocked', blocked], ['allowed', allowed]] as const) {
    for (const scope of list) if (!isValidRegistriesConfScope(scope)) throw fail(ClusterObjectError, 'mco.invalid-scope', kind, scope);
  }
  const policies = new Map<string, string>();
  const check = (r: MirrorRule) => {
    if (rules.regexMirrorValidation) {
      if (!sourceRegex.test(r.source)) throw fail(ClusterObjectError, 'mco.invalid-source-format', r.source);
    } else {
      if (r.source === '') throw fail(ClusterObjectError, 'mco.empty-source');
      if (r.source.includes('*')) throw fail(ClusterObjectError, 'mco.wildcard-mirror-config', r.source);
    }
    const policy = r.policy === '' ? 'AllowContactingSource' : r.policy;
    const seen = policies.get(r.source);
    if (seen === undefined) policies.set(r.source, policy);
    else if (seen !== policy) throw fail(ClusterObjectError, rules.longConflictText ? 'mco.conflicting-policy' : 'mco.conflicting-policy-old', r.source);
    for (const m of r.mirrors) {
      if (rules.regexMirrorValidation) {
        if (!mirrorRegex.test(m)) throw fail(ClusterObjectError, 'mco.invalid-mirror-format', m);
      } else {
        if (m === '') throw fail(ClusterObjectError, 'mco.empty-mirror');
        if (m.includes('*')) throw fail(ClusterObjectError, 'mco.wildcard-mirror-config', m);
      }
      if (policy === 'NeverContactSource' && m === r.source) throw fail(ClusterObjectError, 'mco.never-contact-source-mirror', r.source);
    }
  };
  // IDMS first, then ICSP converted to IDMS, then ITMS: the order the MCO walks them.
  for (const set of [...mirrors.idms, ...mirrors.icsp, ...mirrors.itms]) set.forEach(check);
}

export function renderRegistriesConf(insecure: string[], blocked: string[], mirrors: MirrorObjects, rules: ReleaseRules): string {
  validateScopes(insecure, blocked, [], mirrors, rules);
  const conf = templateRegistriesConf();
  const edits: RegistryEdits = { insecure, blocked, digestRules: [...mirrors.idms.flat(), ...mirrors.icsp.flat()], tagRules: mirrors.itms.flat() };
  editRegistriesConf(conf, edits, rules);
  return encodeRegistriesConf(conf);
}

export function renderPolicyJson(blocked: string[], allowed: string[], releaseImage: string, rules: ReleaseRules): string {
  if (allowed.length > 0 && blocked.length > 0) {
    // The one allowed entry the controller adds itself (the payload repository) may coexist with blockedRegistries.
    if (!(allowed.length === 1 && allowed[0] === refName(payloadRepo(releaseImage)))) throw fail(ClusterObjectError, 'mco.only-one-allowed-blocked');
  }
  validateScopes([], blocked, allowed, { icsp: [], idms: [], itms: [] }, rules);
  const policy = templatePolicy();
  const scopes = new Map<string, Requirement[]>();
  if (allowed.length > 0) {
    policy.default = ['reject'];
    for (const reg of allowed) scopes.set(reg, ['insecureAcceptAnything']);
  }
  if (blocked.length > 0) {
    policy.default = ['insecureAcceptAnything'];
    for (const reg of blocked) scopes.set(reg, ['reject']);
  }
  policy.transports.set('docker', scopes);
  // "atomic" cannot express scopes of three or more path segments.
  policy.transports.set('atomic', new Map([...scopes].filter(([reg]) => reg.split('/').length - 1 < 3)));
  return encodePolicy(policy);
}

/** updateSearchRegistriesConfig: a V2RegistriesConf holding only the search list. */
export function renderSearchDropIn(search: string[]): string {
  return encodeRegistriesConf({ registries: [], unqualifiedSearchRegistries: search, shortNameMode: '' });
}
