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
import { editRegistriesConf } from '../edit-registries.js';
import { parseCluster } from '../objects.js';
import { encodeRegistriesConf, type RegistriesConf } from '../registries-toml.js';
import { DEFAULT_OPENSHIFT, releaseRules } from '../release.js';

export const INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';

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

/**
 * The apiserver edits an empty configuration with EditRegistriesConfig itself: unlike the MCO it
 * keeps a blocked payload registry blocked. Objects the API server refuses play no part.
 */
export function importConfig(input: ImportConfigInput): ImportConfig {
  const rules = releaseRules(input.openshift ?? DEFAULT_OPENSHIFT)!;
  // EditRegistriesConfig's error fails the whole request: REST.Create returns it (ClusterObjectError here).
  const { model } = parseCluster(input.cluster, rules);
  const conf: RegistriesConf = { registries: [], shortNameMode: '' };
  editRegistriesConf(
    conf,
    {
      insecure: model.image?.insecure ?? [],
      blocked: model.image?.blocked ?? [],
      digestRules: [...model.idms.flatMap((o) => o.rules), ...model.icsp.flatMap((o) => o.rules)],
      tagRules: model.itms.flatMap((o) => o.rules),
    },
    rules,
  );
  const text = encodeRegistriesConf(conf);
  const registries = loadRegistriesConf(new MemoryFS({ [SYSTEM_REGISTRIES_CONF]: text }), defaultSystemContext()).registries;
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
