import * as http from 'node:http';
import * as https from 'node:https';
import type { Lab } from '../../sim/lab.js';
import type { RegistrySpec, Scenario } from '../../src/scenario/types.js';

type RegistryInput = Partial<RegistrySpec> & { host: string };

/** A scenario with defaults filled in, as the loader would produce it. */
export function scenario(parts: Partial<Omit<Scenario, 'registries'>> & { registries?: Record<string, RegistryInput> } = {}): Scenario {
  const registries: Record<string, RegistrySpec> = {};
  for (const [handle, r] of Object.entries(parts.registries ?? {})) {
    registries[handle] = { handle, tls: false, images: {}, faults: {}, ...r };
  }
  return {
    file: 'test.yaml',
    name: 'test',
    runtime: 'crio',
    versions: {},
    cas: {},
    keys: {},
    images: {},
    hosts: {},
    node: { files: {} },
    cluster: [],
    pulls: [],
    ...parts,
    registries,
  };
}

export interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A real HTTP(S) request over loopback, to wherever the lab's dialer sends the URL's host. */
export function get(lab: Lab, url: string, opts: { method?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<Got> {
  const u = new URL(url);
  const https_ = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : https_ ? 443 : 80;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const d = lab.dialer.dial(host, port);
  if (!d.ok) return Promise.reject(Object.assign(new Error(`dial ${d.error}`), { dial: d }));
  return new Promise((resolve, reject) => {
    const options = {
      host: d.address,
      port: d.port,
      path: `${u.pathname}${u.search}`,
      method: opts.method ?? 'GET',
      headers: { host: u.host, ...opts.headers },
      agent: false as const,
    };
    const req = https_
      ? https.request({ ...options, servername: host, ca: opts.ca, rejectUnauthorized: opts.ca !== undefined })
      : http.request(options);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export const ACCEPT_ALL = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');
