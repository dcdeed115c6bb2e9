/**
 * policy.json: which file is read and how it is parsed, as containers/image 5.23.1 does it
 * (signature/policy_config.go, signature/internal/json.go). c/i does not use plain struct
 * decoding here: every object goes through its "paranoid" token walker, so a typo, a repeated
 * key or a missing field is an error, and each message below is the one that walker produces.
 */
import * as path from 'node:path';
import { GoJsonSyntaxError, parseGoJsonTree, unmarshalTypeError, type JsonNode } from '../config/go-json.js';
import { fail, PolicyError, StackError, wrap } from '../errors/index.js';
import type { TemplateCode } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { DOMAIN, NAME_COMPONENT, parseNormalizedNamed } from '../reference/reference.js';
import type { RuntimeName, SystemContext } from '../system-context.js';
import { Base64Error, goBase64Decode } from '../auth/go-base64.js';
import { structField } from './json-tree.js';
import { JsonFormatError, paranoidExactFields as exactFields, paranoidObject } from './paranoid-json.js';
import type { Policy, PolicyRequirement, PolicyRequirements, PolicyTransportScopes, SignedIdentity } from './policy-types.js';

export const SYSTEM_POLICY_PATH = '/etc/containers/policy.json';
const USER_POLICY_FILE = '.config/containers/policy.json';

/**
 * defaultPolicyPath: an explicit path wins; else the per-user file if it exists (a stat, so a
 * directory counts); else the system file, whether or not it exists (5.23.1 has no
 * "no policy.json file found" error: a missing system file fails with open's ENOENT).
 */
export function policyPath(fs: NodeFS, sys: SystemContext): string {
  if (sys.signaturePolicyPath) return sys.signaturePolicyPath;
  const user = path.posix.join(sys.home, USER_POLICY_FILE);
  return fs.exists(user) ? user : SYSTEM_POLICY_PATH;
}

/** signature.DefaultPolicy: reads and parses the policy; throws PolicyError with c/i's text (unwrapped). */
export function loadPolicy(fs: NodeFS, sys: SystemContext): Policy {
  const file = policyPath(fs, sys);
  const content = fs.read(file);
  if (content === undefined) {
    throw fail(PolicyError, fs.isDir(file) ? 'policy.read-is-dir' : 'policy.open-missing', file);
  }
  try {
    return { path: file, ...parsePolicyText(content) };
  } catch (e) {
    if (e instanceof PolicyError) throw wrap(PolicyError, 'policy.invalid', e, file);
    throw e;
  }
}

/** skopeo prefixes "Error loading trust policy: "; podman and CRI-O return the error as is. */
export function policyLoadErrorFor(runtime: RuntimeName, err: PolicyError): PolicyError {
  return runtime === 'skopeo' ? wrap(PolicyError, 'policy.loading', err) : err;
}

/** NewPolicyFromBytes: the policy without its path; throws PolicyError (the inner text, before "invalid policy in"). */
export function parsePolicyText(content: string): Omit<Policy, 'path'> {
  try {
    return decodePolicy(parseGoJsonTree(content));
  } catch (e) {
    // c/i turns every encoding/json and walker error into the policy format error's text.
    if (e instanceof GoJsonSyntaxError || e instanceof JsonFormatError) throw fail(PolicyError, 'policy.json-value', e.message);
    throw e;
  }
}

function decodePolicy(root: JsonNode): Omit<Policy, 'path'> {
  let def: PolicyRequirements | undefined;
  let transports: PolicyTransportScopes = new Map();
  paranoidObject(root, (key) => {
    if (key === 'default') return (v) => (def = requirements(v));
    if (key === 'transports') return (v) => (transports = transportsMap(v));
    return undefined;
  });
  if (def === undefined) throw fail(PolicyError, 'policy.default-missing');
  return { default: def, transports };
}

function err(code: TemplateCode, ...args: unknown[]): PolicyError {
  return fail(PolicyError, code, ...args);
}

// ── Go value decoding of the leaves (dec.Decode into a string, []string, []byte) ───────

function typeError(n: JsonNode, goType: string): PolicyError {
  return err('policy.json-value', unmarshalTypeError(n.kind as 'string', goType));
}

/** A JSON null leaves a Go string untouched (""). */
function goString(n: JsonNode, goType = 'string'): string {
  if (n.kind === 'string') return n.value;
  if (n.kind === 'null') return '';
  throw typeError(n, goType);
}

/** null gives a nil slice (undefined here); [] a non-nil empty one. */
function goStringSlice(n: JsonNode): string[] | undefined {
  if (n.kind === 'null') return undefined;
  if (n.kind !== 'array') throw typeError(n, '[]string');
  let first: PolicyError | undefined;
  const out = n.items.map((item) => {
    if (item.kind === 'string') return item.value;
    if (item.kind !== 'null') first ??= typeError(item, 'string');
    return '';
  });
  if (first) throw first;
  return out;
}

/** A []byte field: base64 text, validated as Go's decoder would, kept as written. */
function goBytes(n: JsonNode): string | undefined {
  if (n.kind === 'null') return undefined;
  if (n.kind === 'string') {
    try {
      goBase64Decode(n.value);
    } catch (e) {
      if (e instanceof Base64Error) throw err('policy.json-value', e.message);
      throw e;
    }
    return n.value;
  }
  if (n.kind === 'array') {
    const bytes: number[] = [];
    for (const item of n.items) {
      const v = item.kind === 'number' ? Number(item.literal) : NaN;
      if (item.kind === 'null') bytes.push(0);
      else if (Number.isInteger(v) && v >= 0 && v <= 255) bytes.push(v);
      else throw err('policy.json-value', unmarshalTypeError(item.kind === 'number' ? `number ${item.literal}` : (item.kind as 'string'), 'uint8'));
    }
    return Buffer.from(bytes).toString('base64');
  }
  throw typeError(n, '[]uint8');
}

/** json.Unmarshal into a struct whose only field is `type` (prCommon, prmCommon): case-insensitive, non-objects rejected. */
function commonType(n: JsonNode, structName: 'prCommon' | 'prmCommon'): string {
  const goType = structName === 'prCommon' ? 'signature.prTypeIdentifier' : 'signature.prmTypeIdentifier';
  if (n.kind === 'null') return '';
  if (n.kind !== 'object') throw err('policy.json-value', unmarshalTypeError(n.kind, `signature.${structName}`));
  // Go decodes every member that folds to "type" in order (the last wins) but reports the first type error.
  let type = '';
  for (const [key, value] of n.members) {
    if (structField({ kind: 'object', members: [[key, value]] }, 'type') === undefined) continue;
    if (value.kind === 'string') type = value.value;
    else if (value.kind !== 'null') throw err('policy.json-value', unmarshalTypeError(value.kind, goType, structName, 'type'));
  }
  return type;
}

// ── policy structure ───────────────────────────────────────────────────────────────────

function transportsMap(n: JsonNode): PolicyTransportScopes {
  const out: PolicyTransportScopes = new Map();
  paranoidObject(n, (transport) => (v) => out.set(transport, scopesMap(v)));
  return out;
}

/**
 * A transport's scopes. c/i asks the named transport to validate each scope and treats a
 * rejected one as an unknown key; the docker transport accepts every scope, and unknown
 * transport names (atomic is compiled out of the observed build) validate nothing.
 */
function scopesMap(n: JsonNode): Map<string, PolicyRequirements> {
  const out = new Map<string, PolicyRequirements>();
  paranoidObject(n, (scope) => (v) => out.set(scope, requirements(v)));
  return out;
}

/** PolicyRequirements.UnmarshalJSON: a non-empty array (null decodes to an empty one). */
function requirements(n: JsonNode): PolicyRequirements {
  if (n.kind !== 'array' && n.kind !== 'null') throw typeError(n, '[]json.RawMessage');
  const items = n.kind === 'array' ? n.items : [];
  if (items.length === 0) throw err('policy.empty-requirements');
  return items.map(requirement);
}

function requirement(n: JsonNode): PolicyRequirement {
  const type = commonType(n, 'prCommon');
  const expectType = (v: JsonNode): void => {
    const got = goString(v, 'signature.prTypeIdentifier');
    if (got !== type) throw err('policy.unexpected-requirement', got);
  };
  switch (type) {
    case 'insecureAcceptAnything':
    case 'reject':
      exactFields(n, { type: expectType });
      return { type };
    case 'signedBy':
      return signedBy(n, expectType);
    case 'sigstoreSigned':
      return sigstoreSigned(n, expectType);
    case 'signedBaseLayer': {
      let bli: JsonNode = { kind: 'null' };
      exactFields(n, { type: expectType, baseLayerIdentity: (v) => (bli = v) });
      return { type: 'signedBaseLayer', baseLayerIdentity: signedIdentity(bli) };
    }
    default:
      throw err('policy.unknown-requirement', type);
  }
}

const KEY_TYPES = new Set(['GPGKeys', 'signedByGPGKeys', 'X509Certificates', 'signedByX509CAs']);

function signedBy(n: JsonNode, expectType: (v: JsonNode) => void): PolicyRequirement {
  let keyType = '';
  const got = { keyPath: false, keyPaths: false, keyData: false };
  let keyPath = '';
  let keyPaths: string[] | undefined;
  let keyData: string | undefined;
  let identity: JsonNode | undefined;
  paranoidObject(n, (key) => {
    switch (key) {
      case 'type': return expectType;
      case 'keyType': return (v) => {
        keyType = goString(v);
        if (!KEY_TYPES.has(keyType)) throw err('policy.unrecognized-keytype', keyType);
      };
      case 'keyPath': return (v) => { got.keyPath = true; keyPath = goString(v); };
      case 'keyPaths': return (v) => { got.keyPaths = true; keyPaths = goStringSlice(v); };
      case 'keyData': return (v) => { got.keyData = true; keyData = goBytes(v); };
      case 'signedIdentity': return (v) => (identity = v);
      default: return undefined;
    }
  });
  const si: SignedIdentity = identity === undefined ? { type: 'matchRepoDigestOrExact' } : signedIdentity(identity);
  const present = Number(got.keyPath) + Number(got.keyPaths) + Number(got.keyData);
  if (present === 0) throw err('policy.signedby-no-key');
  if (present > 1) throw err('policy.signedby-many-keys');
  if (!KEY_TYPES.has(keyType)) throw err('policy.invalid-keytype', keyType);
  // newPRSignedBy then counts only real sources: "" and null (Go's nil) do not count.
  const sources = Number(keyPath !== '') + Number(keyPaths !== undefined) + Number(keyData !== undefined);
  if (sources !== 1) throw err('policy.signedby-key-sources');
  const out: PolicyRequirement = { type: 'signedBy', keyType, signedIdentity: si };
  if (keyPath !== '') out.keyPath = keyPath;
  if (keyPaths !== undefined) out.keyPaths = keyPaths;
  if (keyData !== undefined) out.keyData = keyData;
  return out;
}

/** 5.23.1's sigstoreSigned knows only keyPath and keyData (no keyPaths, fulcio, rekor…). */
function sigstoreSigned(n: JsonNode, expectType: (v: JsonNode) => void): PolicyRequirement {
  let keyPath: string | undefined;
  let keyData: string | undefined;
  let identity: JsonNode | undefined;
  paranoidObject(n, (key) => {
    switch (key) {
      case 'type': return expectType;
      case 'keyPath': return (v) => (keyPath = goString(v));
      case 'keyData': return (v) => (keyData = goBytes(v) ?? '');
      case 'signedIdentity': return (v) => (identity = v);
      default: return undefined;
    }
  });
  const si: SignedIdentity = identity === undefined ? { type: 'matchRepoDigestOrExact' } : signedIdentity(identity);
  if (keyPath !== undefined && keyData !== undefined) throw err('policy.sigstore-both-keys');
  if (keyPath === undefined && keyData === undefined) throw err('policy.sigstore-no-key');
  const out: PolicyRequirement = { type: 'sigstoreSigned', signedIdentity: si };
  if (keyPath !== undefined) out.keyPath = keyPath;
  if (keyData !== undefined) out.keyData = keyData;
  return out;
}

function signedIdentity(n: JsonNode): SignedIdentity {
  const type = commonType(n, 'prmCommon');
  const expectType = (v: JsonNode): void => {
    const got = goString(v, 'signature.prmTypeIdentifier');
    if (got !== type) throw err('policy.unexpected-requirement', got);
  };
  switch (type) {
    case 'matchExact':
    case 'matchRepoDigestOrExact':
    case 'matchRepository':
      exactFields(n, { type: expectType });
      return { type };
    case 'exactReference': {
      let ref = '';
      exactFields(n, { type: expectType, dockerReference: (v) => (ref = goString(v)) });
      const parsed = parseRefOr(ref, 'policy.bad-docker-reference');
      if (parsed.tag === undefined && parsed.digest === undefined) throw err('policy.reference-name-only', ref);
      return { type, dockerReference: ref };
    }
    case 'exactRepository': {
      let repo = '';
      exactFields(n, { type: expectType, dockerRepository: (v) => (repo = goString(v)) });
      parseRefOr(repo, 'policy.bad-docker-repository');
      return { type, dockerRepository: repo };
    }
    case 'remapIdentity': {
      let prefix = '';
      let signedPrefix = '';
      exactFields(n, { type: expectType, prefix: (v) => (prefix = goString(v)), signedPrefix: (v) => (signedPrefix = goString(v)) });
      validateRemapPrefix(prefix);
      validateRemapPrefix(signedPrefix);
      return { type, prefix, signedPrefix };
    }
    default:
      throw err('policy.unknown-match', type);
  }
}

function parseRefOr(s: string, code: 'policy.bad-docker-reference' | 'policy.bad-docker-repository') {
  try {
    return parseNormalizedNamed(s);
  } catch (e) {
    if (e instanceof StackError) throw err(code, s, e.message);
    throw e;
  }
}

// docker/reference's DomainRegexp and NameRegexp, as validateIdentityRemappingPrefix uses them.
const domainRe = DOMAIN;
const nameComponent = NAME_COMPONENT;
const remapDomain = new RegExp(`^${domainRe}$`);
const remapDomainPrefix = new RegExp(`^${domainRe}/`);
const remapName = new RegExp(`^(?:${domainRe}/)?${nameComponent}(?:/${nameComponent})*$`);

function validateRemapPrefix(s: string): void {
  if (remapDomain.test(s) || (remapName.test(s) && remapDomainPrefix.test(s))) return;
  throw err('policy.bad-remap-prefix', s);
}

/** For tests and `pullsim explain`: the text c/i would print for a policy file, or undefined when it loads. */
export function policyErrorText(fs: NodeFS, sys: SystemContext): string | undefined {
  try {
    loadPolicy(fs, sys);
    return undefined;
  } catch (e) {
    if (e instanceof PolicyError) return policyLoadErrorFor(sys.runtime, e).message;
    throw e;
  }
}
