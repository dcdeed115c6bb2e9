/**
 * Cluster objects as the API server would accept them: each is checked field by field (an object the API
 * server would refuse becomes a ClusterObjectError naming its kind, name and field, and is left out),
 * then turned into the typed model the renderer and the kubelet part read.
 */
import { parseGoJson, GoJsonSyntaxError } from '../config/go-json.js';
import { ClusterObjectError, goQuote, text } from '../errors/index.js';
import type { ClusterObject } from '../scenario/types.js';
import type { MirrorRule, MirrorSourcePolicy } from './mirror-sets.js';
import type { ReleaseRules } from './release.js';

export const DEFAULT_RELEASE_IMAGE = 'quay.io/openshift-release-dev/ocp-release';

export interface ImageSpec {
  allowed?: string[];
  blocked?: string[];
  insecure?: string[];
  search?: string[];
  additionalTrustedCA?: string;
}

/** A ConfigMap value: text, or a CA generated for the scenario ({ ca: NAME }). */
export type ConfigMapValue = string | { ca: string };

export interface McFile {
  path: string;
  contents: string;
  mode?: number;
}

/**
 * The parts of a MachineConfig besides its files that the machine-config daemon reboots for when they change
 * (machineConfigDiff: osUpdate, kargs, fips, kernelType, extensions, units), kept as given.
 */
export interface McRebootFields {
  osImageURL?: string;
  kernelArguments: string[];
  extensions: string[];
  fips?: boolean;
  kernelType?: string;
  /** systemd units by name, as JSON text (a change in any field is a change of the unit). */
  units: Record<string, string>;
}

export interface MachineConfigModel {
  name: string;
  role?: string;
  files: McFile[];
  reboot: McRebootFields;
}

/** A node disruption policy action (operator.openshift.io/v1 MachineConfiguration, 4.16+). */
export type NdpAction = { type: 'Reboot' | 'None' | 'Drain' | 'DaemonReload' | 'Special' } | { type: 'Reload' | 'Restart'; serviceName: string };

export interface ContainerModel {
  name: string;
  image: string;
  imagePullPolicy?: string;
}

export interface PodModel {
  kind: 'Pod' | 'Deployment';
  namespace: string;
  name: string;
  serviceAccount: string;
  imagePullSecrets: string[];
  initContainers: ContainerModel[];
  containers: ContainerModel[];
}

export interface SecretModel {
  namespace: string;
  name: string;
  type: string;
  /** Decoded values; stringData merged over data, as the API server stores them. */
  data: Record<string, string>;
}

export interface ClusterModel {
  image?: ImageSpec;
  releaseImage: string;
  icsp: Array<{ name: string; rules: MirrorRule[] }>;
  idms: Array<{ name: string; rules: MirrorRule[] }>;
  itms: Array<{ name: string; rules: MirrorRule[] }>;
  machineConfigs: MachineConfigModel[];
  /** spec.nodeDisruptionPolicy.files of MachineConfiguration cluster, in the user's order. */
  nodeDisruptionFiles: Array<{ path: string; actions: NdpAction[] }>;
  configMaps: Map<string, { data: Record<string, ConfigMapValue>; binaryData: Record<string, string> }>;
  secrets: Map<string, SecretModel>;
  serviceAccounts: Map<string, string[]>;
  pods: Map<string, PodModel>;
}

const GROUPS: Record<string, Record<string, string>> = {
  'config.openshift.io/v1': { Image: 'Image.config.openshift.io', ClusterVersion: 'ClusterVersion.config.openshift.io', ImageDigestMirrorSet: 'ImageDigestMirrorSet.config.openshift.io', ImageTagMirrorSet: 'ImageTagMirrorSet.config.openshift.io' },
  'operator.openshift.io/v1alpha1': { ImageContentSourcePolicy: 'ImageContentSourcePolicy.operator.openshift.io' },
  'machineconfiguration.openshift.io/v1': { MachineConfig: 'MachineConfig.machineconfiguration.openshift.io' },
  'operator.openshift.io/v1': { MachineConfiguration: 'MachineConfiguration.operator.openshift.io' },
  v1: { Secret: 'Secret', ConfigMap: 'ConfigMap', ServiceAccount: 'ServiceAccount', Pod: 'Pod' },
  'apps/v1': { Deployment: 'Deployment.apps' },
};
/** Groups pullsim models; other kinds in them are typos, other groups (Namespace, Service, …) play no part in pulls. */
const MODELLED_GROUPS = ['config.openshift.io', 'operator.openshift.io', 'machineconfiguration.openshift.io'];
const NAMESPACED = new Set(['Secret', 'ConfigMap', 'ServiceAccount', 'Pod', 'Deployment']);

/**
 * True for objects the API server of this model validates: the kinds pullsim reads, a kind it
 * reads under another apiVersion, and any kind of a group it models (a typo there is refused with
 * "no matches for kind", not ignored).
 */
export function claimedKind(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return GROUPS[apiVersion]?.[kind] !== undefined || Object.values(GROUPS).some((kinds) => kind in kinds) || MODELLED_GROUPS.includes(group);
}

/**
 * Kinds read outside this model, which the API server's checks here do not cover: ImageStreams
 * (openshift/import/image-streams.ts) and the internal registry's RoleBindings
 * (sim/openshift-registry.ts). A Namespace only names a namespace whose default ServiceAccount
 * the pulls in it create anyway, so it counts as unused.
 */
const READ_ELSEWHERE: Record<string, string[]> = {
  'image.openshift.io/v1': ['ImageStream'],
  'rbac.authorization.k8s.io/v1': ['RoleBinding', 'ClusterRoleBinding'],
};

/** True for objects some part of pullsim reads; others (a Service, a Route) play no part in pulls. */
export function usedKind(apiVersion: string, kind: string): boolean {
  return GROUPS[apiVersion]?.[kind] !== undefined || (READ_ELSEWHERE[apiVersion]?.includes(kind) ?? false);
}

/** "Secret test/nexus", "Image cluster": how reports name an object. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return `${kind} ${namespace !== undefined ? `${namespace}/` : ''}${name}`;
}

type Json = unknown;

function jsonType(v: Json): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

class Invalid extends Error {}

/** Reads one object's fields; the first bad field stops it with the API server's wording. */
class Fields {
  constructor(readonly groupKind: string, readonly name: string) {}

  private fail(detail: string): never {
    throw new Invalid(text('api.invalid', this.groupKind, this.name, detail));
  }

  required(path: string): never {
    this.fail(text('api.field-required', path));
  }

  invalid(path: string, value: string, detail: string): never {
    this.fail(text('api.field-invalid', path, goQuote(value), detail));
  }

  unsupported(path: string, value: string, supported: string[]): never {
    this.fail(text('api.field-unsupported', path, value, supported.map(goQuote).join(', ')));
  }

  private type(path: string, v: Json, want: string): never {
    this.fail(text('api.field-type', path, jsonType(v), path, want, jsonType(v)));
  }

  obj(path: string, v: Json, known?: string[]): Record<string, Json> | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.type(path, v, 'object');
    const o = v as Record<string, Json>;
    if (known) for (const k of Object.keys(o)) if (!known.includes(k)) this.fail(text('api.unknown-field', path ? `${path}.${k}` : k));
    return o;
  }

  str(path: string, v: Json): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.type(path, v, 'string');
    return v;
  }

  reqStr(path: string, v: Json): string {
    const s = this.str(path, v);
    if (s === undefined || s === '') this.required(path);
    return s;
  }

  list(path: string, v: Json): Json[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.type(path, v, 'array');
    return v;
  }

  strList(path: string, v: Json): string[] | undefined {
    return this.list(path, v)?.map((e, i) => this.str(`${path}[${i}]`, e) ?? this.required(`${path}[${i}]`));
  }

  bool(path: string, v: Json): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.type(path, v, 'boolean');
    return v;
  }

  int(path: string, v: Json): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.type(path, v, 'integer');
    return v;
  }

  base64(path: string, v: string): string {
    if (v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) this.invalid(path, '<secret contents redacted>', 'illegal base64 data');
    return Buffer.from(v, 'base64').toString('utf8');
  }
}

function mirrorRules(f: Fields, path: string, v: Json, withPolicy: boolean, mirrorsKey = 'mirrors'): MirrorRule[] {
  const policies = ['AllowContactingSource', 'NeverContactSource'];
  return (f.list(path, v) ?? []).map((e, i) => {
    const p = `${path}[${i}]`;
    const o = f.obj(p, e, withPolicy ? ['source', mirrorsKey, 'mirrorSourcePolicy'] : ['source', mirrorsKey])!;
    if (!o) f.required(p);
    const policy = withPolicy ? f.str(`${p}.mirrorSourcePolicy`, o.mirrorSourcePolicy) ?? '' : '';
    if (policy !== '' && !policies.includes(policy)) f.unsupported(`${p}.mirrorSourcePolicy`, policy, policies);
    return { source: f.str(`${p}.source`, o.source) ?? '', mirrors: f.strList(`${p}.${mirrorsKey}`, o[mirrorsKey]) ?? [], policy: policy as MirrorSourcePolicy };
  });
}

function imageSpec(f: Fields, spec: Record<string, Json> | undefined): ImageSpec {
  const out: ImageSpec = {};
  if (!spec) return out;
  const keys = ['registrySources', 'additionalTrustedCA', 'allowedRegistriesForImport', 'externalRegistryHostnames', 'imageStreamImportMode'];
  f.obj('spec', spec, keys);
  const rs = f.obj('spec.registrySources', spec.registrySources, ['allowedRegistries', 'blockedRegistries', 'insecureRegistries', 'containerRuntimeSearchRegistries']);
  if (rs) {
    out.allowed = f.strList('spec.registrySources.allowedRegistries', rs.allowedRegistries);
    out.blocked = f.strList('spec.registrySources.blockedRegistries', rs.blockedRegistries);
    out.insecure = f.strList('spec.registrySources.insecureRegistries', rs.insecureRegistries);
    out.search = f.strList('spec.registrySources.containerRuntimeSearchRegistries', rs.containerRuntimeSearchRegistries);
  }
  const ca = f.obj('spec.additionalTrustedCA', spec.additionalTrustedCA, ['name']);
  if (ca) out.additionalTrustedCA = f.str('spec.additionalTrustedCA.name', ca.name) ?? '';
  return out;
}

/** Ignition data URL (RFC 2397): base64 or percent-encoded text. */
function dataUrl(f: Fields, path: string, url: string): string {
  const m = /^data:([^,]*),(.*)$/s.exec(url);
  if (!m) f.invalid(path, url, 'unsupported source scheme; use a data URL (data:,… or data:;base64,…)');
  if (m[1].split(';').includes('base64')) {
    const b = m[2].replace(/%([0-9a-fA-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b) || b.length % 4 === 1) f.invalid(path, url.slice(0, 40), 'illegal base64 data');
    return Buffer.from(b, 'base64').toString('utf8');
  }
  try {
    return decodeURIComponent(m[2]);
  } catch {
    f.invalid(path, url.slice(0, 40), 'invalid percent-encoding');
  }
}

function machineConfigFiles(f: Fields, spec: Record<string, Json> | undefined): McFile[] {
  const config = f.obj('spec.config', spec?.config);
  if (!config) return [];
  const ign = f.obj('spec.config.ignition', config.ignition);
  const version = f.str('spec.config.ignition.version', ign?.version);
  if (version === undefined) f.required('spec.config.ignition.version');
  if (!/^3\.[0-4]\.0$/.test(version)) f.invalid('spec.config.ignition.version', version, 'unsupported Ignition config version; the MCO reads 3.0.0 to 3.4.0');
  const storage = f.obj('spec.config.storage', config.storage);
  return (f.list('spec.config.storage.files', storage?.files) ?? []).map((e, i) => {
    const p = `spec.config.storage.files[${i}]`;
    const o = f.obj(p, e, ['path', 'contents', 'mode', 'overwrite', 'filesystem', 'user', 'group', 'append'])!;
    const path = f.reqStr(`${p}.path`, o.path);
    if (!path.startsWith('/')) f.invalid(`${p}.path`, path, 'path not absolute');
    if (o.append !== undefined) f.invalid(`${p}.append`, 'append', 'append is not supported by the machine-config daemon');
    f.bool(`${p}.overwrite`, o.overwrite);
    const c = f.obj(`${p}.contents`, o.contents, ['source', 'compression', 'verification']);
    if (c?.compression !== undefined && c.compression !== '') f.invalid(`${p}.contents.compression`, String(c.compression), 'pullsim reads uncompressed contents only');
    const source = f.str(`${p}.contents.source`, c?.source);
    return { path, contents: source === undefined ? '' : dataUrl(f, `${p}.contents.source`, source), mode: f.int(`${p}.mode`, o.mode) };
  });
}

function machineConfigRebootFields(f: Fields, spec: Record<string, Json> | undefined): McRebootFields {
  const systemd = f.obj('spec.config.systemd', f.obj('spec.config', spec?.config)?.systemd);
  const units: Record<string, string> = {};
  (f.list('spec.config.systemd.units', systemd?.units) ?? []).forEach((u, i) => {
    const unit = f.obj(`spec.config.systemd.units[${i}]`, u) ?? f.required(`spec.config.systemd.units[${i}]`);
    units[f.reqStr(`spec.config.systemd.units[${i}].name`, unit.name)] = JSON.stringify(unit);
  });
  return {
    osImageURL: f.str('spec.osImageURL', spec?.osImageURL),
    kernelArguments: f.strList('spec.kernelArguments', spec?.kernelArguments) ?? [],
    extensions: f.strList('spec.extensions', spec?.extensions) ?? [],
    fips: f.bool('spec.fips', spec?.fips),
    kernelType: f.str('spec.kernelType', spec?.kernelType),
    units,
  };
}

const NDP_TYPES = ['Reboot', 'None', 'Drain', 'Reload', 'Restart', 'DaemonReload', 'Special'];

function nodeDisruptionFiles(f: Fields, spec: Record<string, Json> | undefined): Array<{ path: string; actions: NdpAction[] }> {
  const policy = f.obj('spec.nodeDisruptionPolicy', spec?.nodeDisruptionPolicy, ['files', 'units', 'sshkey']);
  return (f.list('spec.nodeDisruptionPolicy.files', policy?.files) ?? []).map((e, i) => {
    const p = `spec.nodeDisruptionPolicy.files[${i}]`;
    const o = f.obj(p, e, ['path', 'actions']) ?? f.required(p);
    const path = f.reqStr(`${p}.path`, o.path);
    const actions = (f.list(`${p}.actions`, o.actions) ?? []).map((a, j): NdpAction => {
      const ap = `${p}.actions[${j}]`;
      const ao = f.obj(ap, a, ['type', 'reload', 'restart']) ?? f.required(ap);
      const type = f.reqStr(`${ap}.type`, ao.type);
      if (!NDP_TYPES.includes(type)) f.unsupported(`${ap}.type`, type, NDP_TYPES);
      if (type === 'Reload' || type === 'Restart') {
        const field = type === 'Reload' ? 'reload' : 'restart';
        const svc = f.obj(`${ap}.${field}`, ao[field], ['serviceName']);
        return { type, serviceName: f.reqStr(`${ap}.${field}.serviceName`, svc?.serviceName) };
      }
      return { type } as NdpAction;
    });
    return { path, actions };
  });
}

function containers(f: Fields, path: string, v: Json): ContainerModel[] {
  return (f.list(path, v) ?? []).map((e, i) => {
    const p = `${path}[${i}]`;
    const o = f.obj(p, e) ?? f.required(p);
    const policy = f.str(`${p}.imagePullPolicy`, o.imagePullPolicy);
    if (policy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(policy)) f.unsupported(`${p}.imagePullPolicy`, policy, ['Always', 'IfNotPresent', 'Never']);
    return { name: f.reqStr(`${p}.name`, o.name), image: f.reqStr(`${p}.image`, o.image), ...(policy ? { imagePullPolicy: policy } : {}) };
  });
}

function podSpec(f: Fields, path: string, spec: Record<string, Json> | undefined): Omit<PodModel, 'kind' | 'namespace' | 'name'> {
  if (!spec) f.required(path);
  const secrets = (f.list(`${path}.imagePullSecrets`, spec.imagePullSecrets) ?? []).map((e, i) => f.str(`${path}.imagePullSecrets[${i}].name`, f.obj(`${path}.imagePullSecrets[${i}]`, e)?.name) ?? '');
  const cs = containers(f, `${path}.containers`, spec.containers);
  if (cs.length === 0) f.required(`${path}.containers`);
  return {
    serviceAccount: f.str(`${path}.serviceAccountName`, spec.serviceAccountName) ?? f.str(`${path}.serviceAccount`, spec.serviceAccount) ?? 'default',
    imagePullSecrets: secrets,
    initContainers: containers(f, `${path}.initContainers`, spec.initContainers),
    containers: cs,
  };
}

function emptyModel(): ClusterModel {
  return { releaseImage: DEFAULT_RELEASE_IMAGE, icsp: [], idms: [], itms: [], machineConfigs: [], nodeDisruptionFiles: [], configMaps: new Map(), secrets: new Map(), serviceAccounts: new Map(), pods: new Map() };
}

/** Checks and types every object; `errors` gets one ClusterObjectError per object the API server would refuse. */
export function parseCluster(objects: ClusterObject[], rules?: ReleaseRules): { model: ClusterModel; errors: ClusterObjectError[] } {
  const model = emptyModel();
  const errors: ClusterObjectError[] = [];
  for (const o of objects) {
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
    const groupKind = GROUPS[o.apiVersion]?.[o.kind];
    if (!groupKind || (o.kind === 'ImageDigestMirrorSet' || o.kind === 'ImageTagMirrorSet') && rules && !rules.mirrorSetKinds) {
      if (claimedKind(o.apiVersion, o.kind)) errors.push(new ClusterObjectError('api.no-kind', text('api.no-kind', o.kind, o.apiVersion)));
      continue;
    }
    const f = new Fields(groupKind, name);
    try {
      if (name === '') f.required('metadata.name');
      const ns = NAMESPACED.has(o.kind) ? (f.str('metadata.namespace', o.metadata?.namespace) ?? 'default') : undefined;
      const key = `${ns}/${name}`;
      const spec = f.obj('spec', o.spec);
      switch (o.kind) {
        case 'Image':
          if (name !== 'cluster') f.invalid('metadata.name', name, 'must be cluster');
          model.image = imageSpec(f, spec);
          break;
        case 'ClusterVersion': {
          if (name !== 'version') f.invalid('metadata.name', name, 'must be version');
          const desired = f.obj('status.desired', f.obj('status', o.status)?.desired);
          const image = f.str('status.desired.image', desired?.image);
          if (image !== undefined) model.releaseImage = image;
          break;
        }
        case 'ImageContentSourcePolicy':
          f.obj('spec', spec, ['repositoryDigestMirrors']);
          model.icsp.push({ name, rules: mirrorRules(f, 'spec.repositoryDigestMirrors', spec?.repositoryDigestMirrors, false) });
          break;
        case 'ImageDigestMirrorSet':
          f.obj('spec', spec, ['imageDigestMirrors']);
          model.idms.push({ name, rules: mirrorRules(f, 'spec.imageDigestMirrors', spec?.imageDigestMirrors, true) });
          break;
        case 'ImageTagMirrorSet':
          f.obj('spec', spec, ['imageTagMirrors']);
          model.itms.push({ name, rules: mirrorRules(f, 'spec.imageTagMirrors', spec?.imageTagMirrors, true) });
          break;
        case 'MachineConfig': {
          const labels = f.obj('metadata.labels', o.metadata?.labels);
          const role = f.str('metadata.labels.machineconfiguration.openshift.io/role', labels?.['machineconfiguration.openshift.io/role']);
          model.machineConfigs.push({ name, role, files: machineConfigFiles(f, spec), reboot: machineConfigRebootFields(f, spec) });
          break;
        }
        case 'MachineConfiguration':
          if (name !== 'cluster') f.invalid('metadata.name', name, 'must be cluster');
          model.nodeDisruptionFiles = nodeDisruptionFiles(f, spec);
          break;
        case 'ConfigMap': {
          const data: Record<string, ConfigMapValue> = {};
          for (const [k, v] of Object.entries(f.obj('data', o.data) ?? {})) {
            const gen = typeof v === 'object' && v !== null && !Array.isArray(v) ? f.obj(`data.${k}`, v, ['ca']) : undefined;
            data[k] = gen ? { ca: f.reqStr(`data.${k}.ca`, gen.ca) } : (f.str(`data.${k}`, v) ?? '');
          }
          const binaryData: Record<string, string> = {};
          for (const [k, v] of Object.entries(f.obj('binaryData', o.binaryData) ?? {})) binaryData[k] = f.base64(`binaryData.${k}`, f.str(`binaryData.${k}`, v) ?? '');
          model.configMaps.set(key, { data, binaryData });
          break;
        }
        case 'Secret': {
          const data: Record<string, string> = {};
          for (const [k, v] of Object.entries(f.obj('data', o.data) ?? {})) data[k] = f.base64(`data[${k}]`, f.str(`data[${k}]`, v) ?? '');
          for (const [k, v] of Object.entries(f.obj('stringData', o.stringData) ?? {})) data[k] = f.str(`stringData[${k}]`, v) ?? '';
          const type = f.str('type', o.type) ?? 'Opaque';
          // The API server refuses a pull-secret type without its key or with JSON that does not parse.
          const required = type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : type === 'kubernetes.io/dockercfg' ? '.dockercfg' : undefined;
          if (required !== undefined) {
            if (data[required] === undefined) f.required(`data[${required}]`);
            try {
              parseGoJson(data[required]);
            } catch (e) {
              if (!(e instanceof GoJsonSyntaxError)) throw e;
              f.invalid(`data[${required}]`, '<secret contents redacted>', e.message);
            }
          }
          model.secrets.set(key, { namespace: ns!, name, type, data });
          break;
        }
        case 'ServiceAccount':
          model.serviceAccounts.set(key, (f.list('imagePullSecrets', o.imagePullSecrets) ?? []).map((e, i) => f.str(`imagePullSecrets[${i}].name`, f.obj(`imagePullSecrets[${i}]`, e)?.name) ?? ''));
          break;
        case 'Pod':
          model.pods.set(key, { kind: 'Pod', namespace: ns!, name, ...podSpec(f, 'spec', spec) });
          break;
        case 'Deployment': {
          const template = f.obj('spec.template', spec?.template);
          model.pods.set(key, { kind: 'Deployment', namespace: ns!, name, ...podSpec(f, 'spec.template.spec', f.obj('spec.template.spec', template?.spec)) });
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      errors.push(new ClusterObjectError('api.invalid', e.message));
    }
  }
  return { model, errors };
}
