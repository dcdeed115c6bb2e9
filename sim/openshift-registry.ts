/**
 * OpenShift's image registry's authorization (image-registry pkg/dockerregistry/server/auth.go,
 * token.go) over a fake registry marked `openshift: true`: a request without credentials gets a
 * Bearer challenge to /openshift/token, which hands out the Basic password (a ServiceAccount token)
 * or the literal `anonymous`; a pull needs `get` on imagestreams/layers in the image's namespace,
 * granted by system:image-puller through the scenario's RoleBindings and each namespace's default
 * `system:image-pullers` binding for its own ServiceAccounts. A denial is a 401 with the
 * `Basic realm=openshift,error="access denied"` challenge and distribution's UNAUTHORIZED body.
 */
import { randomBytes } from 'node:crypto';
import { text } from '../src/errors/index.js';
import { accountKey, scenarioAccounts, type AccountRef } from '../src/openshift/service-accounts.js';
import type { ClusterObject, Scenario } from '../src/scenario/types.js';
import { parseAuthorization } from './auth.js';

export const TOKEN_PATH = '/openshift/token';
/** Roles whose rules include get on imagestreams/layers (bootstrappolicy). */
const PULL_ROLES = new Set(['system:image-puller', 'system:image-builder', 'admin', 'edit', 'cluster-admin']);

interface Binding {
  /** undefined: a ClusterRoleBinding (every namespace). */
  namespace?: string;
  users: Set<string>;
  groups: Set<string>;
}

export interface OpenShiftAuthz {
  /** token → account. */
  accounts: Map<string, AccountRef>;
  /** account key → token (for provisioning the dockercfg secrets). */
  tokens: Map<string, string>;
  bindings: Binding[];
}

interface Identity {
  user: string;
  groups: string[];
}

function subjectsOf(o: ClusterObject, namespace: string | undefined): Binding | undefined {
  const roleRef = o.roleRef as { name?: unknown } | undefined;
  if (typeof roleRef?.name !== 'string' || !PULL_ROLES.has(roleRef.name)) return undefined;
  const b: Binding = { namespace, users: new Set(), groups: new Set() };
  for (const s of Array.isArray(o.subjects) ? (o.subjects as { kind?: string; name?: string; namespace?: string }[]) : []) {
    if (typeof s?.name !== 'string') continue;
    if (s.kind === 'ServiceAccount') b.users.add(`system:serviceaccount:${s.namespace ?? namespace ?? 'default'}:${s.name}`);
    else if (s.kind === 'Group' || s.kind === 'SystemGroup') b.groups.add(s.name);
    else b.users.add(s.name);
  }
  return b;
}

export function openShiftAuthz(scenario: Pick<Scenario, 'cluster' | 'pulls'>): OpenShiftAuthz {
  const accounts = new Map<string, AccountRef>();
  const tokens = new Map<string, string>();
  for (const a of scenarioAccounts(scenario.cluster, scenario.pulls)) {
    const token = `sha256~${randomBytes(32).toString('base64url')}`;
    accounts.set(token, a);
    tokens.set(accountKey(a), token);
  }
  const bindings: Binding[] = [];
  const namespaces = new Set([...accounts.values()].map((a) => a.namespace));
  // openshift-controller-manager's default project bindings: every account of a namespace pulls from it.
  for (const ns of namespaces) bindings.push({ namespace: ns, users: new Set(), groups: new Set([`system:serviceaccounts:${ns}`]) });
  for (const o of scenario.cluster) {
    if (o.kind === 'RoleBinding') {
      const b = subjectsOf(o, o.metadata.namespace ?? 'default');
      if (b) bindings.push(b);
    } else if (o.kind === 'ClusterRoleBinding') {
      const b = subjectsOf(o, undefined);
      if (b) bindings.push(b);
    }
  }
  return { accounts, tokens, bindings };
}

function identity(authz: OpenShiftAuthz, token: string): Identity {
  const a = authz.accounts.get(token);
  if (!a) return { user: 'system:anonymous', groups: ['system:unauthenticated'] };
  return { user: `system:serviceaccount:${a.namespace}:${a.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${a.namespace}`, 'system:authenticated'] };
}

/** The SubjectAccessReview: get imagestreams/layers in the repository's namespace. */
export function mayPullFrom(authz: OpenShiftAuthz, token: string, repository: string): boolean {
  const namespace = repository.split('/')[0]!;
  const who = identity(authz, token);
  return authz.bindings.some((b) => (b.namespace === undefined || b.namespace === namespace) && (b.users.has(who.user) || who.groups.some((g) => b.groups.has(g))));
}

/** token.go: the Basic password is handed back as the token; no credentials get `anonymous`. */
export function openShiftToken(authorization: string | undefined): { status: number; headers: Record<string, string>; body: Buffer } {
  const p = parseAuthorization(authorization);
  const token = p.scheme === 'basic' && p.password !== '' ? p.password : 'anonymous';
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ token })) };
}

/** The token a request carries (Bearer, or a Basic password), or undefined when it has none. */
export function presentedToken(authorization: string | undefined): string | undefined {
  const p = parseAuthorization(authorization);
  if (p.scheme === 'bearer') return p.token;
  if (p.scheme === 'basic') return p.password;
  return undefined;
}

export const ACCESS_DENIED_CHALLENGE = `Basic realm=openshift,error=${JSON.stringify(text('openshift-registry.access-denied'))}`;
