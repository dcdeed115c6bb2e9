/**
 * A running lab: every fake registry and token server of a scenario on loopback, the dialer that
 * is the node's only way to reach them, their access logs, and the generated node files (CA
 * certificates, public keys, lookaside signatures). Labs share nothing, so several run at once.
 */
import { InputError } from '../src/errors/index.js';
import { SYSTEM_CA_BUNDLE } from '../src/pull/tls-trust.js';
import type { DialResult, Dialer } from '../src/pull/dialer.js';
import type { Scenario } from '../src/scenario/types.js';
import { AccessLog, type AccessEntry } from './access-log.js';
import { TokenStore } from './auth.js';
import { realClock, type Clock } from './clock.js';
import { startFakeServer, type RunningServer, type TlsMaterial } from './fake-server.js';
import { scenarioDigests } from './images.js';
import { endpointKey, planNetwork, registryNames, resolveName, splitHostPort, type EndpointPlan, type NetworkPlan } from './network.js';
import { buildPki, type ScenarioPki } from './pki.js';
import type { RegistryAuth } from './registry-api.js';
import { registryContent, repositoryOf, type RegistryContent, type ServedEntry } from './registry-content.js';
import { openShiftAuthz } from './openshift-registry.js';
import { signScenario } from './sign-images.js';

export interface LabOptions {
  /** Time for `delayMs` faults (default: real timers). */
  clock?: Clock;
  /** Where an endpoint listens (default: 127.0.0.1, a port the OS picks). Must be loopback. */
  bind?: (endpoint: { ip: string; port: number }) => { address: string; port: number };
  /** Entries each registry's access log keeps (default ACCESS_LOG_LIMIT, the newest). */
  accessLogLimit?: number;
}

export interface LabEndpoint {
  /** Registry handle, or undefined for a token server of its own. */
  handle?: string;
  /** What clients dial: the registry's host as written, or the token realm's host[:port]. */
  host: string;
  /** Host names that resolve to `ip` on the emulated node. */
  names: string[];
  ip: string;
  port: number;
  scheme: 'http' | 'https';
  /** Where it really listens; undefined when down. */
  listening?: { address: string; port: number };
  /** Issuer of its certificate (https only; undefined for self-signed). */
  ca?: string;
}

export interface Lab {
  /** The node's only way to the network: names → loopback fake servers, never a real lookup. */
  dialer: Dialer;
  /** The registry handle at a dialled host and port (also for a down registry); null when none. */
  registryAt(host: string, port: number): string | null;
  /** What a registry (and the token requests naming it) saw, in order: the newest accessLogLimit entries. */
  accessLog(handle: string): AccessEntry[];
  /** Generated node file contents by path: `{ca}` and `{publicKey}` entries, and lookaside signatures (one char per byte). */
  nodeFiles(): Record<string, string>;
  /** `${digest:…}` values. */
  digests: Record<string, string>;
  /** `${keyData:KEY}` values: base64 of each key's public key. */
  keyData: Record<string, string>;
  /** CA name → PEM. */
  caPems: Record<string, string>;
  /** Key name → its public key file (sigstore PEM, gpg ASCII armor). */
  publicKeys: Record<string, string>;
  /** `namespace/serviceaccount` → the token an `openshift: true` registry accepts for it (empty without one). */
  serviceAccountTokens: Map<string, string>;
  /**
   * An import into `namespace/stream:tag` made the internal registry able to serve it: its pull-through
   * fetches the image from the source registry (here: the source's stored bytes, which the import just read).
   */
  pullThrough(internal: string, stream: string, tag: string, source: { handle: string; repository: string; digest: string }): void;
  endpoints(): LabEndpoint[];
  close(): Promise<void>;
}

const defaultBind = () => ({ address: '127.0.0.1', port: 0 });

function isLoopback(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1';
}

function endpointTls(pki: ScenarioPki, ep: EndpointPlan): (TlsMaterial & { ca?: string }) | undefined {
  if (ep.scheme === 'http') return undefined;
  if (ep.registry) {
    const { name } = splitHostPort(ep.registry.host);
    return pki.serverCert(ep.registry.tls || {}, registryNames(name), `registries.${ep.registry.handle}.tls`);
  }
  const registryTls = ep.tokenFor?.tls;
  const spec = registryTls ? (registryTls.selfSigned ? { selfSigned: true } : { ca: registryTls.ca }) : {};
  return pki.serverCert(spec, [ep.tokenHost!], `registries.${ep.tokenFor!.handle}.auth.realm`);
}

function registryAuth(plan: NetworkPlan, handle: string, scenario: Scenario): RegistryAuth | undefined {
  const spec = scenario.registries[handle]!;
  if (!spec.auth) return undefined;
  if (spec.auth.type === 'basic') return { spec: spec.auth, service: spec.host, realm: 'Registry Realm' };
  const r = plan.realms.get(handle)!;
  return { spec: spec.auth, service: r.service, realm: r.realm };
}

export async function startLab(scenario: Scenario, opts: LabOptions = {}): Promise<Lab> {
  const clock = opts.clock ?? realClock;
  const bind = opts.bind ?? defaultBind;
  const plan = planNetwork(scenario);
  const pki = buildPki(scenario);
  const digests = scenarioDigests(scenario);
  const tokens = new TokenStore();
  const openshift = Object.values(scenario.registries).some((r) => r.openshift) ? openShiftAuthz(scenario) : undefined;
  const logs = new Map<string, AccessLog>(Object.keys(scenario.registries).map((h) => [h, new AccessLog(opts.accessLogLimit)]));
  const contents = new Map<string, RegistryContent>();
  const served = new Map<string, ServedEntry[]>();
  for (const [handle, spec] of Object.entries(scenario.registries)) {
    const { content, entries } = registryContent(scenario, spec);
    contents.set(handle, content);
    served.set(handle, entries);
  }
  const signed = await signScenario(scenario, contents, served);

  const files: Record<string, string> = { ...signed.lookasideFiles };
  for (const [path, spec] of Object.entries(scenario.node.files)) {
    if (typeof spec === 'string') continue;
    if ('ca' in spec) {
      const pem = pki.caPems[spec.ca];
      if (pem === undefined) throw new InputError(`node.files.${path}: unknown CA ${JSON.stringify(spec.ca)}`, scenario.file);
      files[path] = pem;
    } else {
      const key = signed.keys.get(spec.publicKey);
      if (!key) throw new InputError(`node.files.${path}: unknown key ${JSON.stringify(spec.publicKey)}`, scenario.file);
      files[path] = key.publicKeyFile;
    }
  }

  const trusted = Object.entries(scenario.cas).filter(([, c]) => c.trusted).map(([name]) => pki.caPems[name]!);
  if (trusted.length > 0 && scenario.node.files[SYSTEM_CA_BUNDLE] === undefined) files[SYSTEM_CA_BUNDLE] = trusted.join('');

  const uniqueEndpoints = [...new Set(plan.endpoints.values())];
  const running = new Map<EndpointPlan, RunningServer>();
  const certIssuers = new Map<EndpointPlan, string | undefined>();
  const started = await Promise.allSettled(
    uniqueEndpoints.map(async (ep) => {
      if (ep.registry?.faults.down) return;
      if (!ep.registry && ep.tokenFor?.faults.tokenDown) return;
      const tls = endpointTls(pki, ep);
      certIssuers.set(ep, tls?.ca);
      const at = bind({ ip: ep.ip, port: ep.port });
      if (!isLoopback(at.address)) throw new InputError(`refusing to listen on ${at.address}: fake servers listen on loopback only`, scenario.file);
      const registry = ep.registry
        ? {
            handle: ep.registry.handle,
            faults: ep.registry.faults,
            ctx: {
              content: contents.get(ep.registry.handle)!,
              auth: registryAuth(plan, ep.registry.handle, scenario),
              tokens,
              corruptBlob: !!ep.registry.faults.corruptBlob,
              ...(ep.registry.openshift && openshift && { openshift: { authz: openshift, realm: `${ep.scheme}://${ep.registry.host}/openshift/token` } }),
            },
          }
        : undefined;
      const server = await startFakeServer(
        { tls, registry, tokenRoutes: ep.tokenRoutes, tokens, clock, onAccess: (handle, entry) => handle !== undefined && logs.get(handle)?.push(entry) },
        at,
      ).catch((e: NodeJS.ErrnoException) => {
        const what = ep.registry ? `registry ${ep.registry.handle} (${ep.registry.host})` : `token server ${ep.tokenHost}:${ep.port}`;
        throw new InputError(`cannot listen for ${what} on ${at.address}:${at.port}: ${e.code ?? e.message}`, scenario.file);
      });
      running.set(ep, server);
    }),
  );
  const close = async () => {
    await Promise.all([...running.values()].map((s) => s.close()));
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }

  const dialer: Dialer = {
    dial(host: string, port: number): DialResult {
      const ip = resolveName(plan, host);
      if (ip === undefined) return { ok: false, error: 'nxdomain', host };
      const ep = plan.endpoints.get(endpointKey(ip, port));
      const server = ep && running.get(ep);
      if (!server || !isLoopback(server.address)) return { ok: false, error: 'refused', ip, port };
      const r: DialResult = { ok: true, address: server.address, port: server.port, ip };
      if (server.verifiedTls !== undefined) r.verifiedTls = server.verifiedTls;
      if (server.attach) r.attach = server.attach;
      return r;
    },
  };

  return {
    dialer,
    registryAt(host, port) {
      const ip = resolveName(plan, host);
      return (ip !== undefined && plan.endpoints.get(endpointKey(ip, port))?.registry?.handle) || null;
    },
    accessLog: (handle) => logs.get(handle)?.entries() ?? [],
    nodeFiles: () => ({ ...files }),
    digests,
    keyData: Object.fromEntries([...signed.keys].map(([name, k]) => [name, k.keyData])),
    caPems: { ...pki.caPems },
    publicKeys: Object.fromEntries([...signed.keys].map(([name, k]) => [name, k.publicKeyFile])),
    serviceAccountTokens: new Map(openshift?.tokens ?? []),
    pullThrough(internal, stream, tag, source) {
      const from = contents.get(source.handle)?.get(source.repository);
      const to = contents.get(internal);
      if (!from || !to) return;
      const repo = repositoryOf(to, stream);
      for (const [d, m] of from.manifests) repo.manifests.set(d, m);
      for (const [d, b] of from.blobs) repo.blobs.set(d, b);
      repo.tags.set(tag, source.digest);
    },
    endpoints: () =>
      uniqueEndpoints.map((ep) => {
        const server = running.get(ep);
        const out: LabEndpoint = {
          host: ep.registry ? ep.registry.host : ep.port === (ep.scheme === 'https' ? 443 : 80) ? ep.tokenHost! : `${ep.tokenHost}:${ep.port}`,
          names: [...plan.names].filter(([, ip]) => ip === ep.ip).map(([n]) => n),
          ip: ep.ip,
          port: ep.port,
          scheme: ep.scheme,
        };
        if (ep.registry) out.handle = ep.registry.handle;
        if (server) out.listening = { address: server.address, port: server.port };
        const ca = certIssuers.get(ep);
        if (ca !== undefined) out.ca = ca;
        return out;
      }),
    close,
  };
}
