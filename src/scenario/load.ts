/**
 * Reads a scenario file into a typed Scenario, strictly: test suites outside this repository
 * write these files, so a typo, a wrong type or a dangling name must stop the run with one line
 * naming the file, the line and the key, never pass silently (../../shared/scenario-format.md).
 */
import { parseLab } from '../lab/definition.js';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeGitSpec, gitFiles, isGitSpec, resolveTreeSpec } from '../compare/git-tree.js';
import { InputError, text } from '../errors/index.js';
import { CONTAINERD_VERSIONS, isContainerdVersion } from '../runtime/containerd/profiles.js';
import type { RuntimeName } from '../system-context.js';
import {
  isDigest,
  isDnsName,
  isHost,
  isIpAddress,
  isLookaside,
  isName,
  isPlatform,
  isRealm,
  isRepoTag,
  parseDuration,
} from './formats.js';
import { hasImportKey, readImportPull } from './import-pull.js';
import { withManifests } from './manifests.js';
import { scanPlaceholders } from './placeholders.js';
import { SCENARIO_LIMITS } from './limits.js';
import { DiskFS } from '../node-fs.js';
import type {
  AuthSpec,
  CaSpec,
  ClusterObject,
  Expectation,
  FaultSpec,
  ImageOptions,
  KeySpec,
  NodeFileSpec,
  NodeSpec,
  PullOptions,
  PullSpec,
  RegistrySpec,
  Scenario,
  ServedImage,
  SignSpec,
  TlsSpec,
  VsphereSpec,
} from './types.js';
import { describeKind, YamlReader, type Site } from './yaml-reader.js';

const DEFAULT_PLATFORM = 'linux/amd64';
const RUNTIMES: readonly RuntimeName[] = ['crio', 'podman', 'skopeo', 'containerd', 'vsphere-pod'];

/** Reads and loads one scenario file; `node.root` must then exist. */
export function loadScenarioFile(path: string): Scenario {
  let source: string;
  try {
    // Checked before reading: a huge file is refused without holding it in memory.
    const size = statSync(path).size;
    if (size > SCENARIO_LIMITS.fileBytes) throw new InputError(text('scenario.too-large', size, SCENARIO_LIMITS.fileBytes), path);
    source = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(text('scenario.read', (e as NodeJS.ErrnoException).code ?? 'unreadable'), path);
  }
  const { scenario, rootLine, manifestsLine } = parse(source, path);
  const root = scenario.node.root;
  if (root !== undefined && !isTree(root)) {
    throw new InputError(text('scenario.root-missing', isGitSpec(root) ? describeGitSpec(root) : root), path, rootLine, 'node.root');
  }
  if (scenario.manifests) {
    try {
      withManifests(scenario, scenario.manifests);
    } catch (e) {
      if (e instanceof InputError && e.file === undefined) throw new InputError(e.message, path, manifestsLine, 'cluster.manifests');
      throw e;
    }
  }
  if (root !== undefined && !isGitSpec(root)) {
    try {
      new DiskFS(root).check();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(`${root}: ${e.message}`, path, rootLine, 'node.root');
    }
  }
  return scenario;
}

function isTree(root: string): boolean {
  if (!isGitSpec(root)) return isDirectory(root);
  return gitFiles(root)?.kind === 'tree';
}

/** Loads scenario text as if read from `file` (named in errors; `node.root` is resolved against its folder). */
export function loadScenarioText(source: string, file: string): Scenario {
  return parse(source, file).scenario;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function parse(source: string, file: string): { scenario: Scenario; rootLine?: number; manifestsLine?: number } {
  const { reader, root } = YamlReader.parse(source, file);
  if (reader.kind(root) === 'null') reader.fail(root, 'scenario.empty');
  const loader = new Loader(reader, file);
  return { scenario: loader.scenario(root), rootLine: loader.rootLine, manifestsLine: loader.manifestsLine };
}

class Loader {
  rootLine?: number;
  manifestsLine?: number;
  private runtime: RuntimeName = 'crio';
  private cas: Record<string, CaSpec> = {};
  private keys: Record<string, KeySpec> = {};
  private images: Record<string, ImageOptions> = {};
  private registries: Record<string, RegistrySpec> = {};
  private cluster: ClusterObject[] = [];

  constructor(
    private readonly r: YamlReader,
    private readonly file: string,
  ) {}

  scenario(at: Site): Scenario {
    const f = this.r.fields(
      at,
      ['name', 'description', 'runtime', 'versions', 'cas', 'keys', 'images', 'hosts', 'registries', 'node', 'cluster', 'pulls', 'vsphere', 'lab'],
      ['name'],
    );
    const name = this.r.string(f.name!);
    const description = f.description && this.r.string(f.description, { allowEmpty: true, long: true });
    if (f.runtime) this.runtime = this.oneOf(f.runtime, RUNTIMES);
    if (f.vsphere && this.runtime !== 'vsphere-pod') this.r.fail(f.vsphere, 'scenario.vsphere-runtime', this.runtime);
    const vsphere = this.runtime === 'vsphere-pod' ? this.vsphere(f.vsphere) : undefined;
    const versions = f.versions ? this.versions(f.versions) : {};
    if (f.cas) this.cas = this.named(f.cas, (s) => this.caSpec(s));
    if (f.keys) this.keys = this.named(f.keys, (s) => this.key(s));
    if (f.images) this.images = this.named(f.images, (s) => this.imageOptions(s, this.r.fields(s, ['layers', 'platforms'])));
    const hosts = f.hosts ? this.hosts(f.hosts) : {};
    if (f.registries) this.registries = this.named(f.registries, (s, handle) => this.registry(s, handle));
    const node = f.node ? this.node(f.node) : { files: {} };
    const manifests = f.cluster ? this.clusterSection(f.cluster) : undefined;
    // No pulls is a config-only scenario (render, serve, explain, compare --images).
    const pulls = f.pulls ? this.r.items(f.pulls).map((s) => this.pull(s)) : [];
    const lab = f.lab && parseLab(this.r, f.lab, {
      runtime: this.runtime,
      pulls: pulls.length,
      registries: Object.keys(this.registries),
      cas: Object.keys(this.cas),
      keys: Object.keys(this.keys),
      expectation: (s, i) => this.expectation(s, pulls[i]?.import !== undefined),
    });
    return {
      file: this.file,
      name,
      ...(description !== undefined && { description }),
      runtime: this.runtime,
      versions,
      cas: this.cas,
      keys: this.keys,
      images: this.images,
      hosts,
      registries: this.registries,
      node,
      cluster: this.cluster,
      ...(manifests && { manifests }),
      pulls,
      ...(vsphere && { vsphere }),
      ...(lab && { lab }),
    };
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────

  private oneOf<T extends string>(at: Site, allowed: readonly T[]): T {
    if (this.r.kind(at) !== 'string') this.r.wrongType(at, `one of: ${allowed.join(', ')}`);
    const v = this.r.string(at, { allowEmpty: true });
    if (!(allowed as readonly string[]).includes(v)) this.r.fail(at, 'scenario.enum', v, allowed.join(', '));
    return v as T;
  }

  /** A map of name → spec where the names are referenced elsewhere (so they must be plain names). */
  private named<T>(at: Site, read: (s: Site, name: string) => T): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [name, s] of this.r.entries(at)) {
      if (!isName(name)) this.r.fail(this.r.keyOf(s), 'scenario.name', name);
      out[name] = read(s, name);
    }
    return out;
  }

  private ref(at: Site, what: string, name: string, defined: Record<string, unknown>, under: string): void {
    if (Object.hasOwn(defined, name)) return;
    const names = Object.keys(defined);
    if (names.length === 0) this.r.fail(at, 'scenario.unknown-ref-none', what, name, under);
    this.r.fail(at, 'scenario.unknown-ref', what, name, under, names.join(', '));
  }

  private formatted(at: Site, ok: (s: string) => boolean, code: Parameters<YamlReader['fail']>[1]): string {
    const v = this.r.string(at);
    if (!ok(v)) this.r.fail(at, code, v);
    return v;
  }

  /** `${digest:…}` must name a catalog image (and a platform it has); `${keyData:…}` a gpg key, in node files only. */
  private placeholders(at: Site, s: string, keyDataAllowed: boolean): void {
    for (const p of scanPlaceholders(s)) {
      if (p.malformed) this.r.fail(at, 'scenario.placeholder-malformed', p.text);
      if (p.kind === 'digest') {
        const [name, ...rest] = p.arg.split('/');
        this.placeholderRef(at, p.text, 'image', name, this.images, 'images');
        if (rest.length === 0) continue;
        const platform = rest.join('/');
        const has = this.images[name].platforms ?? [DEFAULT_PLATFORM];
        if (!isPlatform(platform) || !has.includes(platform)) this.r.fail(at, 'scenario.placeholder-platform', p.text, name, platform, has.join(', '));
      } else {
        if (!keyDataAllowed) this.r.fail(at, 'scenario.placeholder-keydata-where', p.text);
        this.placeholderRef(at, p.text, 'key', p.arg, this.keys, 'keys');
        const type = this.keys[p.arg].type;
        if (type !== 'gpg') this.r.fail(at, 'scenario.placeholder-keydata-type', p.text, type, p.arg);
      }
    }
  }

  private placeholderRef(at: Site, placeholder: string, what: string, name: string, defined: Record<string, unknown>, under: string): void {
    if (Object.hasOwn(defined, name)) return;
    const names = Object.keys(defined);
    if (names.length === 0) this.r.fail(at, 'scenario.placeholder-ref-none', placeholder, what, name, under);
    this.r.fail(at, 'scenario.placeholder-ref', placeholder, what, name, under, names.join(', '));
  }

  // ── sections ───────────────────────────────────────────────────────────────────────

  private versions(at: Site): Scenario['versions'] {
    const f = this.r.fields(at, ['crio', 'openshift', 'containerd']);
    const containerd = f.containerd && this.r.string(f.containerd);
    if (containerd && !isContainerdVersion(containerd)) this.r.fail(f.containerd!, 'scenario.enum', containerd, CONTAINERD_VERSIONS);
    return {
      ...(f.crio && { crio: this.r.string(f.crio) }),
      ...(f.openshift && { openshift: this.r.string(f.openshift) }),
      ...(containerd && { containerd }),
    };
  }

  /** Defaults when left out: one node that also resolves, image version 1 (docs/vsphere-pod.md). */
  private vsphere(at: Site | undefined): VsphereSpec {
    const f = at ? this.r.fields(at, ['node', 'resolvingHost', 'imageVersion']) : {};
    const host = (s: Site) => this.formatted(s, (n) => isDnsName(n) || isIpAddress(n), 'scenario.vsphere-host');
    const node = f.node ? host(f.node) : 'esxi-1';
    return { node, resolvingHost: f.resolvingHost ? host(f.resolvingHost) : node, imageVersion: f.imageVersion ? this.r.integer(f.imageVersion, 1) : 1 };
  }

  private caSpec(at: Site): CaSpec {
    const f = this.r.fields(at, ['trusted']);
    return f.trusted && this.r.bool(f.trusted) ? { trusted: true } : {};
  }

  private key(at: Site): KeySpec {
    const f = this.r.fields(at, ['type', 'email'], ['type']);
    const type = this.oneOf(f.type!, ['sigstore', 'gpg'] as const);
    if (type === 'sigstore') {
      if (f.email) this.r.fail(f.email, 'scenario.email-sigstore');
      return { type };
    }
    return f.email ? { type, email: this.r.string(f.email) } : { type };
  }

  private imageOptions(at: Site, f: { layers?: Site; platforms?: Site }): ImageOptions {
    const out: ImageOptions = {};
    if (f.layers) out.layers = this.r.integer(f.layers, 1);
    if (f.platforms) {
      const items = this.r.items(f.platforms);
      if (items.length === 0) this.r.fail(f.platforms, 'scenario.empty-list');
      const seen = new Set<string>();
      out.platforms = items.map((s) => {
        const p = this.formatted(s, isPlatform, 'scenario.platform');
        if (seen.has(p)) this.r.fail(s, 'scenario.duplicate', p);
        seen.add(p);
        return p;
      });
    }
    return out;
  }

  private hosts(at: Site): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, s] of this.r.entries(at)) {
      if (!isDnsName(name)) this.r.fail(this.r.keyOf(s), 'scenario.hostname', name);
      out[name] = this.formatted(s, isIpAddress, 'scenario.ip');
    }
    return out;
  }

  private registry(at: Site, handle: string): RegistrySpec {
    const f = this.r.fields(at, ['host', 'ip', 'tls', 'auth', 'lookaside', 'images', 'faults', 'openshift'], ['host']);
    const openshift = f.openshift ? this.r.bool(f.openshift) : false;
    if (openshift && f.auth) this.r.fail(f.auth, 'scenario.openshift-auth');
    const host = this.formatted(f.host!, isHost, 'scenario.host');
    const lookaside = f.lookaside && this.formatted(f.lookaside, isLookaside, 'scenario.lookaside');
    const auth = f.auth && this.auth(f.auth);
    const faults = f.faults ? this.faults(f.faults) : {};
    if (faults.tokenDown && !auth?.realm) this.r.fail(f.faults!, 'scenario.token-down-realm');
    return {
      handle,
      host,
      ...(f.ip && { ip: this.formatted(f.ip, isIpAddress, 'scenario.ip') }),
      tls: this.tls(f.tls, at),
      ...(auth && { auth }),
      ...(lookaside !== undefined && { lookaside }),
      images: f.images ? this.servedImages(f.images, lookaside) : {},
      faults,
      ...(openshift && { openshift }),
    };
  }

  /** `tls` left out means HTTPS, as `true` does: a registry speaks plain HTTP only when told. */
  private tls(at: Site | undefined, registry: Site): TlsSpec {
    const spec: Exclude<TlsSpec, false> = {};
    if (at && this.r.kind(at) === 'bool') {
      if (!this.r.bool(at)) return false;
    } else if (at && this.r.kind(at) === 'map') {
      const f = this.r.fields(at, ['ca', 'names', 'ips', 'expired', 'selfSigned']);
      if (f.ca) {
        spec.ca = this.r.string(f.ca);
        this.ref(f.ca, 'CA', spec.ca, this.cas, 'cas');
      }
      if (f.names) spec.names = this.r.items(f.names).map((s) => this.formatted(s, (n) => isDnsName(n.replace(/^\*\./, '')), 'scenario.hostname'));
      if (f.ips) spec.ips = this.r.items(f.ips).map((s) => this.formatted(s, isIpAddress, 'scenario.ip'));
      if (f.expired) spec.expired = this.r.bool(f.expired);
      if (f.selfSigned) spec.selfSigned = this.r.bool(f.selfSigned);
      if (spec.ca !== undefined && spec.selfSigned) this.r.fail(f.selfSigned!, 'scenario.tls-ca-self-signed');
    } else if (at) {
      this.r.wrongType(at, 'false, true or a map (key: value)');
    }
    if (spec.ca === undefined && !spec.selfSigned && Object.keys(this.cas).length === 0) {
      this.r.fail(at ?? { path: `${registry.path}.tls`, pos: registry.pos }, 'scenario.tls-no-ca');
    }
    return spec;
  }

  private auth(at: Site): AuthSpec {
    const f = this.r.fields(at, ['type', 'realm', 'users', 'access', 'anonymous'], ['type']);
    const type = this.oneOf(f.type!, ['basic', 'bearer'] as const);
    const users: Record<string, string> = {};
    for (const [user, s] of f.users ? this.r.entries(f.users) : []) users[user] = this.r.string(s);
    const spec: AuthSpec = { type, users };
    if (f.realm) {
      if (type === 'basic') this.r.fail(f.realm, 'scenario.realm-basic');
      spec.realm = this.formatted(f.realm, isRealm, 'scenario.realm');
    }
    if (f.access) {
      spec.access = {};
      for (const [pattern, s] of this.r.entries(f.access)) {
        spec.access[pattern] = this.r.items(s).map((u) => {
          const user = this.r.string(u);
          this.ref(u, 'user', user, users, `${at.path}.users`);
          return user;
        });
      }
    }
    if (f.anonymous) spec.anonymous = this.r.strings(f.anonymous);
    return spec;
  }

  private servedImages(at: Site, lookaside: string | undefined): Record<string, ServedImage> {
    const out: Record<string, ServedImage> = {};
    for (const [repoTag, s] of this.r.entries(at)) {
      if (!isRepoTag(repoTag)) this.r.fail(this.r.keyOf(s), 'scenario.repo-tag', repoTag);
      out[repoTag] = this.servedImage(s, lookaside);
    }
    return out;
  }

  private servedImage(at: Site, lookaside: string | undefined): ServedImage {
    const kind = this.r.kind(at);
    if (kind === 'string') return { image: this.catalogRef(at), options: this.images[this.r.string(at)], sign: [] };
    if (kind !== 'map' && kind !== 'null') this.r.wrongType(at, 'a catalog image name (from images) or a map (key: value)');
    const f = this.r.fields(at, ['image', 'sign', 'layers', 'platforms']);
    const sign = f.sign ? this.r.items(f.sign).map((s) => this.signSpec(s, lookaside)) : [];
    if (f.image) {
      const image = this.catalogRef(f.image);
      for (const inline of ['layers', 'platforms'] as const) {
        if (f[inline]) this.r.fail(this.r.keyOf(f[inline]), 'scenario.catalog-with-options', inline, image);
      }
      return { image, options: this.images[image], sign };
    }
    return { options: this.imageOptions(at, f), sign };
  }

  private catalogRef(at: Site): string {
    const name = this.r.string(at);
    this.ref(at, 'image', name, this.images, 'images');
    return name;
  }

  private signSpec(at: Site, lookaside: string | undefined): SignSpec {
    let spec: SignSpec;
    let keyAt = at;
    if (this.r.kind(at) === 'string') spec = { key: this.r.string(at) };
    else if (this.r.kind(at) === 'map') {
      const f = this.r.fields(at, ['key', 'identity'], ['key']);
      keyAt = f.key!;
      spec = { key: this.r.string(f.key!), ...(f.identity && { identity: this.r.string(f.identity) }) };
    } else {
      this.r.wrongType(at, 'a key name (from keys) or a map { key, identity }');
    }
    this.ref(keyAt, 'key', spec.key, this.keys, 'keys');
    if (this.keys[spec.key].type === 'gpg' && lookaside === undefined) this.r.fail(keyAt, 'scenario.gpg-lookaside', spec.key);
    return spec;
  }

  private faults(at: Site): FaultSpec {
    const f = this.r.fields(at, ['down', 'status', 'delayMs', 'reset', 'truncate', 'corruptBlob', 'tokenDown']);
    return {
      ...(f.down && { down: this.r.bool(f.down) }),
      ...(f.status && { status: this.r.integer(f.status, 100, 599) }),
      ...(f.delayMs && { delayMs: this.r.integer(f.delayMs, 0) }),
      ...(f.reset && { reset: this.r.bool(f.reset) }),
      ...(f.truncate && { truncate: this.r.bool(f.truncate) }),
      ...(f.corruptBlob && { corruptBlob: this.r.bool(f.corruptBlob) }),
      ...(f.tokenDown && { tokenDown: this.r.bool(f.tokenDown) }),
    };
  }

  private node(at: Site): NodeSpec {
    const f = this.r.fields(at, ['files', 'root']);
    const files: Record<string, NodeFileSpec> = {};
    for (const [path, s] of f.files ? this.r.entries(f.files) : []) {
      if (!path.startsWith('/')) this.r.fail(this.r.keyOf(s), 'scenario.node-path', path);
      files[path] = this.nodeFile(s);
    }
    if (!f.root) return { files };
    this.rootLine = this.r.line(f.root);
    return { files, root: resolveTreeSpec(this.r.string(f.root), dirname(this.file)) };
  }

  private nodeFile(at: Site): NodeFileSpec {
    const kind = this.r.kind(at);
    if (kind === 'string') {
      const contents = this.r.string(at, { allowEmpty: true, long: true });
      this.placeholders(at, contents, true);
      return contents;
    }
    if (kind !== 'map') this.r.fail(at, 'scenario.node-file', describeKind(kind));
    const f = this.r.fields(at, ['ca', 'publicKey']);
    if (f.ca && !f.publicKey) {
      const ca = this.r.string(f.ca);
      this.ref(f.ca, 'CA', ca, this.cas, 'cas');
      return { ca };
    }
    if (f.publicKey && !f.ca) {
      const publicKey = this.r.string(f.publicKey);
      this.ref(f.publicKey, 'key', publicKey, this.keys, 'keys');
      return { publicKey };
    }
    return this.r.fail(at, 'scenario.node-file', f.ca ? 'both ca and publicKey' : 'an empty map');
  }

  /** `cluster:` is a list of objects, or `{ manifests: [PATH...] }` naming YAML files/folders (or git: specs) read at load. */
  private clusterSection(at: Site): string[] | undefined {
    if (this.r.kind(at) !== 'map') {
      this.cluster = this.r.items(at).map((s) => this.clusterObject(s));
      return undefined;
    }
    const f = this.r.fields(at, ['manifests', 'objects'], ['manifests']);
    if (f.objects) this.cluster = this.r.items(f.objects).map((s) => this.clusterObject(s));
    this.manifestsLine = this.r.line(f.manifests!);
    return this.r.strings(f.manifests!).map((p) => resolveTreeSpec(p, dirname(this.file)));
  }

  /** Only the identity of an object is checked here; the renderer validates the rest as the cluster would. */
  private clusterObject(at: Site): ClusterObject {
    const fields = new Map(this.r.entries(at));
    for (const k of ['apiVersion', 'kind', 'metadata']) if (!fields.has(k)) this.r.fail(at, 'scenario.missing', k);
    this.r.string(fields.get('apiVersion')!);
    this.r.string(fields.get('kind')!);
    const metadata = new Map(this.r.entries(fields.get('metadata')!));
    if (!metadata.has('name')) this.r.fail(fields.get('metadata')!, 'scenario.missing', 'name');
    this.r.string(metadata.get('name')!);
    if (metadata.has('namespace')) this.r.string(metadata.get('namespace')!);
    return this.r.toJS(at) as ClusterObject;
  }

  private pull(at: Site): PullSpec {
    if (hasImportKey(this.r, at)) return readImportPull(this.r, at, (s) => this.expectation(s, true), (s, v) => this.placeholders(s, v, false));
    const f = this.r.fields(at, ['image', 'pod', 'namespace', 'serviceAccount', 'secrets', 'platform', 'retryFor', 'retrySeed', 'options', 'expect', 'saProvisioned']);
    if (f.image && f.pod) this.r.fail(at, 'scenario.image-and-pod');
    if (!f.image && !f.pod) this.r.fail(at, 'scenario.image-or-pod');
    const namespace = f.namespace ? this.r.string(f.namespace) : 'default';
    const target: Pick<PullSpec, 'image' | 'pod'> = {};
    if (f.image) {
      target.image = this.r.string(f.image);
      this.placeholders(f.image, target.image, false);
    } else {
      target.pod = this.r.string(f.pod!);
      this.podRef(f.pod!, target.pod, namespace);
    }
    const spec: PullSpec = {
      ...target,
      namespace,
      serviceAccount: f.serviceAccount ? this.r.string(f.serviceAccount) : 'default',
      platform: f.platform ? this.formatted(f.platform, isPlatform, 'scenario.platform') : DEFAULT_PLATFORM,
      options: {},
      line: this.r.line(at),
    };
    if (f.secrets) spec.secrets = this.r.strings(f.secrets);
    if (f.saProvisioned) spec.saProvisioned = this.r.bool(f.saProvisioned);
    if (f.retryFor) {
      if (this.runtime !== 'crio' && this.runtime !== 'containerd') this.r.fail(f.retryFor, 'scenario.retry-crio-only', this.runtime);
      const d = parseDuration(this.r.string(f.retryFor));
      if (d === undefined) this.r.fail(f.retryFor, 'scenario.duration', this.r.string(f.retryFor));
      spec.retryForSeconds = d;
    }
    if (f.retrySeed) {
      if (!f.retryFor) this.r.fail(f.retrySeed, 'scenario.retry-seed-without-retry');
      spec.retrySeed = this.r.integer(f.retrySeed, 0, 0xffffffff);
    }
    if (f.options) {
      if (this.runtime === 'crio' || this.runtime === 'containerd' || this.runtime === 'vsphere-pod') this.r.fail(f.options, 'scenario.options-runtime', this.runtime);
      spec.options = this.options(f.options);
    }
    if (f.expect) spec.expect = this.expectation(f.expect);
    return spec;
  }

  private podRef(at: Site, name: string, namespace: string): void {
    // Objects from cluster.manifests are read after the file; the runner reports a Pod they lack.
    if (this.manifestsLine !== undefined) return;
    const found = this.cluster.some(
      (o) => (o.kind === 'Pod' || o.kind === 'Deployment') && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace,
    );
    if (!found) this.r.fail(at, 'scenario.pod-unknown', name, namespace);
  }

  private options(at: Site): PullOptions {
    const f = this.r.fields(at, ['tlsVerify', 'certDir', 'authfile', 'creds', 'arch', 'platform', 'registriesConf', 'signaturePolicy']);
    const out: PullOptions = {};
    if (f.tlsVerify) out.tlsVerify = this.r.bool(f.tlsVerify);
    for (const k of ['certDir', 'authfile', 'creds', 'arch', 'registriesConf', 'signaturePolicy'] as const) {
      if (f[k]) out[k] = this.r.string(f[k]);
    }
    if (f.platform) {
      if (this.runtime !== 'podman') this.r.fail(f.platform, 'scenario.option-podman-only', this.runtime);
      out.platform = this.formatted(f.platform, isPlatform, 'scenario.platform');
    }
    return out;
  }

  private expectation(at: Site, isImport = false): Expectation {
    const f = this.r.fields(at, isImport ? ['result', 'from', 'error', 'digest', 'attempts', 'reason'] : ['result', 'from', 'error', 'digest', 'attempts']);
    const out: Expectation = {};
    if (f.result) out.result = isImport ? this.oneOf(f.result, ['imported', 'failed'] as const) : this.oneOf(f.result, ['pulled', 'failed'] as const);
    if (f.reason) out.reason = this.r.string(f.reason);
    if (f.from) {
      if (out.result === 'failed') this.r.fail(f.from, 'scenario.from-not-pulled', out.result);
      out.from = this.r.string(f.from);
      this.ref(f.from, 'registry', out.from, this.registries, 'registries');
    }
    if (f.error) {
      out.error = this.r.string(f.error);
      this.placeholders(f.error, out.error, false);
    }
    if (f.digest) {
      const digest = this.r.string(f.digest);
      const placeholders = scanPlaceholders(digest);
      if (placeholders.length === 0 ? !isDigest(digest) : placeholders[0].text !== digest) this.r.fail(f.digest, 'scenario.digest', digest);
      this.placeholders(f.digest, digest, false);
      out.digest = digest;
    }
    if (f.attempts) {
      out.attempts = this.r.items(f.attempts).map((s) => {
        const source = this.r.string(s);
        this.placeholders(s, source, false);
        return source;
      });
    }
    return out;
  }
}
