import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loopbackFor, serveScenario } from '../../sim/serve.js';
import { scenario } from './helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host: address, port }, () => (c.destroy(), resolve(true)));
    c.on('error', () => resolve(false));
  });
}

describe('loopbackFor', () => {
  it.each([
    ['127.0.0.12', '127.0.0.12'],
    ['192.168.10.11', '127.168.10.11'],
    ['0.0.0.0', '127.0.0.1'],
  ])('%s → %s', (ip, lo) => expect(loopbackFor(ip)).toBe(lo));
  it('maps IPv6 into 127/8', () => expect(loopbackFor('2001:db8::1')).toMatch(/^127\./));
});

describe('serveScenario', () => {
  it('listens on the scenario ports at loopback addresses and says how to reach them', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const s = scenario({
      cas: { lab: {} },
      hosts: { 'alias.lab.test': '127.0.0.12' },
      registries: {
        harbor: { host: `harbor.lab.test:${p1}`, ip: '127.0.0.12', tls: {} },
        nexus: { host: `192.168.10.11:${p2}` },
        gone: { host: `gone.lab.test:${p2}`, ip: '127.0.0.40', faults: { down: true } },
      },
    });
    const served = await serveScenario(s);
    try {
      const text = served.lines.join('\n');
      const caFile = /trust (\S+lab\.crt)/.exec(text)![1]!;
      expect(readFileSync(caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
      expect(text).toContain(`registry harbor: https://harbor.lab.test:${p1} → 127.0.0.12:${p1}, trust ${caFile}`);
      expect(text).toContain(`registry nexus: http://192.168.10.11:${p2} → 127.168.10.11:${p2}`);
      expect(text).toContain(`registry gone: http://gone.lab.test:${p2} is down`);
      expect(served.lines).toContain('127.0.0.12 alias.lab.test harbor.lab.test');
      expect(await canConnect('127.0.0.12', p1)).toBe(true);
      expect(await canConnect('127.168.10.11', p2)).toBe(true);
    } finally {
      await served.close();
    }
    expect(await canConnect('127.0.0.12', p1)).toBe(false);
  });

  it('a port in use is an input error, and nothing is left listening', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as net.AddressInfo).port)));
    const other = await freePort();
    try {
      const s = scenario({ registries: { a: { host: `a.test:${other}`, ip: '127.0.0.2' }, b: { host: `b.test:${port}`, ip: '127.0.0.1' } } });
      const err = await serveScenario(s).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(new RegExp(`registry b \\(b.test:${port}\\) on 127.0.0.1:${port}: EADDRINUSE`));
      expect(await canConnect('127.0.0.2', other)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
