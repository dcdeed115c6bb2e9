/** Registry scope rules of openshift/runtime-utils pkg/registries and the MCO's source/mirror patterns. */
import { NAME_COMPONENT } from '../reference/reference.js';

/** ScopeIsNestedInsideScope: sub equals super, is a namespace inside it, or falls under a `*.domain` super scope. */
export function scopeIsNestedInsideScope(sub: string, sup: string): boolean {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === '/') return true;
  if (!sup.startsWith('*.')) return false;
  const suffix = sup.slice(1);
  if (sub.includes(':')) {
    const host = sub.split(':')[0];
    return host.endsWith(suffix) && !host.includes('/');
  }
  return sub.split('/')[0].endsWith(suffix);
}

/** IsValidRegistriesConfScope: non-empty, and a wildcard only as a leading `*.` over a bare domain. */
export function isValidRegistriesConfScope(scope: string): boolean {
  if (scope === '') return false;
  if (!scope.includes('*')) return true;
  return scope.startsWith('*.') && !/[/@:*]/.test(scope.slice(2));
}

// Written without the empty-separator and two-way-label ambiguities of the Go source (same
// language), so a backtracking engine stays linear; see NAME_COMPONENT in reference.ts.
const label = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const hostPort = `(?:${label}(?:(?:\\.${label})+)?(?::[0-9]+)?)`;
const path = `(?:/${NAME_COMPONENT})*`;
/** helpers.go sourceRegex (4.16+): a `*.domain` wildcard or host[:port][/path]. */
export const sourceRegex = new RegExp(`^\\*(?:\\.${label})+$|^${hostPort}${path}$`);
/** helpers.go mirrorRegex (4.16+): host[:port][/path], never a wildcard. */
export const mirrorRegex = new RegExp(`^${hostPort}${path}$`);
