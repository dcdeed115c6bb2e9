/**
 * An `import:` pull entry run against a scenario's lab: the importer's configuration and credentials
 * from the cluster objects, the control plane's node files, and oc's report as a PullOutcome.
 */
import type { NodeFS } from '../../node-fs.js';
import type { Network } from '../../pull/pull-context.js';
import type { PullOutcome } from '../../run/outcome.js';
import type { ClusterObject, PullSpec, Scenario } from '../../scenario/types.js';
import { DEFAULT_OPENSHIFT } from '../release.js';
import { ClusterObjectError, text } from '../../errors/index.js';
import { importConfig, type ImportConfig } from './import-config.js';
import { namespaceImageSecrets } from './import-credentials.js';
import { ocApiError, ocImportImage, type OcImportResult } from './oc-import.js';

export interface ImportRunEnv {
  net: Network;
  /** The control plane node's files (the scenario's node, with the global pull secret rendered). */
  controlPlane: NodeFS;
  /** The cluster after ServiceAccount provisioning. */
  cluster: ClusterObject[];
  caPems: Record<string, string>;
}

/** OpenShift ≤ 4.4 looked import credentials up per request URL (openshift-apiserver before b1de89bc7). */
export function legacyImportCredentials(release: string): boolean {
  const m = /^4\.(\d+)$/.exec(release);
  return m !== null && Number(m[1]) <= 4;
}

async function run(s: Scenario, pull: PullSpec, env: ImportRunEnv): Promise<OcImportResult> {
  let config: ImportConfig;
  try {
    config = importConfig({
      cluster: env.cluster,
      openshift: s.versions.openshift,
      caPems: env.caPems,
      publicCas: Object.entries(s.cas).filter(([, c]) => c.trusted).map(([n]) => n),
    });
  } catch (e) {
    if (!(e instanceof ClusterObjectError)) throw e;
    return ocApiError('InternalError', text('import.internal', e.message));
  }
  return ocImportImage(pull.import!, pull.namespace, env.cluster, {
    net: env.net,
    config,
    secrets: namespaceImageSecrets(env.cluster, pull.namespace),
    controlPlane: env.controlPlane,
    legacy: legacyImportCredentials(s.versions.openshift ?? DEFAULT_OPENSHIFT),
  });
}

export async function runImportPull(s: Scenario, pull: PullSpec, env: ImportRunEnv): Promise<PullOutcome> {
  const spec = pull.import!;
  const r = await run(s, pull, env);
  return {
    image: `${spec.stream}:${spec.tag}`,
    result: r.result,
    import: {
      namespace: pull.namespace,
      stream: spec.stream,
      tag: spec.tag,
      reason: r.reason,
      oc: { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode },
      transcript: r.transcript,
      referencePolicy: r.referencePolicy,
      ...(r.image && { dockerImageReference: r.image.dockerImageReference }),
    },
    from: r.image?.from ?? null,
    digest: r.image?.digest ?? null,
    attempts: r.attempts,
    error: r.error,
    events: [],
    notes: [],
  };
}
