/**
 * Every parser and loader of pullsim's inputs, one row each: its name, inputs shaped like its
 * format, and the call. The property suite (never-throws.test.ts) runs every row; a new format
 * (lab definitions, hosts.toml, compare inputs, …) is one more row here.
 */
import fc from 'fast-check';
import YAML from 'yaml';
import { parseAuthFileText } from '../../src/auth/auth-file.js';
import { Base64Error, goBase64Decode } from '../../src/auth/go-base64.js';
import { parseKeyringSource } from '../../src/auth/kubelet-keyring.js';
import { GoJsonSyntaxError, parseGoJson } from '../../src/config/go-json.js';
import { loadRegistriesConf } from '../../src/config/registries-conf.js';
import { parseRegistriesDFile } from '../../src/config/registries-d.js';
import { parseTomlDocument } from '../../src/config/toml.js';
import { AuthError, ImageRefError, PolicyError, RegistriesConfError, StackError } from '../../src/errors/index.js';
import { MemoryFS } from '../../src/node-fs.js';
import { renderCluster } from '../../src/openshift/render.js';
import { parsePolicyText } from '../../src/policy/policy-json.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { parseDuration } from '../../src/scenario/formats.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';
import { CONTAINERD_CONFIG, loadCriRegistryConfig } from '../../src/runtime/containerd/config-toml.js';
import { parseHostsToml } from '../../src/runtime/containerd/hosts-toml.js';
import { containerdProfile } from '../../src/runtime/containerd/profiles.js';
import { defaultSystemContext } from '../../src/system-context.js';
import { soup } from './harness.js';

export interface ParserRow {
  name: string;
  inputs: fc.Arbitrary<string>;
  parse: (input: string) => unknown;
  /** Which thrown values count as the typed input error (default: any StackError or InputError). */
  typed?: (e: unknown) => boolean;
}

const is = (family: abstract new (...a: never[]) => StackError) => (e: unknown) => e instanceof family;

const HOSTS = ['docker.io', 'quay.io', 'localhost', 'localhost:5000', '192.168.10.11:5001', '[::1]:5000', '*.example.com', 'a.b.c', 'reg.test/ns', 'reg.test/ns/app', 'Reg.Test', 'x..y'];
const quoted = HOSTS.map((h) => JSON.stringify(h));

const TOML = [
  '[[registry]]\n', '[[registry.mirror]]\n', '[registries.search]\n', '[registries.insecure]\n', '[registries.block]\n', '[aliases]\n',
  'location = ', 'prefix = ', 'insecure = ', 'blocked = ', 'mirror-by-digest-only = ', 'pull-from-mirror = ', 'registries = ',
  'unqualified-search-registries = ', 'short-name-mode = ', 'credential-helpers = ', '"enforcing"', '"digest-only"', '"all"',
  ...quoted, "'lit'", '"""ml"""', "'''raw'''", '"\\u00e9"', '"\\x"', 'true', 'false', '1', '-0', '0x1F', '1e3', 'inf', 'nan',
  '1979-05-27T07:32:00Z', '[', ']', '{', '}', ',', '=', '.', '"', '#c', '\n', ' ', 'a.b = 1\n', '[x.y]\n', '[[x]]\n',
];

const CONTAINERD_TOML = [
  ...TOML, 'server = ', '[host."https://mirror.test:5000"]\n', '[host."http://10.0.0.1:5001/v2"]\n', 'capabilities = ', '["pull", "resolve"]', '["push"]',
  'ca = ', 'skip_verify = ', 'client = ', '[["/c.crt", "/c.key"]]', 'override_path = ', '[header]\n', 'x-y = ', 'version = 2\n',
  '[plugins."io.containerd.grpc.v1.cri".registry]\n', 'config_path = ', '"/etc/containerd/certs.d"', '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n',
  'endpoint = ', '[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test".auth]\n', 'username = ', 'password = ', 'auth = ', '[plugins.cri.registry]\n',
];

const JSON_TOKENS = ['{', '}', '[', ']', ':', ',', 'null', 'true', 'false', '0', '-1', '1e309', '1.5', '"\\ud800"', '"\\u0000"', '"\\/"', '"', ' '];

const POLICY = [
  ...JSON_TOKENS, '"default"', '"transports"', '"docker"', '"atomic"', '"docker-daemon"', '"type"', '"insecureAcceptAnything"', '"reject"',
  '"signedBy"', '"sigstoreSigned"', '"keyType"', '"GPGKeys"', '"keyPath"', '"keyPaths"', '"keyData"', '"signedIdentity"', '"matchRepository"',
  '"matchExact"', '"matchRepoDigestOrExact"', '"exactReference"', '"dockerReference"', '"exactRepository"', '"remapIdentity"', '"prefix"',
  '"signedPrefix"', '"/etc/pki/key.gpg"', ...quoted, '{"default":[{"type":"insecureAcceptAnything"}]}',
];

const AUTH = [
  ...JSON_TOKENS, '"auths"', '"auth"', '"username"', '"password"', '"identitytoken"', '"credHelpers"', '"email"', ...quoted,
  '"https://index.docker.io/v1/"', '"http://reg.test/v2/"', '"dXNlcjpwYXNz"', '"dXNlcg=="', '"Zm9v"', '"!!"', '"dXNlcjpwYXNz\\n"', '""',
];

const REGISTRIES_D = [
  'default-docker:\n', 'docker:\n', '  ', '    ', 'lookaside: ', 'lookaside-staging: ', 'sigstore: ', 'sigstore-staging: ',
  'use-sigstore-attachments: ', 'file:///var/lib/sigs', 'https://sigs.example.com/a', ...HOSTS.map((h) => `${h}:\n`), ':', '- ', '&a ', '*a',
  '!!binary ', '!!str ', '<<: ', '{', '}', '[', ']', '"', "'", 'true', '~', '\n', '%YAML 1.1\n', '---\n',
];

const SCENARIO = [
  'name: t\n', 'description: d\n', 'runtime: ', 'crio\n', 'skopeo\n', 'podman\n', 'versions:\n', '  crio: "1.28"\n', 'registries:\n',
  '  r:\n', '    host: ', 'reg.test:5000\n', '    tls: false\n', '    ip: 10.0.0.1\n', '    images:\n', '      a/b:1: {}\n',
  '    auth: { user: u, password: p }\n', 'node:\n', '  files:\n', '    /etc/containers/registries.conf: |\n      [[registry]]\n      location = "x"\n',
  'cluster:\n', '  - apiVersion: v1\n    kind: Secret\n    metadata: { name: s }\n', 'pulls:\n', '  - image: ', 'reg.test:5000/a/b:1\n',
  '    retryFor: ', '10m\n', '    retrySeed: 3\n', '    expect:\n', '      result: failed\n', '    secrets: [s]\n', '    options: { tlsVerify: false }\n',
  '  - import: ', 'is:tag\n', '    from: ', '    insecure: true\n', '    importMode: ', 'PreserveOriginal\n', '    referencePolicy: ', 'Local\n',
  '    scheduled: true\n', '    confirm: true\n', '    as: ', '      reason: ', '    saProvisioned: false\n', '    openshift: true\n',
  '&x ', '*x', '- ', '{', '}', '[', ']', '!!str ', '!!int ', '|', '>', '"', "'", '#', ': ', '\t', '\n', '  ', '${digest:a}', '${host:r}',
];

const REFERENCE = [
  'docker.io', 'index.docker.io', 'localhost', 'quay.io', 'reg.test', ':5000', ':0', ':99999', '[::1]', '/', 'library', 'ns', 'App', 'app',
  ':latest', ':v1.0', ':', '@', '@sha256:' + 'a'.repeat(64), '@sha256:abc', '@sha512:' + 'b'.repeat(128), 'sha256:', '.', '-', '_', '__',
  '--', 'a'.repeat(256), 'docker://', 'https://',
];

const DURATIONS = ['1', '10', '0.5', '.', 'h', 'm', 's', 'ms', 'us', 'µs', 'ns', '-', '+', '9223372036854775807', 'e', ' '];

const BASE64 = ['A', 'Z', 'a', 'z', '0', '9', '+', '/', '=', '==', '\n', '\r', '-', '_', ' ', 'dXNlcjpwYXNz'];

const API = ['v1', 'apps/v1', 'config.openshift.io/v1', 'operator.openshift.io/v1alpha1', 'machineconfiguration.openshift.io/v1', 'x/v9'];
const KINDS = ['Image', 'ClusterVersion', 'ImageContentSourcePolicy', 'ImageDigestMirrorSet', 'ImageTagMirrorSet', 'MachineConfig', 'ConfigMap', 'Secret', 'ServiceAccount', 'Pod', 'Deployment', 'Other'];

/** Values shaped like the fields these objects carry, mixed with anything at all. */
const fieldValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...HOSTS, 'AllowContactingSource', 'NeverContactSource', 'kubernetes.io/dockerconfigjson', '.dockerconfigjson', 'eyJhdXRocyI6e319', '{"auths":{}}'),
    fc.jsonValue({ maxDepth: 1 }),
    fc.dictionary(fc.constantFrom('registrySources', 'allowedRegistries', 'blockedRegistries', 'insecureRegistries', 'repositoryDigestMirrors', 'imageDigestMirrors', 'imageTagMirrors', 'source', 'mirrors', 'mirrorSourcePolicy', 'data', 'type', 'config', 'storage', 'files', 'path', 'contents', 'imagePullSecrets', 'containers', 'image', 'name', 'template', 'spec', 'desiredUpdate'), tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

const clusterObjects: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      apiVersion: fc.constantFrom(...API),
      kind: fc.constantFrom(...KINDS),
      metadata: fc.record({ name: fc.constantFrom('cluster', 'a', 'pull-secret', ''), namespace: fc.option(fc.constantFrom('default', 'openshift-config'), { nil: undefined }) }, { requiredKeys: ['name'] }),
      spec: fieldValue,
      data: fieldValue,
      type: fc.constantFrom('kubernetes.io/dockerconfigjson', 'Opaque'),
    }, { requiredKeys: ['apiVersion', 'kind', 'metadata'] }),
    { maxLength: 4 },
  )
  .map((objects) => JSON.stringify(objects));

const sys = defaultSystemContext();
const containerd = containerdProfile(undefined);

export const PARSERS: ParserRow[] = [
  { name: 'scenario YAML', inputs: fc.oneof(soup(SCENARIO), fc.jsonValue({ maxDepth: 3 }).map((v) => YAML.stringify(v))), parse: (s) => loadScenarioText(s, 'fuzz.yaml') },
  { name: 'TOML', inputs: soup(TOML), parse: (s) => parseTomlDocument(s), typed: is(RegistriesConfError) },
  { name: 'registries.conf', inputs: soup(TOML), parse: (s) => loadRegistriesConf(new MemoryFS({ '/etc/containers/registries.conf': s }), sys), typed: is(RegistriesConfError) },
  { name: 'registries.conf drop-in', inputs: soup(TOML), parse: (s) => loadRegistriesConf(new MemoryFS({ '/etc/containers/registries.conf': '', '/etc/containers/registries.conf.d/50-fuzz.conf': s }), sys), typed: is(RegistriesConfError) },
  { name: 'policy.json', inputs: fc.oneof(soup(POLICY), fc.json()), parse: (s) => parsePolicyText(s), typed: is(PolicyError) },
  { name: 'Go encoding/json', inputs: fc.oneof(soup(JSON_TOKENS), fc.json()), parse: (s) => parseGoJson(s), typed: (e) => e instanceof GoJsonSyntaxError },
  { name: 'registries.d', inputs: soup(REGISTRIES_D), parse: (s) => parseRegistriesDFile('/etc/containers/registries.d/fuzz.yaml', s) },
  { name: 'auth.json', inputs: fc.oneof(soup(AUTH), fc.json()), parse: (s) => parseAuthFileText(s, false), typed: is(AuthError) },
  { name: 'legacy .dockercfg', inputs: fc.oneof(soup(AUTH), fc.json()), parse: (s) => parseAuthFileText(s, true), typed: is(AuthError) },
  { name: 'pull secret (dockerconfigjson)', inputs: soup(AUTH), parse: (s) => parseKeyringSource({ description: 'secret default/s', kind: 'dockerconfigjson', text: s }), typed: is(AuthError) },
  { name: 'pull secret (dockercfg)', inputs: soup(AUTH), parse: (s) => parseKeyringSource({ description: 'secret default/s', kind: 'dockercfg', text: s }), typed: is(AuthError) },
  { name: 'Go base64', inputs: soup(BASE64), parse: (s) => goBase64Decode(s), typed: (e) => e instanceof Base64Error },
  { name: 'image reference', inputs: soup(REFERENCE, 12), parse: (s) => parseNormalizedNamed(s), typed: is(ImageRefError) },
  { name: 'duration', inputs: soup(DURATIONS, 8), parse: (s) => parseDuration(s) },
  { name: 'containerd hosts.toml', inputs: soup(CONTAINERD_TOML), parse: (s) => parseHostsToml(s, '/etc/containerd/certs.d/reg.test', containerd) },
  { name: 'containerd config.toml', inputs: soup(CONTAINERD_TOML), parse: (s) => loadCriRegistryConfig(new MemoryFS({ [CONTAINERD_CONFIG]: s }), containerd) },
  { name: 'cluster objects', inputs: clusterObjects, parse: (s) => renderCluster(JSON.parse(s) as ClusterObject[], {}) },
];

