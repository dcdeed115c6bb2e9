/**
 * What both pulls-bench scenarios serve alike (bench/pulls-bench.ts, bench/pulls-containerd.ts):
 * the lab CA, alice's credentials, and the plain-HTTP, basic-auth and bearer-auth registries.
 * Addresses in 127.0.9.0/24 keep clear of the conformance scenarios'.
 */
export const CA = { ca: 'lab' };
export const ALICE = Buffer.from('alice:wonderland').toString('base64');

/** plain (declared insecure or HTTP by the node's config), plain2 (not), private (basic), tokenreg (bearer, serving `tokenImages`). */
export function sharedRegistries(tokenImages: Record<string, string>): Record<string, unknown> {
  return {
    plain: { host: 'plain.bench.test:5000', ip: '127.0.9.31', tls: false, images: { 'lib/tool:v1': 'tool' } },
    plain2: { host: 'plain2.bench.test:5000', ip: '127.0.9.32', tls: false, images: { 'lib/tool:v1': 'tool' } },
    private: {
      host: 'private.bench.test:5443',
      ip: '127.0.9.13',
      tls: CA,
      auth: { type: 'basic', users: { alice: 'wonderland', bob: 'builder' }, access: { 'team-a/*': ['alice'], 'team-b/*': ['bob'] } },
      images: { 'team-a/app:v1': 'app', 'team-b/app:v1': 'app' },
    },
    tokenreg: {
      host: 'tokenreg.bench.test:5443',
      ip: '127.0.9.15',
      tls: CA,
      auth: { type: 'bearer', realm: 'https://auth.bench.test:5559/token', users: { alice: 'wonderland' }, anonymous: ['public/*'] },
      images: tokenImages,
    },
  };
}
