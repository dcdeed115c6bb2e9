/**
 * allowedRegistriesForImport as openshift-apiserver applies it (validation/whitelist/whitelister.go):
 * entries become host:port globs (no port: 443, or 80 when insecure), the internal registry is
 * always allowed and listed first, and an image's host:port is matched with the scheme's default port.
 */
import { text } from '../../errors/index.js';
import type { ImageRef } from '../../reference/reference.js';
import { globMatch } from '../../auth/kubelet-keyring.js';
import { INTERNAL_REGISTRY, type AllowedRegistry } from './import-config.js';

interface HostPort {
  host: string;
  port: string;
}

function splitHostPort(s: string): HostPort | string {
  const parts = s.split(':');
  if (parts.length > 2) return `failed to parse allowed registry ${JSON.stringify(s)}: too many colons`;
  return { host: parts[0]!, port: parts[1] ?? '' };
}

function entries(allowed: AllowedRegistry[]): HostPort[] {
  const out: HostPort[] = [];
  for (const a of [{ domainName: INTERNAL_REGISTRY, insecure: false }, ...allowed]) {
    const hp = splitHostPort(a.domainName);
    if (typeof hp === 'string') continue;
    out.push({ host: hp.host, port: hp.port || (a.insecure ? '80' : '443') });
  }
  return out;
}

/** RegistryHostPort: docker.io when empty, the port defaulted by transport (443 secure, 80 insecure). */
export function registryHostPort(ref: ImageRef, insecure: boolean): string {
  const registry = ref.domain || 'docker.io';
  return registry.includes(':') ? registry : `${registry}:${insecure ? '80' : '443'}`;
}

function matches(e: HostPort, host: string, port: string): boolean {
  if (!globMatch(e.host, host)) return false;
  if (port === '') return e.port === '80' || e.port === '443' || e.port === '*';
  return e.port === '*' || e.port === port;
}

/**
 * AdmitHostname: the whitelist's refusal of `registry` (named as given), or undefined when allowed.
 * A secure check defaults a missing port to 443; `any` (an insecure ImageStream tag) leaves it empty.
 */
export function whitelistError(allowed: AllowedRegistry[], registry: string, transport: 'secure' | 'any'): string | undefined {
  if (allowed.length === 0) return undefined;
  const list = entries(allowed);
  const colon = registry.lastIndexOf(':');
  const host = colon < 0 ? registry : registry.slice(0, colon);
  const port = colon >= 0 ? registry.slice(colon + 1) : transport === 'secure' ? '443' : '';
  const candidates = ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host) ? ['docker.io', host] : [host];
  if (list.some((e) => candidates.some((h) => matches(e, h, port)))) return undefined;
  const quoted = list.map((e) => JSON.stringify(`${e.host}:${e.port}`));
  if (quoted.length > 5) return text('import.whitelist-more', registry, quoted.slice(0, 4).join(', '), quoted.length - 4);
  return text('import.whitelist', registry, quoted.join(', '));
}
