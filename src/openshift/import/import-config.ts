/**
 * The configuration the image importer of openshift-apiserver reads (imagestreamimport/rest.go):
 * the registries merged from the Image CR's registrySources and the ICSP/IDMS/ITMS mirrors by the
 * same EditRegistriesConfig the MCO uses, allowedRegistriesForImport, and the control plane's
 * trust (publicly trusted CAs plus additionalTrustedCA).
 */
import { loadRegistriesConf, SYSTEM_REGISTRIES_CONF, type Registry } from '../../config/registries-conf.js';
import { MemoryFS } from '../../node-fs.js';
import type { ClusterObject } from '../../scenario/types.js';
import { defaultSystemContext } from '../../system-context.js';
import { parseCluster } from '../objects.js';
import { renderCluster } from '../render.js';

export const INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';

const REGISTRY_KINDS = new Set(['Image', 'ImageContentSourcePolicy', 'ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ClusterVersion']);

export interface AllowedRegistry {
  domainName: string;
  insecure: boolean;
}

export interface ImportConfig {
  /** The merged [[registry]] entries (sysregistriesv2.V2RegistriesConf.Registries). */
  registries: readonly Registry[];
  /** spec.allowedRegistriesForImport; empty: every registry is allowed. */
  allowedForImport: AllowedRegistry[];
  /** PEM texts the control plane trusts for registries: publicly trusted CAs, then additionalTrustedCA. */
  trustedCas: string[];
}

export interface ImportConfigInput {
  cluster: ClusterObject[];
  openshift?: string;
  caPems: Record<string, string>;
  /** Names of CAs marked `trusted: true`. */
  publicCas: string[];
}

export function importConfig(input: ImportConfigInput): ImportConfig {
  const objects = input.cluster.filter((o) => REGISTRY_KINDS.has(o.kind));
  const rendered = renderCluster(objects, {}, { openshift: input.openshift, resolveCa: (n) => input.caPems[n] ?? '' });
  const conf = rendered.files.get(SYSTEM_REGISTRIES_CONF)?.content ?? '';
  const registries = loadRegistriesConf(new MemoryFS({ [SYSTEM_REGISTRIES_CONF]: conf }), defaultSystemContext()).registries;
  return {
    registries,
    allowedForImport: allowedRegistriesForImport(input.cluster),
    trustedCas: [...input.publicCas.map((n) => input.caPems[n]!), ...additionalTrustedCas(input.cluster, input.caPems)],
  };
}

function allowedRegistriesForImport(cluster: ClusterObject[]): AllowedRegistry[] {
  const image = cluster.find((o) => o.kind === 'Image' && o.apiVersion === 'config.openshift.io/v1' && o.metadata.name === 'cluster');
  const list = (image?.spec as { allowedRegistriesForImport?: unknown } | undefined)?.allowedRegistriesForImport;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) => {
    const o = e as { domainName?: unknown; insecure?: unknown };
    return typeof o?.domainName === 'string' ? [{ domainName: o.domainName, insecure: o.insecure === true }] : [];
  });
}

/** Every CA of the additionalTrustedCA ConfigMap joins the apiserver's roots, whatever host key it sits under. */
function additionalTrustedCas(cluster: ClusterObject[], caPems: Record<string, string>): string[] {
  const { model } = parseCluster(cluster);
  const name = model.image?.additionalTrustedCA;
  if (!name) return [];
  const cm = model.configMaps.get(`openshift-config/${name}`);
  if (!cm) return [];
  return [...Object.values(cm.data).map((v) => (typeof v === 'string' ? v : (caPems[v.ca] ?? ''))), ...Object.values(cm.binaryData)];
}

/** The non-mirror entry whose location is exactly the registry (allowRegistryInsecureAccess, blockedRegistry). */
export function registryEntry(config: ImportConfig, registry: string): Registry | undefined {
  return config.registries.find((r) => r.location === registry);
}

/** findRegistryConfiguration: the longest prefix the repository name is, or is under. */
export function registryFor(config: ImportConfig, name: string): Registry | undefined {
  let best: Registry | undefined;
  for (const r of config.registries) {
    if (best && r.prefix.length <= best.prefix.length) continue;
    if (name === r.prefix || (name.startsWith(r.prefix) && name[r.prefix.length] === '/')) best = r;
  }
  return best;
}
