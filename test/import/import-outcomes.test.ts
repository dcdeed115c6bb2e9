/**
 * Each tag condition the importer writes, from cluster objects as users apply them: reason and
 * message exactly as openshift-apiserver words them, and oc's exit status.
 */
import { describe, expect, it } from 'vitest';
import { runInline } from './helpers.js';

const REGISTRIES = `
cas:
  public: { trusted: true }
  corp: {}
images:
  multi: { platforms: [linux/arm64, linux/amd64] }
registries:
  quay: { host: quay.io, tls: { ca: public }, images: { "org/app:1.0": {}, "org/multi:1.0": multi } }
  harbor: { host: harbor.example.com, tls: { ca: corp }, images: { "web/app:1.0": {} } }
  nexus: { host: "nexus.example.com:8082", tls: false, images: { "team/app:1.0": {} } }
  mirror: { host: mirror.example.com, tls: { ca: public }, images: { "org/app:1.0": {} } }
`;

async function importOne(pull: string, cluster = '[]'): Promise<{ result: string; reason: string | null; error: string | null; exit: number; digest: string | null; from: string | null }> {
  const [p] = await runInline(`name: outcome\n${REGISTRIES}\ncluster: ${cluster}\npulls:\n  - ${pull}\n`);
  return { result: p!.result, reason: p!.import!.reason, error: p!.error, exit: p!.import!.oc.exitCode, digest: p!.digest, from: p!.from };
}

const IMAGE_CR = (spec: string) => `
  - apiVersion: config.openshift.io/v1
    kind: Image
    metadata: { name: cluster }
    spec: ${spec}`;

describe('tag conditions: reason and message as the importer sets them', () => {
  it.each([
    ['a missing tag', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:nope" }', '[]', 'NotFound', 'dockerimage.image.openshift.io "quay.io/org/app:nope" not found'],
    [
      'a certificate from a CA the control plane does not trust',
      '{ import: "app:1.0", namespace: p, from: "harbor.example.com/web/app:1.0" }',
      '[]',
      'InternalError',
      'Internal error occurred: harbor.example.com/web/app:1.0: Get "https://harbor.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
    [
      'an HTTP-only registry without insecure',
      '{ import: "app:1.0", namespace: p, from: "nexus.example.com:8082/team/app:1.0" }',
      '[]',
      'InternalError',
      'Internal error occurred: nexus.example.com:8082/team/app:1.0: Get "https://nexus.example.com:8082/v2/": http: server gave HTTP response to HTTPS client',
    ],
    ['a blocked registry', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0" }', IMAGE_CR('{ registrySources: { blockedRegistries: [quay.io] } }'), 'Forbidden', 'forbidden: registry quay.io blocked'],
    [
      'a registry outside allowedRegistriesForImport, imported by a project user',
      '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0" }',
      IMAGE_CR('{ allowedRegistriesForImport: [{ domainName: registry.redhat.io }, { domainName: "*.example.com", insecure: true }] }'),
      'Invalid',
      'The ImageStreamImport "app" is invalid: spec.images[0].from.name: Forbidden: importing images from registry "quay.io:443" is forbidden: registry "quay.io:443" not allowed by whitelist: "image-registry.openshift-image-registry.svc:5000", "registry.redhat.io:443", "*.example.com:80"',
    ],
    [
      'a mirror and the source both failing: one aggregated InternalError',
      '{ import: "app:1.0", namespace: p, from: "harbor.example.com/web/app@sha256:0000000000000000000000000000000000000000000000000000000000000000" }',
      `
  - apiVersion: config.openshift.io/v1
    kind: ImageDigestMirrorSet
    metadata: { name: harbor }
    spec: { imageDigestMirrors: [{ source: harbor.example.com/web, mirrors: [mirror.example.com/web] }] }`,
      'InternalError',
      'Internal error occurred: [dockerimage.image.openshift.io "mirror.example.com/web/app@sha256:0000000000000000000000000000000000000000000000000000000000000000" not found, harbor.example.com/web/app@sha256:0000000000000000000000000000000000000000000000000000000000000000: Get "https://harbor.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority]',
    ],
  ])('%s', async (_what, pull, cluster, reason, error) => {
    expect(await importOne(pull, cluster)).toMatchObject({ result: 'failed', reason, error, exit: 1 });
  });
});

describe('what makes an import succeed', () => {
  it.each([
    ['--insecure over plain HTTP', '{ import: "app:1.0", namespace: p, from: "nexus.example.com:8082/team/app:1.0", insecure: true }', '[]', 'nexus'],
    ['the host in insecureRegistries', '{ import: "app:1.0", namespace: p, from: "nexus.example.com:8082/team/app:1.0" }', IMAGE_CR('{ registrySources: { insecureRegistries: ["nexus.example.com:8082"] } }'), 'nexus'],
    [
      "the CA in additionalTrustedCA",
      '{ import: "app:1.0", namespace: p, from: "harbor.example.com/web/app:1.0" }',
      IMAGE_CR('{ additionalTrustedCA: { name: cas } }') + `
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: cas, namespace: openshift-config }
    data: { harbor.example.com: { ca: corp } }`,
      'harbor',
    ],
    ['a publicly trusted CA, no configuration', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0" }', '[]', 'quay'],
    [
      'a cluster-admin past allowedRegistriesForImport',
      '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0", as: cluster-admin }',
      IMAGE_CR('{ allowedRegistriesForImport: [{ domainName: registry.redhat.io }] }'),
      'quay',
    ],
  ])('%s', async (_what, pull, cluster, from) => {
    expect(await importOne(pull, cluster)).toMatchObject({ result: 'imported', reason: null, error: null, exit: 0, from });
  });
});

describe('import modes: Legacy keeps the control plane platform, PreserveOriginal the list', () => {
  it('Legacy imports the linux/amd64 child although it is listed second; PreserveOriginal the index', async () => {
    const pulls = await runInline(`name: modes\n${REGISTRIES}\npulls:
  - { import: "multi:legacy", namespace: p, from: "quay.io/org/multi:1.0", expect: { digest: "\${digest:multi/linux/amd64}" } }
  - { import: "multi:all", namespace: p, from: "quay.io/org/multi:1.0", importMode: PreserveOriginal, expect: { digest: "\${digest:multi}" } }
`);
    expect(pulls.map((p) => p.expect?.met)).toEqual([true, true]);
    expect(pulls[1]!.import!.oc.stdout).toMatch(/^Manifests:\tlinux\/arm64\tsha256:[0-9a-f]{64}\n\tlinux\/amd64\tsha256:[0-9a-f]{64}$/m);
    expect(pulls[0]!.import!.oc.stdout).not.toContain('Manifests:');
  });
});

describe("oc's own checks and the API server's ImageStream validation", () => {
  const stream = (tag: string) => `
  - apiVersion: image.openshift.io/v1
    kind: ImageStream
    metadata: { name: web, namespace: p }
    spec: { tags: [${tag}] }`;
  it.each([
    ['a wrong-case import mode', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0", importMode: preserveoriginal }', '[]', 'error: valid ImportMode values are Legacy or PreserveOriginal\n'],
    ['an unknown reference policy', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0", referencePolicy: Source }', '[]', 'error: valid reference policy values are source or local\n'],
    ['no stream and no --confirm', '{ import: "app:1.0", namespace: p, from: "quay.io/org/app:1.0", confirm: false }', '[]', 'error: no image stream named "app" exists, pass --confirm to create and import\n'],
    [
      'a --from that differs from the existing tag',
      '{ import: "web:stable", namespace: p, from: "quay.io/org/app:2.0" }',
      stream('{ name: stable, from: { kind: DockerImage, name: "quay.io/org/app:1.0" } }'),
      `error: the tag "stable" points to "quay.io/org/app:1.0" - use the 'tag' command if you want to change the source to "quay.io/org/app:2.0"\n`,
    ],
    [
      'a tag that references another stream tag',
      '{ import: "web:stable", namespace: p }',
      stream('{ name: stable, from: { kind: ImageStreamTag, name: "web:1.0" } }'),
      'error: tag "stable" points to existing ImageStreamTag "web:1.0", it cannot be re-imported\n',
    ],
    [
      'no --from and no such tag on the stream',
      '{ import: "web:edge", namespace: p }',
      stream('{ name: stable, from: { kind: DockerImage, name: "quay.io/org/app:1.0" } }'),
      `error: the tag "edge" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag\n`,
    ],
    [
      'a stream whose tag has an unknown import mode',
      '{ import: "web:stable", namespace: p }',
      stream('{ name: stable, from: { kind: DockerImage, name: "quay.io/org/app:1.0" }, importPolicy: { importMode: Foo } }'),
      `The ImageStream "web" is invalid: spec.tags[stable].importPolicy.importMode: Invalid value: "Foo": invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'\n`,
    ],
    [
      "a stream's source outside allowedRegistriesForImport",
      '{ import: "web:stable", namespace: p }',
      stream('{ name: stable, from: { kind: DockerImage, name: "quay.io/org/app:1.0" } }') + IMAGE_CR('{ allowedRegistriesForImport: [{ domainName: registry.redhat.io }] }'),
      'The ImageStream "web" is invalid: spec.tags[stable].from.name: Forbidden: registry "quay.io" not allowed by whitelist: "image-registry.openshift-image-registry.svc:5000", "registry.redhat.io:443"\n',
    ],
  ])('%s', async (_what, pull, cluster, stderr) => {
    const [p] = await runInline(`name: oc\n${REGISTRIES}\ncluster: ${cluster}\npulls:\n  - ${pull}\n`);
    expect(p!.result).toBe('failed');
    expect(p!.import!.oc).toEqual({ stdout: '', stderr, exitCode: 1 });
    expect(p!.attempts).toEqual([]);
  });

  it('a stream tag imports as its spec says: insecure, pull-through, scheduled', async () => {
    const [p] = await runInline(`name: stream\n${REGISTRIES}\ncluster: ${stream('{ name: stable, from: { kind: DockerImage, name: "nexus.example.com:8082/team/app:1.0" }, importPolicy: { insecure: true, scheduled: true }, referencePolicy: { type: Local } }')}\npulls:\n  - { import: "web:stable", namespace: p }\n`);
    expect(p!.result).toBe('imported');
    expect(p!.import!.oc.stdout).toContain(
      'stable\n  updates automatically from registry nexus.example.com:8082/team/app:1.0\n    will use insecure HTTPS or HTTP connections\n    prefer registry pullthrough when referencing this tag\n',
    );
  });
});

describe('a failed tag as oc import-image prints it', () => {
  it('the tag error first, the describe block with the condition, then the final error', async () => {
    const [p] = await runInline(`name: printed\n${REGISTRIES}\npulls:\n  - { import: "app:1.0", namespace: p, from: "quay.io/org/app:nope" }\n`);
    const msg = 'dockerimage.image.openshift.io "quay.io/org/app:nope" not found';
    const lines = p!.import!.transcript.split('\n');
    expect(lines[0]).toBe(`error: tag 1.0 failed: ${msg}`);
    expect(lines[1]).toBe('imagestream.image.openshift.io/app imported with errors');
    expect(lines).toContain(`  ! error: Import failed (NotFound): ${msg}`);
    expect(lines.at(-2)).toBe('error: imported completed with errors');
    expect(p!.import!.oc.stderr).toBe(`error: tag 1.0 failed: ${msg}\nerror: imported completed with errors\n`);
  });
});
