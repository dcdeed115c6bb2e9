/**
 * Which credentials an import uses: the project's pull secrets (not excluded ones), then the
 * control plane's node pull secret, first keyring match only; a malformed secret fails every import.
 */
import { describe, expect, it } from 'vitest';
import { PRIVATE_REGISTRY, pullSecret, runInline } from './helpers.js';

const FROM = 'registry.example.com/team/app:1.0';
const UNAUTHORIZED = `you may not have access to the container image "${FROM}"`;

function scenario(cluster: string, nodeFiles = ''): string {
  return `name: credentials
${PRIVATE_REGISTRY}
${nodeFiles}
cluster:${cluster || ' []'}
pulls:
  - import: app:1.0
    namespace: team
    from: ${FROM}
`;
}

describe('import credentials come from the project secrets, then the node pull secret, first match only', () => {
  it.each([
    ['no secret at all', '', '', { result: 'failed', reason: 'Unauthorized', error: UNAUTHORIZED }],
    ['a secret for the host in the project', pullSecret('pull', 'team', { 'registry.example.com': { username: 'robot', password: 's3cret' } }), '', { result: 'imported', reason: null, error: null }],
    ['the same secret in another project', pullSecret('pull', 'other', { 'registry.example.com': { username: 'robot', password: 's3cret' } }), '', { result: 'failed', reason: 'Unauthorized', error: UNAUTHORIZED }],
    [
      'the secret annotated excludeSecret',
      pullSecret('pull', 'team', { 'registry.example.com': { username: 'robot', password: 's3cret' } }, { 'openshift.io/image.excludeSecret': 'true' }),
      '',
      { result: 'failed', reason: 'Unauthorized', error: UNAUTHORIZED },
    ],
    [
      'a more specific key with a wrong password shadows the right one (first match only)',
      pullSecret('a', 'team', { 'registry.example.com': { username: 'robot', password: 's3cret' } }) + pullSecret('b', 'team', { 'registry.example.com/team': { username: 'robot', password: 'wrong' } }),
      '',
      { result: 'failed', reason: 'Unauthorized', error: UNAUTHORIZED },
    ],
    [
      "the control plane's node pull secret",
      '',
      `node:\n  files:\n    /var/lib/kubelet/config.json: '{"auths":{"registry.example.com":{"auth":"cm9ib3Q6czNjcmV0"}}}'`,
      { result: 'imported', reason: null, error: null },
    ],
    [
      'a project secret that parses as JSON but not as a docker config',
      pullSecret('broken', 'team', { 'quay.io': { auth: '%%%' } }) + pullSecret('pull', 'team', { 'registry.example.com': { username: 'robot', password: 's3cret' } }),
      '',
      { result: 'failed', reason: 'InternalError', error: `Internal error occurred: ${FROM}: illegal base64 data at input byte 0` },
    ],
  ])('%s', async (_what, cluster, nodeFiles, want) => {
    const [p] = await runInline(scenario(cluster, nodeFiles));
    expect({ result: p!.result, reason: p!.import!.reason, error: p!.error }).toEqual(want);
  });
});

describe('the :80 key: per-URL lookup up to OpenShift 4.4, keyring rules after', () => {
  const nexus = (release: string, key: string) => `name: port 80
versions: { openshift: "${release}" }
registries:
  nexus: { host: nexus.example.com, tls: false, auth: { type: basic, users: { robot: s3cret } }, images: { "team/app:1.0": {} } }
cluster:${pullSecret('nexus', 'team', { [key]: { username: 'robot', password: 's3cret' } })}
pulls:
  - { import: "app:1.0", namespace: team, from: "nexus.example.com/team/app:1.0", insecure: true }
`;
  it.each([
    ['4.4', 'nexus.example.com', 'failed'],
    ['4.4', 'nexus.example.com:80', 'imported'],
    ['4.15', 'nexus.example.com', 'imported'],
    ['4.15', 'nexus.example.com:80', 'failed'],
  ])('OpenShift %s, secret keyed %s: %s', async (release, key, result) => {
    const [p] = await runInline(nexus(release, key));
    expect(p!.result).toBe(result);
    if (result === 'failed') expect(p!.import!.reason).toBe('Unauthorized');
  });
});
