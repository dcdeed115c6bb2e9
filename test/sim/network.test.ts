import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../sim/lab.js';
import { planNetwork, splitHostPort } from '../../sim/network.js';
import { isLoopbackAddress } from '../../src/pull/dialer.js';
import { InputError } from '../../src/errors/index.js';
import { get, scenario } from './helpers.js';

const s = scenario({
  cas: { lab: {} },
  hosts: { 'harbor-alias.lab.test': '127.0.0.12', 'docker.example.com': '8.8.8.8', 'down.lab.test': '192.168.10.99' },
  registries: {
    harbor: { host: 'harbor.lab.test', ip: '127.0.0.12', tls: {} },
    nexus: { host: '192.168.10.11:5001', ip: '192.168.10.11' },
    hub: { host: 'docker.io', tls: {} },
    noip: { host: 'noip.example.com:5000' },
    public: { host: 'registry.example.com', ip: '93.184.216.34', tls: {}, auth: { type: 'bearer', realm: 'https://auth.example.com:5559/token', users: {} } },
    v6: { host: '[2001:db8::1]:5000' },
  },
});

let lab: Lab;
beforeAll(async () => void (lab = await startLab(s)));
afterAll(() => lab.close());

describe('the dialer maps names to the loopback servers', () => {
  it.each([
    ['harbor.lab.test', 443, 'harbor', '127.0.0.12'],
    ['HARBOR.lab.test.', 443, 'harbor', '127.0.0.12'],
    ['127.0.0.12', 443, 'harbor', '127.0.0.12'],
    ['harbor-alias.lab.test', 443, 'harbor', '127.0.0.12'],
    ['192.168.10.11', 5001, 'nexus', '192.168.10.11'],
    ['registry-1.docker.io', 443, 'hub', undefined],
    ['docker.io', 443, 'hub', undefined],
    ['noip.example.com', 5000, 'noip', undefined],
    ['registry.example.com', 443, 'public', '93.184.216.34'],
    ['2001:db8::1', 5000, 'v6', '2001:db8::1'],
  ])('%s:%d → %s', (host, port, handle, ip) => {
    const d = lab.dialer.dial(host, port);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(isLoopbackAddress(d.address)).toBe(true);
    if (ip) expect(d.ip).toBe(ip);
    expect(lab.registryAt(host, port)).toBe(handle);
  });

  it('a registry without ip gets the same fake address every time', async () => {
    const again = await startLab(s);
    try {
      expect(again.dialer.dial('noip.example.com', 5000)).toMatchObject({ ip: (lab.dialer.dial('noip.example.com', 5000) as { ip: string }).ip });
    } finally {
      await again.close();
    }
  });

  it.each([
    ['harbor.lab.test', 80, { ok: false, error: 'refused', ip: '127.0.0.12', port: 80 }],
    ['localhost', 443, { ok: false, error: 'refused', ip: '127.0.0.1', port: 443 }],
    ['docker.example.com', 443, { ok: false, error: 'refused', ip: '8.8.8.8', port: 443 }],
    ['8.8.8.8', 53, { ok: false, error: 'refused', ip: '8.8.8.8', port: 53 }],
    ['down.lab.test', 443, { ok: false, error: 'refused', ip: '192.168.10.99', port: 443 }],
    ['unknown.example.org', 443, { ok: false, error: 'nxdomain', host: 'unknown.example.org' }],
    ['quay.io', 443, { ok: false, error: 'nxdomain', host: 'quay.io' }],
  ])('%s:%d → %j', (host, port, result) => {
    expect(lab.dialer.dial(host, port)).toEqual(result);
    expect(lab.registryAt(host, port)).toBeNull();
  });
});

describe('a registry without ip: resolves to a documentation address, never the emulator\'s loopback', () => {
  it('a refused dial names an address from 198.51.100.0/24 (RFC 5737), the same in every scenario', async () => {
    const d = lab.dialer.dial('noip.example.com', 443);
    expect(d).toMatchObject({ ok: false, error: 'refused', port: 443 });
    const ip = (d as { ip: string }).ip;
    expect(ip).toMatch(/^198\.51\.100\.\d+$/);
    const alone = planNetwork(scenario({ registries: { other: { host: 'noip.example.com:8443' } } }));
    expect(alone.registries.get('other')!.ip).toBe(ip);
  });

  it('two names that meet on one address get distinct ones', () => {
    const names = Array.from({ length: 300 }, (_, i) => `r${i}.example.com`);
    const plan = planNetwork(scenario({ registries: Object.fromEntries(names.map((n, i) => [`r${i}`, { host: n }])) }));
    const ips = [...plan.registries.values()].map((p) => p.ip);
    expect(new Set(ips).size).toBe(300);
    expect(ips.every((ip) => !ip.startsWith('127.'))).toBe(true);
  });
});

describe('no socket ever goes to a non-loopback address', () => {
  it('every dial result for every name and port the scenario mentions is loopback or a failure', () => {
    const plan = planNetwork(s);
    const names = [...plan.names.keys(), ...Object.keys(s.hosts), '8.8.8.8', '93.184.216.34', '192.168.10.11', 'example.com'];
    const ports = [80, 443, 5000, 5001, 5559];
    for (const n of names) for (const p of ports) {
      const d = lab.dialer.dial(n, p);
      if (d.ok) expect(isLoopbackAddress(d.address)).toBe(true);
    }
  });

  it('a client following the dialer opens only loopback connections', async () => {
    const seen: string[] = [];
    const original = net.Socket.prototype.connect;
    // Every TCP connection in node, TLS included, goes through Socket#connect.
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const first = args[0] as { host?: string } | unknown[];
      const options = Array.isArray(first) ? (first[0] as { host?: string }) : first;
      seen.push(String(options?.host));
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
    try {
      for (const url of ['https://registry.example.com/v2/', 'https://auth.example.com:5559/token', 'http://192.168.10.11:5001/v2/', 'https://registry-1.docker.io/v2/']) {
        await get(lab, url, { ca: lab.caPems.lab });
      }
    } finally {
      net.Socket.prototype.connect = original;
    }
    expect(seen).toHaveLength(4);
    for (const host of seen) expect(isLoopbackAddress(host)).toBe(true);
  });

  it.each([['10.0.0.1'], ['0.0.0.0'], ['::']])('refuses to listen on %s', async (address) => {
    await expect(startLab(scenario({ registries: { r: { host: 'r.test' } } }), { bind: () => ({ address, port: 0 }) })).rejects.toBeInstanceOf(InputError);
  });
});

describe('scenario errors', () => {
  it.each([['https://'], ['http://[::1']])('realm %s is not a host or URL', (realm) => {
    const bad = scenario({ registries: { r: { host: 'r.test', auth: { type: 'bearer', realm, users: {} } } } });
    expect(() => planNetwork(bad)).toThrow(/is not a host or URL/);
  });
  it('a realm on a registry that speaks the other scheme', () => {
    const bad = scenario({ registries: { r: { host: 'r.test:5000', auth: { type: 'bearer', realm: 'https://r.test:5000/token', users: {} } } } });
    expect(() => planNetwork(bad)).toThrow(/speaks http/);
  });
  it('two registries on one address and port', () => {
    expect(() => planNetwork(scenario({ registries: { a: { host: 'a.test', ip: '127.0.0.5' }, b: { host: 'b.test', ip: '127.0.0.5' } } }))).toThrow(/already listens/);
  });
  it.each([
    ['harbor.lab.test', { name: 'harbor.lab.test' }],
    ['Harbor.lab.test:5000', { name: 'harbor.lab.test', port: 5000 }],
    ['[::1]:5000', { name: '::1', port: 5000 }],
    ['[::1]', { name: '::1' }],
    ['::1', { name: '::1' }],
  ])('splitHostPort(%s)', (h, r) => expect(splitHostPort(h)).toEqual(r));
});
