/**
 * renderCluster: the node files the MCO (and the machine-config daemon) would leave on a node of one role
 * for these cluster objects, layered over the scenario's own node files.
 *
 * Machine configs are merged by name, a later name winning a path, as the MCO renders a pool:
 *   00-<role>                         /var/lib/kubelet/config.json (the global pull secret)
 *   01-<role>-container-runtime       registries.conf and policy.json templates
 *   99-<role>-generated-registries    the Image CR and mirror objects (written only when they change a file)
 *   user MachineConfigs labelled with the role
 * CAs from spec.additionalTrustedCA are written by the daemon's certificate writer, outside any machine config.
 */
import { createHash } from 'node:crypto';
import { ClusterObjectError, InputError, text } from '../errors/index.js';
import type { ClusterObject } from '../scenario/types.js';
import { POLICY_JSON, REGISTRIES_CONF, SEARCH_DROPIN, renderPolicyJson, renderRegistriesConf, renderSearchDropIn, validBlockedAndAllowed, type MirrorObjects } from './image-config.js';
import { goLess } from './mirror-sets.js';
import { describeObject, parseCluster, type ClusterModel, type McRebootFields } from './objects.js';
import { DEFAULT_OPENSHIFT, releaseRules, type ReleaseRules } from './release.js';

export interface RenderedFile {
  content: string;
  /** "01-worker-container-runtime (MCO template)", "99-worker-generated-registries (Image cluster, …)", "node.files", … */
  producedBy: string;
}

export interface RenderResult {
  /** Every file of the node after the render: the scenario's node.files plus what the cluster objects wrote. */
  files: Map<string, RenderedFile>;
  /** Lines the machine-config controller/operator logs (warnings, skipped payload blocks). */
  logs: string[];
  /** Objects the API server would refuse, and the controller's sync errors (nothing of theirs rendered). */
  errors: ClusterObjectError[];
  /** The machine-config daemon's degraded reason when node.files contradicts a rendered file. */
  mcdErrors: string[];
  /** The pool's rendered MachineConfig and what the daemon reads beside it when it applies one (see rollout-impact.ts). */
  machineConfig: RenderedMachineConfig;
}

export interface RenderedMachineConfig {
  /** Files the machine configs write (node.files and the certificate writer's CAs are not part of it). */
  files: Map<string, { content: string; mode?: number }>;
  /** Reboot-relevant fields of the pool's machine configs, in name order: each field as the merge of all of them. */
  reboot: McRebootFields;
  /** MachineConfiguration cluster's spec.nodeDisruptionPolicy.files. */
  nodeDisruptionFiles: ClusterModel['nodeDisruptionFiles'];
  /** ConfigMap openshift-machine-config-operator/image-registry-override-drain exists. */
  drainOverride: boolean;
}

export interface RenderOptions {
  /** OpenShift release "4.N" (default DEFAULT_OPENSHIFT). */
  openshift?: string;
  /** MachineConfigPool role (default "worker"). */
  role?: string;
  /** PEM of a scenario CA, for ConfigMap values written as { ca: NAME }. */
  resolveCa?: (name: string) => string;
  /**
   * The objects the node's files were last rendered from (a lab workspace's starting cluster). The
   * daemon then does what it does on a real update: nothing when the rendered config is unchanged;
   * otherwise it validates the files on disk against that earlier config, not the new one.
   */
  previous?: ClusterObject[];
}

/** Files of one machine config, with what produced them. */
interface Layer {
  mc: string;
  /** false: the MCO's own templates, which node.files may replace (the scenario describes that node). */
  fromObjects: boolean;
  files: Array<{ path: string; content: string; producedBy: string; mode?: number }>;
}

export const NODE_FILES = 'node.files';
const KUBELET_CONFIG_JSON = '/var/lib/kubelet/config.json';
const REGISTRIES_TEMPLATE = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";
const POLICY_TEMPLATE = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports":
        {
            "docker-daemon":
                {
                    "": [{"type":"insecureAcceptAnything"}]
                }
        }
}`;

function templateLayer(role: string): Layer {
  const mc = `01-${role}-container-runtime`;
  const producedBy = `${mc} (MCO template)`;
  return { mc, fromObjects: false, files: [{ path: REGISTRIES_CONF, content: REGISTRIES_TEMPLATE, producedBy }, { path: POLICY_JSON, content: POLICY_TEMPLATE, producedBy }] };
}

function pullSecretLayer(model: ClusterModel, role: string): Layer | undefined {
  const secret = model.secrets.get('openshift-config/pull-secret');
  const json = secret?.data['.dockerconfigjson'];
  if (json === undefined) return undefined;
  const mc = `00-${role}`;
  // templates/common/_base/files/pull-secret.yaml writes "{{.PullSecret}}" and a newline.
  return { mc, fromObjects: true, files: [{ path: KUBELET_CONFIG_JSON, content: `${json}\n`, producedBy: `${mc} (Secret openshift-config/pull-secret)` }] };
}

/** syncImageConfig + registriesConfigIgnition for one pool. */
function generatedLayer(model: ClusterModel, role: string, rules: ReleaseRules, logs: string[], errors: ClusterObjectError[]): Layer | undefined {
  const spec = model.image ?? {};
  const mirrors: MirrorObjects = { icsp: model.icsp.map((o) => o.rules), idms: model.idms.map((o) => o.rules), itms: model.itms.map((o) => o.rules) };
  const mirrorNames = [
    ...model.icsp.map((o) => describeObject('ImageContentSourcePolicy', o.name)),
    ...model.idms.map((o) => describeObject('ImageDigestMirrorSet', o.name)),
    ...model.itms.map((o) => describeObject('ImageTagMirrorSet', o.name)),
  ];
  const mc = `99-${role}-generated-registries`;
  const syncError = (e: unknown) => {
    if (!(e instanceof ClusterObjectError)) throw e;
    errors.push(new ClusterObjectError('mco.sync-failed', text('mco.sync-failed', 'cluster', e.message), e));
  };
  try {
    const digestRules = [...mirrors.idms.flat(), ...mirrors.icsp.flat()];
    const valid = validBlockedAndAllowed(model.releaseImage, spec, digestRules, rules);
    logs.push(...valid.logs);
    if (valid.payloadError) logs.push(text('mco.skipping', valid.payloadError));
    const files: Layer['files'] = [];
    const imageFields = (fields: Array<[string, unknown]>) => fields.filter(([, v]) => v !== undefined).map(([f]) => f);
    if (spec.insecure !== undefined || valid.registriesBlocked.length > 0 || mirrorNames.length > 0) {
      let content: string;
      try {
        content = renderRegistriesConf(spec.insecure ?? [], valid.registriesBlocked, mirrors, rules);
      } catch (e) {
        throw wrapSync(e, 'mco.update-registries');
      }
      const fields = imageFields([['insecureRegistries', spec.insecure], ['blockedRegistries', valid.registriesBlocked.length > 0 ? 1 : undefined]]);
      const by = [...(fields.length > 0 ? [`Image cluster ${fields.join(', ')}`] : []), ...mirrorNames];
      files.push({ path: REGISTRIES_CONF, content, producedBy: `${mc} (${by.join('; ')})` });
    }
    if (valid.policyBlocked.length > 0 || valid.allowed.length > 0) {
      let content: string;
      try {
        content = renderPolicyJson(valid.policyBlocked, valid.allowed, model.releaseImage, rules);
      } catch (e) {
        throw wrapSync(e, 'mco.update-policy');
      }
      const fields = imageFields([['allowedRegistries', spec.allowed], ['blockedRegistries', spec.blocked]]);
      files.push({ path: POLICY_JSON, content, producedBy: `${mc} (Image cluster ${fields.join(', ')})` });
    }
    if (spec.search !== undefined) files.push({ path: SEARCH_DROPIN, content: renderSearchDropIn(spec.search), producedBy: `${mc} (Image cluster containerRuntimeSearchRegistries)` });
    if (files.length === 0) return undefined;
    logs.push(text('mco.applied', role));
    return { mc, fromObjects: true, files };
  } catch (e) {
    syncError(e);
    return undefined;
  }
}

function wrapSync(e: unknown, code: 'mco.update-registries' | 'mco.update-policy'): unknown {
  if (!(e instanceof ClusterObjectError)) return e;
  const inner = new ClusterObjectError(code, text(code, e.message), e);
  return new ClusterObjectError('mco.could-not-update-mc', text('mco.could-not-update-mc', inner.message), inner);
}

function userLayers(model: ClusterModel, role: string): Layer[] {
  return model.machineConfigs
    .filter((m) => m.role === role)
    .map((m) => ({ mc: m.name, fromObjects: true, files: m.files.map((f) => ({ path: f.path, content: f.contents, mode: f.mode, producedBy: describeObject('MachineConfig', m.name) })) }));
}

/** The daemon's certificate writer: each key of the additionalTrustedCA ConfigMap → /etc/docker/certs.d/<key, .. as :>/ca.crt. */
function trustedCaFiles(model: ClusterModel, opts: RenderOptions, logs: string[], errors: ClusterObjectError[]): Array<{ path: string; content: string; producedBy: string }> {
  const name = model.image?.additionalTrustedCA;
  if (!name) return [];
  const cm = model.configMaps.get(`openshift-config/${name}`);
  if (!cm) {
    logs.push(text('mco.configmap-missing', name));
    return [];
  }
  const producedBy = `${describeObject('ConfigMap', name, 'openshift-config')} (Image cluster additionalTrustedCA)`;
  const out: Array<{ path: string; content: string; producedBy: string }> = [];
  const write = (key: string, content: string) => out.push({ path: `/etc/docker/certs.d/${key.replaceAll('..', ':')}/ca.crt`, content, producedBy });
  for (const key of Object.keys(cm.data).sort(goLess)) {
    const v = cm.data[key];
    if (typeof v === 'object') {
      if (!opts.resolveCa) {
        errors.push(new ClusterObjectError('api.invalid', text('api.invalid', 'ConfigMap', name, text('api.field-invalid', `data.${key}`, '"{ca}"', 'no scenario CAs to resolve'))));
        continue;
      }
      write(key, opts.resolveCa(v.ca));
      continue;
    }
    // sync.go tries base64 first and keeps the text when it does not decode (a PEM never does).
    const compact = v.replace(/[\r\n]/g, '');
    write(key, compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact !== '' ? Buffer.from(compact, 'base64').toString('utf8') : v);
  }
  for (const key of Object.keys(cm.binaryData).sort(goLess)) write(key, cm.binaryData[key]);
  return out;
}

type MergedConfig = Map<string, { content: string; producedBy: string; fromObjects: boolean; mode?: number }>;

function mergedConfig(model: ClusterModel, role: string, rules: ReleaseRules, logs: string[], errors: ClusterObjectError[]): MergedConfig {
  const layers = [templateLayer(role), pullSecretLayer(model, role), generatedLayer(model, role, rules, logs, errors), ...userLayers(model, role)]
    .filter((l): l is Layer => l !== undefined)
    .sort((a, b) => goLess(a.mc, b.mc));
  const merged: MergedConfig = new Map();
  for (const layer of layers) for (const f of layer.files) merged.set(f.path, { content: f.content, producedBy: f.producedBy, fromObjects: layer.fromObjects, mode: f.mode });
  return merged;
}

function renderedConfigName(role: string, merged: MergedConfig): string {
  return `rendered-${role}-${createHash('md5').update(JSON.stringify([...merged].map(([p, f]) => [p, f.content]))).digest('hex')}`;
}

/** checkV3Files walks a rendered config and stops at the first file whose bytes differ on disk. */
function onDiskMismatch(config: MergedConfig, nodeFiles: Record<string, string>, name: string, checked: (f: { fromObjects: boolean }) => boolean): string[] {
  for (const [path, f] of config) {
    if (checked(f) && nodeFiles[path] !== undefined && nodeFiles[path] !== f.content) return [text('mcd.unexpected-on-disk', name, text('mcd.content-mismatch', path))];
  }
  return [];
}

export function renderCluster(objects: ClusterObject[], nodeFiles: Record<string, string>, opts: RenderOptions = {}): RenderResult {
  const release = opts.openshift ?? DEFAULT_OPENSHIFT;
  const rules = releaseRules(release);
  if (!rules) throw new InputError(`unknown OpenShift release ${JSON.stringify(release)}; pullsim follows 4.1 to 4.19`, undefined, undefined, 'versions.openshift');
  const role = opts.role ?? 'worker';
  const { model, errors } = parseCluster(objects, rules);
  const logs: string[] = [];
  const merged = mergedConfig(model, role, rules, logs, errors);
  const renderedName = renderedConfigName(role, merged);

  let mcdErrors: string[] = [];
  let unchanged = false;
  if (opts.previous) {
    const before = parseCluster(opts.previous, rules);
    const current = mergedConfig(before.model, role, rules, [], []);
    unchanged = renderedConfigName(role, current) === renderedName;
    if (!unchanged) mcdErrors = onDiskMismatch(current, nodeFiles, renderedConfigName(role, current), () => true);
  } else {
    mcdErrors = onDiskMismatch(merged, nodeFiles, renderedName, (f) => f.fromObjects);
  }
  const files = new Map<string, RenderedFile>();
  for (const [path, content] of Object.entries(nodeFiles)) files.set(path, { content, producedBy: NODE_FILES });
  // A degraded daemon applies nothing new: the node keeps its files, the templates it booted with fill gaps.
  const applied = unchanged ? [] : mcdErrors.length > 0 ? templateLayer(role).files.map((f) => [f.path, { ...f, fromObjects: false }] as const) : [...merged];
  for (const [path, f] of applied) {
    // After an update the MCO's templates are its own files again; a degraded daemon writes none over the disk.
    if (nodeFiles[path] !== undefined && !f.fromObjects && (!opts.previous || mcdErrors.length > 0)) continue;
    files.set(path, { content: f.content, producedBy: f.producedBy });
  }
  for (const f of trustedCaFiles(model, opts, logs, errors)) files.set(f.path, { content: f.content, producedBy: f.producedBy });
  const machineConfig: RenderedMachineConfig = {
    files: new Map([...merged].map(([path, f]) => [path, { content: f.content, mode: f.mode }])),
    reboot: mergedRebootFields(model, role),
    nodeDisruptionFiles: model.nodeDisruptionFiles,
    drainOverride: model.configMaps.has('openshift-machine-config-operator/image-registry-override-drain'),
  };
  return { files, logs, errors, mcdErrors, machineConfig };
}

/** The MCO's merge of the pool's configs for the fields the daemon reboots for: lists append, scalars take the last set. */
function mergedRebootFields(model: ClusterModel, role: string): McRebootFields {
  const out: McRebootFields = { kernelArguments: [], extensions: [], units: {} };
  for (const m of model.machineConfigs.filter((c) => c.role === role).sort((a, b) => goLess(a.name, b.name))) {
    const r = m.reboot;
    out.kernelArguments.push(...r.kernelArguments);
    out.extensions.push(...r.extensions);
    Object.assign(out.units, r.units);
    if (r.osImageURL) out.osImageURL = r.osImageURL;
    if (r.kernelType) out.kernelType = r.kernelType;
    if (r.fips) out.fips = true;
  }
  return out;
}
