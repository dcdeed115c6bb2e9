/**
 * The pulls bench's scenario for the containerd family (runtime containerd, and vsphere-pod, which
 * resolves with containerd's resolver): the same registries and, where containerd has them, the
 * same kinds of pulls as the containers/image scenario (pulls-bench.ts), configured the way such a
 * node is. containerd reads /etc/containerd/config.toml and certs.d/HOST/hosts.toml, never
 * registries.conf or policy.json, so: mirrors, plain-HTTP registries and private CAs are per
 * registry host in hosts.toml; there is no HTTPS→HTTP fallback; credentials are the kubelet's
 * (its node keyring here), sent to every host of the pull. Signature kinds are left out:
 * containerd has no signature policy (no policy.json, no lookaside, no sigstore attachments).
 * A vSphere Pod's image fetcher has no hosts.toml either: it asks the registry itself over https,
 * trusts the kube-system ConfigMap image-fetcher-ca-bundle and sends the pod's pull secret.
 * Expectations follow what containerd 1.6.20 (the default, and the recorded corpus's release)
 * does: test/conformance-containerd/, ../shared/reference/containerd.md.
 */
import { stringify } from 'yaml';
import type { Expectation } from '../src/scenario/types.js';
import { ALICE, CA, sharedRegistries } from './pulls-registries.js';

export type ContainerdFamily = 'containerd' | 'vsphere-pod';

interface ContainerdKind {
  kind: string;
  image: (i: number) => string;
  /**
   * Per runtime, for the pull of `ref`; `again` when an earlier pull of the scenario asked for the
   * same reference. Where the runtimes differ, a comment says why.
   */
  expect: (ref: string, again: boolean) => Record<ContainerdFamily, Expectation>;
}

/** containerd's CRI wrapping of a resolve failure (the kubelet keeps `rpc error: code = NotFound` for "not found"). */
const resolveFailed = (ref: string, cause: string): string => `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${cause}`;
/** The vSphere image fetcher's Failed event frame around the resolver's error. */
const fetcherFailed = (cause: string): string => `Reason: Http request failed. Code 400: ErrorType(2) ${cause}`;

const app = (i: number) => `harbor.bench.test/lib/app${i % 10}`;

/** The mix, cycled: 7 of 12 kinds succeed on containerd, 7 on vsphere-pod. Registries as in pulls-bench.ts (127.0.9.0/24). */
export const CONTAINERD_KINDS: ContainerdKind[] = [
  {
    kind: 'https, private CA via hosts.toml ca',
    image: (i) => `${app(i)}:v1`,
    expect: () => ({ containerd: { result: 'pulled', from: 'harbor' }, 'vsphere-pod': { result: 'pulled', from: 'harbor' } }),
  },
  {
    kind: 'mirror (first down) via hosts.toml',
    image: () => 'hub.bench.test/mirrored/app:v1',
    expect: (ref, again) => ({
      // The down mirror's connection error is recorded and passed over; the second mirror serves.
      // Asked again, the kubelet finds the image on the node (IfNotPresent for a tag other than
      // latest) and asks nothing.
      containerd: { result: 'pulled', from: 'mirror1', attempts: again ? [] : [ref.replace('hub.bench.test', 'mirror3.bench.test:5000'), ref.replace('hub.bench.test', 'mirror1.bench.test:5000')] },
      // The image fetcher reads no hosts.toml: no mirrors, the registry itself serves, every time
      // (no kubelet, no image store in front of it).
      'vsphere-pod': { result: 'pulled', from: 'hub', attempts: [ref] },
    }),
  },
  {
    kind: 'HTTP registry declared in hosts.toml',
    image: () => 'plain.bench.test:5000/lib/tool:v1',
    expect: () => ({
      containerd: { result: 'pulled', from: 'plain' },
      // The fetcher has nowhere to declare it: it asks https://, as for an undeclared one.
      'vsphere-pod': { result: 'failed', error: fetcherFailed('failed to do request: Head https://plain.bench.test:5000/v2/lib/tool/manifests/v1: http: server gave HTTP response to HTTPS client') },
    }),
  },
  {
    kind: 'basic auth',
    image: () => 'private.bench.test:5443/team-a/app:v1',
    expect: () => ({ containerd: { result: 'pulled', from: 'private' }, 'vsphere-pod': { result: 'pulled', from: 'private' } }),
  },
  {
    kind: 'bearer auth',
    image: () => 'tokenreg.bench.test:5443/team-a/app:v1',
    expect: () => ({ containerd: { result: 'pulled', from: 'tokenreg' }, 'vsphere-pod': { result: 'pulled', from: 'tokenreg' } }),
  },
  {
    kind: 'bearer anonymous public',
    image: () => 'tokenreg.bench.test:5443/public/app:v1',
    expect: () => ({ containerd: { result: 'pulled', from: 'tokenreg' }, 'vsphere-pod': { result: 'pulled', from: 'tokenreg' } }),
  },
  {
    kind: 'CA not configured for the host',
    image: () => 'mirror1.bench.test:5000/mirrored/app:v1',
    expect: (ref) => ({
      // The CA is named only in hub.bench.test's hosts.toml; mirror1 has no folder of its own.
      containerd: { result: 'failed', error: resolveFailed(ref, 'failed to do request: Head "https://mirror1.bench.test:5000/v2/mirrored/app/manifests/v1": x509: certificate signed by unknown authority') },
      // The fetcher's trust is one bundle for every registry, and it holds the lab CA.
      'vsphere-pod': { result: 'pulled', from: 'mirror1' },
    }),
  },
  {
    kind: 'manifest unknown',
    image: (i) => `${app(i)}:nope`,
    expect: (ref) => ({
      // Every host (the [host] table, then the server line) answers 404: "not found", gRPC NotFound, which the kubelet keeps.
      containerd: { result: 'failed', error: `rpc error: code = NotFound desc = ${resolveFailed(ref, `${ref}: not found`)}` },
      'vsphere-pod': { result: 'failed', error: fetcherFailed(`${ref}: not found`) },
    }),
  },
  {
    kind: 'HTTP registry not declared',
    image: () => 'plain2.bench.test:5000/lib/tool:v1',
    expect: (ref) => ({
      containerd: { result: 'failed', error: resolveFailed(ref, 'failed to do request: Head "https://plain2.bench.test:5000/v2/lib/tool/manifests/v1": http: server gave HTTP response to HTTPS client') },
      'vsphere-pod': { result: 'failed', error: fetcherFailed('failed to do request: Head https://plain2.bench.test:5000/v2/lib/tool/manifests/v1: http: server gave HTTP response to HTTPS client') },
    }),
  },
  {
    kind: 'basic auth denied repo',
    image: () => 'private.bench.test:5443/team-b/app:v1',
    expect: (ref) => ({
      // The registry knows alice but refuses her team-b (403, as for the CRI-O runtimes); 1.6.20
      // words any refused status this way, with no "pull access denied" wrapper (that is Bearer's).
      containerd: { result: 'failed', error: resolveFailed(ref, 'pulling from host private.bench.test:5443 failed with status code [manifests v1]: 403 Forbidden') },
      'vsphere-pod': { result: 'failed', error: fetcherFailed('pulling from host private.bench.test:5443 failed with status code [manifests v1]: 403 Forbidden') },
    }),
  },
  {
    kind: 'bearer anonymous denied repo',
    image: () => 'tokenreg.bench.test:5443/team-b/app:v1',
    expect: (ref) => ({
      containerd: { result: 'failed', error: resolveFailed(ref, 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed') },
      'vsphere-pod': { result: 'failed', error: fetcherFailed('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed') },
    }),
  },
  {
    kind: 'host down',
    image: () => 'down.bench.test/lib/app:v1',
    expect: (ref) => ({
      containerd: { result: 'failed', error: resolveFailed(ref, 'failed to do request: Head "https://down.bench.test/v2/lib/app/manifests/v1": dial tcp 127.0.9.40:443: connect: connection refused') },
      'vsphere-pod': { result: 'failed', error: fetcherFailed('failed to do request: Head https://down.bench.test/v2/lib/app/manifests/v1: dial tcp 127.0.9.40:443: connect: connection refused') },
    }),
  },
];

/** Basic auth for the whole private registry; the bearer registry's credential only for team-a, so public/ and team-b/ go anonymous. */
const AUTHS = JSON.stringify({ auths: { 'private.bench.test:5443': { auth: ALICE }, 'tokenreg.bench.test:5443/team-a': { auth: ALICE } } });
const CERTS_D = '/etc/containerd/certs.d';

/** A host table with the lab CA from its folder's ca.crt. */
const hostTable = (url: string) => [`[host."${url}"]`, '  capabilities = ["pull", "resolve"]', '  ca = "ca.crt"'];

/**
 * hosts.toml for a TLS registry with the lab CA: 1.6 rejects a file without a [host] table, and
 * the server line (tried last, after the tables) gets the CA from the top-level `ca`; without
 * it, a tag every table answers 404 for would end in the server's x509 error, not "not found".
 */
function tlsHostsToml(host: string): string {
  return [`server = "https://${host}"`, 'ca = "ca.crt"', '', ...hostTable(`https://${host}`), ''].join('\n');
}

function containerdNodeFiles(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    '/etc/containerd/config.toml': ['version = 2', '[plugins."io.containerd.grpc.v1.cri".registry]', `  config_path = "${CERTS_D}"`, ''].join('\n'),
    [`${CERTS_D}/hub.bench.test/hosts.toml`]: ['server = "https://hub.bench.test"', 'ca = "ca.crt"', '', ...hostTable('https://mirror3.bench.test:5000'), '', ...hostTable('https://mirror1.bench.test:5000'), ''].join('\n'),
    [`${CERTS_D}/hub.bench.test/ca.crt`]: CA,
    [`${CERTS_D}/plain.bench.test:5000/hosts.toml`]: ['server = "http://plain.bench.test:5000"', '', '[host."http://plain.bench.test:5000"]', '  capabilities = ["pull", "resolve"]', ''].join('\n'),
    '/var/lib/kubelet/config.json': AUTHS,
  };
  for (const host of ['harbor.bench.test', 'private.bench.test:5443', 'tokenreg.bench.test:5443']) {
    files[`${CERTS_D}/${host}/hosts.toml`] = tlsHostsToml(host);
    files[`${CERTS_D}/${host}/ca.crt`] = CA;
  }
  return files;
}

/** The generated scenario: `n` pulls cycling through CONTAINERD_KINDS. */
export function containerdPullsScenarioText(n: number, runtime: ContainerdFamily): string {
  const libImages: Record<string, unknown> = {};
  for (let i = 0; i < 10; i++) libImages[`lib/app${i}:v1`] = { layers: 1 + (i % 3) };
  const vsphere = runtime === 'vsphere-pod';
  const asked = new Set<string>();
  const doc = {
    name: `pulls bench: ${n} mixed pulls (${runtime})`,
    runtime,
    cas: { lab: {} },
    images: { app: {}, tool: { layers: 2 } },
    hosts: { 'down.bench.test': '127.0.9.40' },
    registries: {
      harbor: { host: 'harbor.bench.test', ip: '127.0.9.12', tls: CA, images: libImages },
      hub: { host: 'hub.bench.test', ip: '127.0.9.11', tls: CA, images: { 'mirrored/app:v1': 'app' } },
      mirror1: { host: 'mirror1.bench.test:5000', ip: '127.0.9.21', tls: CA, images: { 'mirrored/app:v1': 'app' } },
      mirror3: { host: 'mirror3.bench.test:5000', ip: '127.0.9.23', tls: CA, images: { 'mirrored/app:v1': 'app' }, faults: { down: true } },
      ...sharedRegistries({ 'team-a/app:v1': 'app', 'team-b/app:v1': 'app', 'public/app:v1': 'app' }),
    },
    ...(vsphere
      ? {
          cluster: [
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'image-fetcher-ca-bundle', namespace: 'kube-system' }, data: { 'ca-bundle': CA } },
            { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench-pull', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': AUTHS } },
          ],
        }
      : { node: { files: containerdNodeFiles() } }),
    pulls: Array.from({ length: n }, (_, i) => {
      const k = CONTAINERD_KINDS[i % CONTAINERD_KINDS.length]!;
      const image = k.image(i);
      const again = asked.has(image);
      asked.add(image);
      return { image, ...(vsphere && { secrets: ['bench-pull'] }), expect: k.expect(image, again)[runtime] };
    }),
  };
  return stringify(doc, { lineWidth: 0 });
}
