/**
 * The policy.json the MCO writes (helpers.go updatePolicyJSON): the template's policy decoded into
 * signature.Policy, `default` and the docker/atomic scopes replaced, then Go's json.Marshal — compact,
 * map keys sorted, HTML characters escaped, no trailing newline.
 */
import { goLess } from './mirror-sets.js';

export type Requirement = 'insecureAcceptAnything' | 'reject';

export interface PolicyDoc {
  default: Requirement[];
  /** transport → scope → requirements */
  transports: Map<string, Map<string, Requirement[]>>;
}

/** The MCO template (templates/<role>/01-<role>-container-runtime/_base/files/policy.yaml), as decoded. */
export function templatePolicy(): PolicyDoc {
  return { default: ['insecureAcceptAnything'], transports: new Map([['docker-daemon', new Map([['', ['insecureAcceptAnything']]])]]) };
}

/** encoding/json string encoding with its default HTML escaping. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function requirements(rs: Requirement[]): string {
  return `[${rs.map((r) => `{"type":${goJsonString(r)}}`).join(',')}]`;
}

function sortedObject<V>(m: Map<string, V>, enc: (v: V) => string): string {
  return `{${[...m.keys()].sort(goLess).map((k) => `${goJsonString(k)}:${enc(m.get(k)!)}`).join(',')}}`;
}

export function encodePolicy(p: PolicyDoc): string {
  return `{"default":${requirements(p.default)},"transports":${sortedObject(p.transports, (scopes) => sortedObject(scopes, requirements))}}`;
}
