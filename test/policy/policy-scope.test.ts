import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parsePolicyText } from '../../src/policy/policy-json.js';
import { dockerImageName, firstUnaccepted, policyIdentity, policyNamespaces, requirementsFor } from '../../src/policy/policy-scope.js';
import type { Policy } from '../../src/policy/policy-types.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';

function policy(json: string): Policy {
  return { path: '/etc/containers/policy.json', ...parsePolicyText(json) };
}

const acc = '[{"type":"insecureAcceptAnything"}]';
const rej = '[{"type":"reject"}]';
const D = `sha256:${'a'.repeat(64)}`;

describe('identity and namespaces (docker/policyconfiguration/naming.go)', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['quay.io/a/b:v1', 'quay.io/a/b:v1'],
    [`quay.io/a/b@${D}`, `quay.io/a/b@${D}`],
    [`quay.io/a/b:v1@${D}`, `quay.io/a/b@${D}`],
  ])('identity of %s is %s', (image, want) => {
    expect(policyIdentity(parseNormalizedNamed(image))).toBe(want);
  });

  it.each([
    ['a.b.example.com:5000/ns/sub/repo:v1', ['a.b.example.com:5000/ns/sub/repo', 'a.b.example.com:5000/ns/sub', 'a.b.example.com:5000/ns', 'a.b.example.com:5000', '*.b.example.com', '*.example.com', '*.com']],
    ['localhost:5000/app', ['localhost:5000/app', 'localhost:5000']],
    ['busybox', ['docker.io/library/busybox', 'docker.io/library', 'docker.io', '*.io']],
  ])('namespaces of %s', (image, want) => {
    expect(policyNamespaces(parseNormalizedNamed(image)).map((n) => n.scope)).toEqual(want);
  });
});

describe('scope precedence (requirementsForImageRef)', () => {
  const full = policy(`{"default":${rej},"transports":{"docker":{
    "":${acc},
    "*.example.com":${rej},
    "reg.example.com:5000":${acc},
    "reg.example.com:5000/ns":${rej},
    "reg.example.com:5000/ns/app":${acc},
    "reg.example.com:5000/ns/app:v1":${rej},
    "plain.example.com/x":${acc}
  }}}`);
  it.each([
    ['reg.example.com:5000/ns/app:v1', 'identity', 'reg.example.com:5000/ns/app:v1'],
    ['reg.example.com:5000/ns/app:v2', 'namespace', 'reg.example.com:5000/ns/app'],
    ['reg.example.com:5000/ns/other:v1', 'namespace', 'reg.example.com:5000/ns'],
    ['reg.example.com:5000/zz/app:v1', 'namespace', 'reg.example.com:5000'],
    // The portless host is never tried: only wildcards see the host without its port.
    ['reg.example.com:6000/ns/app:v1', 'wildcard', '*.example.com'],
    ['plain.example.com/y:v1', 'wildcard', '*.example.com'],
    ['other.org/a:v1', 'transport-default', ''],
  ])('%s → %s %s', (image, kind, scope) => {
    const m = requirementsFor(full, parseNormalizedNamed(image));
    expect([m.kind, m.scope]).toEqual([kind, scope]);
  });

  it('falls back to the top-level default when the transport has no entry', () => {
    const m = requirementsFor(policy(`{"default":${rej},"transports":{"atomic":{"quay.io":${acc}}}}`), parseNormalizedNamed('quay.io/a:v1'));
    expect(m).toEqual({ transport: 'docker', scope: 'default', kind: 'default', requirements: [{ type: 'reject' }] });
  });

  it('other transports are looked up by name', () => {
    const m = requirementsFor(policy(`{"default":${rej},"transports":{"docker-daemon":{"":${acc}}}}`), parseNormalizedNamed('quay.io/a:v1'), 'docker-daemon');
    expect(m.kind).toBe('transport-default');
  });
});

describe('requirement verdicts', () => {
  const ref = parseNormalizedNamed('docker.io/library/busybox');
  it.each([
    [[{ type: 'insecureAcceptAnything' }], undefined],
    [[{ type: 'insecureAcceptAnything' }, { type: 'reject' }], 'Running image docker://busybox:latest is rejected by policy.'],
    [[{ type: 'signedBaseLayer', baseLayerIdentity: { type: 'matchExact' } }], 'signedBaseLayer not implemented yet!'],
  ] as const)('%j', (reqs, want) => {
    const r = firstUnaccepted([...reqs], ref);
    expect(r?.verdict.kind === 'rejected' ? r.verdict.error().message : r).toBe(want);
  });

  it('hands signature requirements to the verifier, in order', () => {
    const r = firstUnaccepted([{ type: 'insecureAcceptAnything' }, { type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k', signedIdentity: { type: 'matchExact' } }, { type: 'reject' }], ref);
    expect(r?.index).toBe(1);
    expect(r?.verdict.kind).toBe('needs-signature');
  });

  it.each([
    ['nexus.lab.test:5001/lab/app:v1', 'docker://nexus.lab.test:5001/lab/app:v1'],
    ['docker.io/foo/bar', 'docker://foo/bar:latest'],
    [`harbor.lab.test/lab/app@${D}`, `docker://harbor.lab.test/lab/app@${D}`],
  ])('image name of %s', (image, want) => {
    expect(dockerImageName(parseNormalizedNamed(image))).toBe(want);
  });
});

describe('go-bench anchors (policy entries of expected.json)', () => {
  const dir = join(import.meta.dirname, '../fixtures/go-bench');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    policy: { n: number; kind: string; ref: string; allowed: boolean; error?: string }[];
  };
  const policies = new Map([10, 100, 1000].map((n) => [n, policy(readFileSync(join(dir, `policy-${n}.json`), 'utf8'))]));
  it.each(expected.policy.map((e) => [e.n, e.kind, e] as const))('N=%i %s', (n, _kind, e) => {
    const ref = parseNormalizedNamed(e.ref.replace(/^docker:\/\//, ''));
    const r = firstUnaccepted(requirementsFor(policies.get(n)!, ref).requirements, ref);
    expect(r === undefined).toBe(e.allowed);
    if (!e.allowed) expect(r?.verdict.kind === 'rejected' && r.verdict.error().message).toBe(e.error);
  });
});

describe('conformance: policy group and config-invalid/130', () => {
  const root = join(import.meta.dirname, '../conformance');
  const files = [
    ...readdirSync(join(root, 'policy')).map((f) => join(root, 'policy', f)),
    join(root, 'config-invalid', '130-policy-unknown-transport.yaml'),
  ];
  const fakeDigest = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;
  const subst = (s: string) => s.replace(/\$\{digest:([^}]+)\}/g, (_m, name: string) => fakeDigest(name));
  const cases = files.flatMap((file) => {
    const doc = parseYaml(readFileSync(file, 'utf8')) as {
      node: { files: Record<string, unknown> };
      pulls: { image: string; expect: { result: string; error?: string } }[];
    };
    const json = doc.node.files['/etc/containers/policy.json'];
    if (typeof json !== 'string') return [];
    return doc.pulls.map((p) => [file.split('/').pop()!, subst(json), subst(p.image), p.expect.result, p.expect.error && subst(p.expect.error)] as const);
  });

  it.each(cases)('%s', (_file, json, image, result, error) => {
    const ref = parseNormalizedNamed(image);
    const r = firstUnaccepted(requirementsFor(policy(json), ref).requirements, ref);
    if (result === 'pulled') expect(r).toBeUndefined();
    else if (error?.startsWith('Source image rejected: Running image')) {
      expect(r?.verdict.kind === 'rejected' && `Source image rejected: ${r.verdict.error().message}`).toBe(error);
    }
  });
});
