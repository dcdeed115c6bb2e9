/**
 * `pullsim serve`: a scenario's fake servers on fixed loopback addresses and the scenario's ports,
 * for real clients (curl, skopeo, podman) on this machine. Each address the scenario gives is
 * kept when it is loopback, else mapped into 127.0.0.0/8, and /etc/hosts lines say where names go.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../src/scenario/types.js';
import { startLab } from './lab.js';

/** The loopback address standing in for `ip`: itself when loopback, else 127.<b>.<c>.<d> (IPv4) or a hashed one (IPv6). */
export function loopbackFor(ip: string): string {
  if (/^127\./.test(ip)) return ip;
  if (isIP(ip) === 4) {
    const [, b, c, d] = ip.split('.');
    return `127.${b}.${c}.${d === '0' && b === '0' && c === '0' ? '1' : d}`;
  }
  const h = createHash('sha256').update(ip).digest();
  return `127.${h[0]}.${h[1]}.${(h[2]! % 254) + 1}`;
}

export interface Served {
  lines: string[];
  close(): Promise<void>;
}

export async function serveScenario(scenario: Scenario): Promise<Served> {
  const lab = await startLab(scenario, { bind: ({ ip, port }) => ({ address: loopbackFor(ip), port }) });
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'pullsim-serve-'));
    const caFiles: Record<string, string> = {};
    for (const [name, pem] of Object.entries(lab.caPems)) {
      caFiles[name] = join(dir, `${name}.crt`);
      await writeFile(caFiles[name]!, pem);
    }
    const lines: string[] = [];
    const hosts = new Map<string, Set<string>>();
    for (const ep of lab.endpoints()) {
      const what = ep.handle !== undefined ? `registry ${ep.handle}` : 'token server';
      const url = `${ep.scheme}://${ep.host}`;
      if (!ep.listening) {
        lines.push(`${what}: ${url} is down (nothing listens on ${loopbackFor(ep.ip)}:${ep.port})`);
      } else {
        const trust = ep.scheme === 'https' ? (ep.ca !== undefined ? `, trust ${caFiles[ep.ca]}` : ', self-signed certificate') : '';
        lines.push(`${what}: ${url} → ${ep.listening.address}:${ep.listening.port}${trust}`);
      }
    }
    for (const [name, ip] of Object.entries(Object.fromEntries(lab.endpoints().flatMap((ep) => ep.names.map((n) => [n, ep.ip]))))) {
      if (isIP(name) || name === 'localhost') continue;
      const address = loopbackFor(ip);
      if (!hosts.has(address)) hosts.set(address, new Set());
      hosts.get(address)!.add(name);
    }
    for (const [name, ip] of Object.entries(scenario.hosts)) {
      const address = loopbackFor(ip);
      if (!hosts.has(address)) hosts.set(address, new Set());
      hosts.get(address)!.add(name.toLowerCase());
    }
    lines.push('/etc/hosts:');
    for (const [address, names] of [...hosts].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`${address} ${[...names].sort().join(' ')}`);
    const tmp = dir;
    return {
      lines,
      close: async () => {
        await lab.close();
        await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await lab.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
