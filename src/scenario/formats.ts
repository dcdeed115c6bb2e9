/**
 * The value formats a scenario file accepts (../../shared/scenario-format.md), as pure predicates
 * and parsers, so the loader and its tests share one definition of each.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { NAME_COMPONENT } from '../reference/reference.js';

const dnsLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS name: labels of letters, digits and inner hyphens; a numeric last label would be a mistyped IPv4. */
export function isDnsName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const labels = s.split('.');
  if (!labels.every((l) => dnsLabel.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

function isPort(s: string | undefined): boolean {
  return s === undefined || (/^[0-9]{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535);
}

/** What a node dials: a DNS name, an IPv4 address or a bracketed IPv6 address, each with an optional :port. */
export function isHost(s: string): boolean {
  if (s.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::([^:]*))?$/.exec(s);
    return m !== null && isIPv6(m[1]) && isPort(m[2]);
  }
  const m = /^([^:]+)(?::([^:]*))?$/.exec(s);
  return m !== null && (isIPv4(m[1]) || isDnsName(m[1])) && isPort(m[2]);
}

/** Names of CAs, keys, catalog images and registries: they appear inside `${digest:NAME/os/arch}`, so no '/'. */
export function isName(s: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s);
}

/** os/arch[/variant], lowercase as the OCI image spec writes them. */
export function isPlatform(s: string): boolean {
  return /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(s);
}

/** "10m", "90s", "1h30m" → seconds; undefined when malformed or zero. */
export function parseDuration(s: string): number | undefined {
  const m = /^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$/.exec(s);
  if (!m || s === '') return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return seconds > 0 ? seconds : undefined;
}

// The distribution grammar's repository path and tag (docker/reference), without a domain:
// a registry's `images:` keys are what it serves under its own host.
const pathComponent = NAME_COMPONENT;
const repoTag = new RegExp(`^${pathComponent}(?:/${pathComponent})*:[\\w][\\w.-]{0,127}$`);

export function isRepoTag(s: string): boolean {
  return s.length <= 255 && repoTag.test(s);
}

export function isDigest(s: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(s);
}

/** A bearer realm: a host, or an http(s) URL of the token endpoint. */
export function isRealm(s: string): boolean {
  if (!s.includes('://')) return isHost(s);
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isHost(u.host);
  } catch {
    return false;
  }
}

export function isLookaside(s: string): boolean {
  if (s.startsWith('file:///')) return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}
