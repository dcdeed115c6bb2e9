/**
 * What compare needs of the OpenShift code, loaded only when a side has cluster objects: the
 * rendered node-file diff and rollout impact of a cluster change, and the pods' pull secrets.
 */
import type { KeyringSource } from '../auth/kubelet-keyring.js';
import { DEFAULT_OPENSHIFT, pullSecretsFor, renderCluster, renderDiff, rolloutImpact, type RenderResult } from '../openshift/index.js';
import { asText } from '../run/lay-out-node.js';
import { scenarioNodeFiles } from '../run/node-files.js';
import type { Scenario } from '../scenario/types.js';
import { secretsKey, type ImageEntry } from './images-list.js';
import type { CompareReport } from './report.js';

/** The node files a side's cluster objects render for a pool, for the node-file diff and the rollout impact. */
function renderSide(s: Scenario, role?: string): RenderResult {
  return renderCluster(s.cluster, asText(scenarioNodeFiles(s, {})), { openshift: s.versions.openshift, role, resolveCa: (name) => `(CA certificate "${name}")\n` });
}

/** The pools a change can touch: master and worker always, and every role a MachineConfig names. */
function pools(a: Scenario, b: Scenario): string[] {
  const roles = new Set(['master', 'worker']);
  for (const o of [...a.cluster, ...b.cluster]) {
    const role = (o.metadata.labels as Record<string, unknown> | undefined)?.['machineconfiguration.openshift.io/role'];
    if (o.kind === 'MachineConfig' && typeof role === 'string') roles.add(role);
  }
  return [...roles].sort();
}

/** When the cluster objects differ: the rendered node-file diff (worker) and what the machine-config daemon does to each pool. */
export function addClusterChange(report: CompareReport, a: Scenario, b: Scenario): void {
  const release = b.versions.openshift ?? DEFAULT_OPENSHIFT;
  report.rollout = pools(a, b).map((pool) => {
    const ra = renderSide(a, pool);
    const rb = renderSide(b, pool);
    if (pool === 'worker') report.nodeFileDiff = renderDiff(ra, rb);
    return { openshift: release, ...rolloutImpact(ra.machineConfig, rb.machineConfig, { openshift: release, pool }) };
  });
}

/**
 * The pull secrets the kubelet gives an image's pod (its own imagePullSecrets, else its ServiceAccount's),
 * from the side's cluster objects; one lookup per namespace, ServiceAccount and secret list.
 */
export function podSecretsFrom(s: Scenario): (e: ImageEntry) => KeyringSource[] {
  const kept = new Map<string, KeyringSource[]>();
  return (e) => {
    if (e.namespace === undefined || s.cluster.length === 0) return [];
    const key = secretsKey(e);
    let found = kept.get(key);
    if (!found) {
      const secrets = e.pullSecrets?.length ? e.pullSecrets : undefined;
      kept.set(key, (found = pullSecretsFor(s.cluster, { namespace: e.namespace, serviceAccount: e.serviceAccount ?? 'default', ...(secrets && { secrets }) }).sources));
    }
    return found;
  };
}
