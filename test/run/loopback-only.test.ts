/**
 * Loopback only: whatever names and addresses a scenario uses (public registries, RFC 1918 IPs,
 * names nothing maps), every socket pullsim opens during a run goes to 127.0.0.0/8 or ::1, and no
 * name is ever looked up (only the fake servers' own loopback literals). Watched at the lowest level
 * Node offers: net.Socket#connect and dns, and the in-process connections to fake servers that
 * skip the kernel (src/pull/memory-link.ts), which must name a loopback server too.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import dns from 'node:dns';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_LINK_CHANNEL } from '../../src/pull/memory-link.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const SCENARIO = `
name: public names and private IPs everywhere
runtime: crio
cas: { lab: {} }
hosts:
  docker.io: 8.8.8.8
  registry-1.docker.io: 8.8.8.8
registries:
  nexus: { host: "192.168.10.11:5001", tls: false, images: { "test/test:latest": {} } }
  quay: { host: quay.io, tls: { ca: lab }, images: {} }
  public: { host: "10.0.0.7:443", tls: { ca: lab }, images: {} }
  flaky: { host: "172.16.0.9", tls: { ca: lab }, faults: { reset: true }, images: { "x/y:1": {} } }
node:
  files:
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
    /etc/containers/registries.conf: |
      unqualified-search-registries = ["quay.io", "docker.io", "unmapped.example.org"]
      [[registry]]
      location = "192.168.10.11:5001"
      insecure = true
      [[registry]]
      location = "quay.io"
      [[registry.mirror]]
      location = "mirror.example.net/quay"
pulls:
  - image: 192.168.10.11:5001/test/test:latest
  - image: quay.io/team/app:v1
  - image: app:v1
  - image: 10.0.0.7/x/y:1
  - image: nowhere.invalid/x/y:1
  - image: 172.16.0.9/x/y:1
`;

function isLoopback(host: string | undefined): boolean {
  return host !== undefined && (/^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('no socket leaves loopback and no name is really resolved', () => {
  it('every connect of a whole run goes to 127.0.0.0/8 or ::1, and no scenario name reaches dns', async () => {
    const targets: (string | undefined)[] = [];
    const original = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      // Node normalizes connect(options) / connect(port, host) and may call it again with [options, cb].
      const raw = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
      const first = raw as { host?: string; path?: string } | number;
      const host = typeof first === 'object' ? first.host : (args[1] as string | undefined);
      if (typeof first !== 'object' || first.path === undefined) targets.push(host ?? 'localhost(default)');
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    });
    const lookups = [vi.spyOn(dns, 'lookup'), vi.spyOn(dns.promises, 'lookup'), vi.spyOn(dns, 'resolve4'), vi.spyOn(dns, 'resolve6')];
    const links: string[] = [];
    const onLink = (m: unknown) => links.push((m as { address: string }).address);
    subscribe(MEMORY_LINK_CHANNEL, onLink);

    let report;
    try {
      report = await runScenario(loadScenarioText(SCENARIO, 'loopback.yaml'));
    } finally {
      unsubscribe(MEMORY_LINK_CHANNEL, onLink);
    }

    expect(report.pulls).toHaveLength(6);
    expect(report.pulls[0].result).toBe('pulled');
    // A server whose fault acts on the TCP socket is dialled over loopback TCP; the others in memory.
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !isLoopback(t))).toEqual([]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((t) => !isLoopback(t))).toEqual([]);
    // The fake servers' listen() asks dns.lookup for their own loopback literal (fastify does); that
    // never leaves the process. Nothing else may be looked up.
    const asked = lookups.flatMap((l) => l.mock.calls.map((c) => String(c[0])));
    expect(asked.filter((name) => !isLoopback(name))).toEqual([]);
  });

  it('an unmapped name fails the way a DNS failure does', async () => {
    const report = await runScenario(loadScenarioText(SCENARIO, 'loopback.yaml'));
    const nowhere = report.pulls[4];
    expect(nowhere.result).toBe('failed');
    expect(nowhere.error).toContain('dial tcp: lookup nowhere.invalid: no such host');
  });
});
