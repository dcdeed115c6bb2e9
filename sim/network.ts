/**
 * The emulated network of a scenario, planned before anything listens: which name resolves to
 * which address (registries' hosts and `ip`s, `hosts:` entries, token realms, localhost), and
 * which server sits at each address:port. Nothing here touches real DNS or sockets.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { InputError } from '../src/errors/index.js';
import { NODE_ADDRESS } from '../src/pull/dialer.js';
import type { RegistrySpec, Scenario } from '../src/scenario/types.js';
import type { TokenRoute } from './token-api.js';

export type Scheme = 'http' | 'https';

export interface EndpointPlan {
  ip: string;
  port: number;
  scheme: Scheme;
  /** The registry listening here, if any. */
  registry?: RegistrySpec;
  tokenRoutes: TokenRoute[];
  /** Token-only endpoints: the name their certificate is for, and the registry whose CA issues it. */
  tokenHost?: string;
  tokenFor?: RegistrySpec;
}

export interface NetworkPlan {
  /** Lower-case name → address it resolves to. */
  names: Map<string, string>;
  /** `${ip}|${port}` → endpoint. An IP-literal registry host different from its `ip` gets two keys. */
  endpoints: Map<string, EndpointPlan>;
  /** Registry handle → its endpoint. */
  registries: Map<string, EndpointPlan>;
  /** Registry handle → the bearer realm URL and service it challenges with. */
  realms: Map<string, { realm: string; service: string }>;
}

/** The names a registry host is reached by: Docker Hub (`docker.io`) is dialled as registry-1.docker.io too. */
export function registryNames(name: string): string[] {
  return name === 'docker.io' ? ['docker.io', 'registry-1.docker.io'] : [name];
}

export function splitHostPort(host: string): { name: string; port?: number } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracket) return { name: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : undefined };
  const colon = host.lastIndexOf(':');
  if (colon > 0 && host.indexOf(':') === colon && /^\d+$/.test(host.slice(colon + 1))) {
    return { name: host.slice(0, colon).toLowerCase(), port: Number(host.slice(colon + 1)) };
  }
  return { name: host.toLowerCase() };
}

export function endpointKey(ip: string, port: number): string {
  return `${ip}|${port}`;
}

const defaultPort = (scheme: Scheme) => (scheme === 'https' ? 443 : 80);

/** The documentation ranges (RFC 5737): addresses no real host has, which read like a node's own view. */
const DOC_RANGES = ['198.51.100', '203.0.113', '192.0.2'];
const DOC_POOL = DOC_RANGES.flatMap((net) => Array.from({ length: 254 }, (_, i) => `${net}.${i + 1}`));

/**
 * The address a name the scenario gives no `ip:` resolves to on the emulated node: derived from the
 * name, so it is the same in every run and in every scenario that has no other name on it, and
 * never an address of the emulator itself (the fake servers' loopback ports stay hidden). Taken
 * from the documentation ranges, the next free one when two names meet; 10.77.x.y past 762 names.
 */
function fakeAddresses(used: Set<string>): (name: string) => string {
  let overflow = 0;
  return (name) => {
    const start = createHash('sha256').update(name).digest().readUInt16BE(0) % 254;
    for (let i = 0; i < DOC_POOL.length; i++) {
      const ip = DOC_POOL[(start + i) % DOC_POOL.length]!;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
    for (;;) {
      overflow++;
      const ip = `10.77.${Math.floor(overflow / 254)}.${(overflow % 254) + 1}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
  };
}

export function planNetwork(scenario: Pick<Scenario, 'file' | 'hosts' | 'registries'>): NetworkPlan {
  const names = new Map<string, string>([['localhost', '127.0.0.1']]);
  for (const [name, ip] of Object.entries(scenario.hosts)) names.set(name.toLowerCase(), ip);
  // The node's own address is never a server's: a text naming it names the node.
  const used = new Set<string>([NODE_ADDRESS, ...names.values(), ...Object.values(scenario.registries).flatMap((r) => (r.ip ? [r.ip] : []))]);
  const fake = fakeAddresses(used);
  const resolveOrAssign = (name: string): string => {
    if (isIP(name)) return name;
    let ip = names.get(name);
    if (!ip) names.set(name, (ip = fake(name)));
    return ip;
  };

  const endpoints = new Map<string, EndpointPlan>();
  const registries = new Map<string, EndpointPlan>();
  const realms = new Map<string, { realm: string; service: string }>();
  const handles = Object.keys(scenario.registries).sort();

  // Registries' own names first, so realms and aliases naming them resolve to them.
  for (const handle of handles) {
    const spec = scenario.registries[handle]!;
    const { name } = splitHostPort(spec.host);
    if (isIP(name)) continue;
    const ip = spec.ip ?? resolveOrAssign(name);
    for (const alias of registryNames(name)) names.set(alias, ip);
  }

  for (const handle of handles) {
    const spec = scenario.registries[handle]!;
    const { name, port: explicitPort } = splitHostPort(spec.host);
    const scheme: Scheme = spec.tls === false ? 'http' : 'https';
    const port = explicitPort ?? defaultPort(scheme);
    const ip = spec.ip ?? resolveOrAssign(name);
    const plan: EndpointPlan = { ip, port, scheme, registry: spec, tokenRoutes: [] };
    const keys = new Set([endpointKey(ip, port), ...(isIP(name) ? [endpointKey(name, port)] : [])]);
    for (const key of keys) {
      const other = endpoints.get(key);
      if (other) throw new InputError(`registries.${handle}: ${spec.host} listens on ${ip}:${port}, where registry ${other.registry!.handle} already listens`, scenario.file);
      endpoints.set(key, plan);
    }
    registries.set(handle, plan);
  }

  for (const handle of handles) {
    const spec = scenario.registries[handle]!;
    if (spec.auth?.type !== 'bearer') continue;
    const own = registries.get(handle)!;
    const realmText = spec.auth.realm ?? `${spec.host}/token`;
    let url: URL;
    try {
      url = new URL(realmText.includes('://') ? realmText : `${own.scheme}://${realmText.includes('/') ? realmText : `${realmText}/token`}`);
    } catch {
      throw new InputError(`registries.${handle}.auth.realm: ${JSON.stringify(realmText)} is not a host or URL`, scenario.file);
    }
    const scheme = url.protocol === 'http:' ? 'http' : 'https';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : defaultPort(scheme);
    const ip = resolveOrAssign(host.toLowerCase());
    const key = endpointKey(ip, port);
    let plan = endpoints.get(key);
    if (!plan) endpoints.set(key, (plan = { ip, port, scheme, tokenRoutes: [], tokenHost: host, tokenFor: spec }));
    if (plan.scheme !== scheme) throw new InputError(`registries.${handle}.auth.realm: ${url.href} is ${scheme}, but ${ip}:${port} speaks ${plan.scheme}`, scenario.file);
    let route = plan.tokenRoutes.find((r) => r.path === url.pathname);
    if (!route) plan.tokenRoutes.push((route = { path: url.pathname, services: new Map() }));
    route.services.set(spec.host, { handle, auth: spec.auth });
    realms.set(handle, { realm: `${url.origin}${url.pathname}`, service: spec.host });
  }
  return { names, endpoints, registries, realms };
}

/** The address a dialled name resolves to on the emulated node; undefined: no such host. */
export function resolveName(plan: NetworkPlan, host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return isIP(h) ? h : plan.names.get(h);
}
