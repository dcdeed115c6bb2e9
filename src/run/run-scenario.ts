/**
 * Runs one scenario: start its fake registries, substitute digests, lay out the node (rendering
 * cluster objects the way the MCO would), and make each pull with the scenario's runtime.
 */
import { ImageStore } from '../kubelet/image-store.js';
import type { PullPolicy } from '../kubelet/pull-policy.js';
import { nodeFileText, type MemoryFS } from '../node-fs.js';
import { podContainers, pullSecretsFor } from '../openshift/index.js';
import { importedKey, resolveImageLookup, type ImportedTag } from '../openshift/import/image-lookup.js';
import { runImportPull } from '../openshift/import/run-import.js';
import { accountKey, provisionAccounts, scenarioAccounts } from '../openshift/service-accounts.js';
import type { Network } from '../pull/pull-context.js';
import { pullWithContainerd } from '../runtime/containerd/containerd.js';
import { containerdProfile } from '../runtime/containerd/profiles.js';
import { pullWithCrio } from '../runtime/crio.js';
import { crioProfile } from '../runtime/crio-profiles.js';
import { pullWithPodman } from '../runtime/podman.js';
import { pullWithSkopeo } from '../runtime/skopeo.js';
import { fetcherCaBundle } from '../runtime/vsphere-pod/ca-bundle.js';
import { pullWithVspherePod } from '../runtime/vsphere-pod/vsphere-pod.js';
import type { RuntimeInput } from '../runtime/runtime-input.js';
import { parseNormalizedNamed } from '../reference/reference.js';
import { substitutePlaceholders } from '../scenario/substitute.js';
import type { ClusterObject, PullSpec, Scenario } from '../scenario/types.js';
import { startLab } from '../../sim/lab.js';
import { judge } from './expect.js';
import { replaceIn, replaceInObjects, standIns, type GeneratedMaterial } from './generated-material.js';
import { layOutNode } from './lay-out-node.js';
import { scenarioNodeFiles } from './node-files.js';
import type { JudgedPull, PullOutcome, ScenarioReport } from './outcome.js';

export interface PreparedNode {
  fs: MemoryFS;
  /** The node's images: what one pull stored, later pulls of the scenario find. */
  images: ImageStore;
  /** Cluster objects the MCO would refuse, and daemon complaints, reported with every pull. */
  renderNotes: string[];
  /** PEM of a scenario CA by name. */
  caPems: Record<string, string>;
}

export function prepareNode(s: Scenario, generated: Record<string, string>, caPems: Record<string, string>, pairs: Array<[string, string]>, previous?: ClusterObject[]): PreparedNode {
  const files = scenarioNodeFiles(s, generated);
  for (const p of pairs.length ? Object.keys(files) : []) {
    const text = nodeFileText(files[p]);
    const replaced = replaceIn(text, pairs);
    // Only a file that held an earlier copy becomes text; every other keeps its bytes.
    if (replaced !== text) files[p] = replaced;
  }
  const { fs, notes } = layOutNode({ ...s, cluster: replaceInObjects(s.cluster, pairs) }, files, (name) => caPems[name], previous);
  return { fs, images: new ImageStore(), renderNotes: notes, caPems };
}

export async function pullOne(s: Scenario, node: PreparedNode, net: Network, pull: PullSpec, image: string, imagePullPolicy?: PullPolicy, cluster: ClusterObject[] = s.cluster): Promise<PullOutcome> {
  const input: RuntimeInput = { fs: node.fs, net, pull, image };
  let outcome: PullOutcome;
  switch (s.runtime) {
    case 'skopeo':
      outcome = await pullWithSkopeo(input);
      break;
    case 'podman':
      outcome = await pullWithPodman(input);
      break;
    case 'containerd': {
      const secrets = s.cluster.length ? pullSecretsFor(s.cluster, pull) : { sources: [], warnings: [] };
      outcome = await pullWithContainerd({ ...input, profile: containerdProfile(s.versions.containerd, s.file), podSecrets: secrets.sources, imagePullPolicy, imageStore: node.images });
      outcome.notes.push(...secrets.warnings.map((w) => `kubelet: ${w}`));
      break;
    }
    case 'vsphere-pod': {
      const secrets = s.cluster.length ? pullSecretsFor(s.cluster, pull) : { sources: [], warnings: [] };
      const caBundle = fetcherCaBundle(s.cluster, (name) => node.caPems[name]);
      outcome = await pullWithVspherePod({ ...input, vsphere: s.vsphere!, caBundle, podSecrets: secrets.sources });
      outcome.notes.push(...secrets.warnings.map((w) => `spherelet: ${w}`));
      break;
    }
    case 'crio': {
      const secrets = cluster.length ? pullSecretsFor(cluster, pull) : { sources: [], warnings: [] };
      outcome = await pullWithCrio({ ...input, profile: crioProfile(s.versions.crio, s.file), podSecrets: secrets.sources, imagePullPolicy, imageStore: node.images });
      outcome.notes.push(...secrets.warnings.map((w) => `kubelet: ${w}`));
      break;
    }
  }
  outcome.notes.push(...node.renderNotes);
  return outcome;
}

export interface RunOptions {
  /** Generated material that an earlier run wrote into the node's files (a lab workspace); this run's stands in for it. */
  earlier?: GeneratedMaterial;
  /** The cluster objects the node's files were rendered from (a lab workspace's starting cluster). */
  previousCluster?: ClusterObject[];
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<ScenarioReport> {
  const lab = await startLab(scenario);
  try {
    const s = substitutePlaceholders(scenario, { digests: lab.digests, keyData: lab.keyData });
    const pairs = opts.earlier ? standIns(opts.earlier, lab) : [];
    const node = prepareNode(s, lab.nodeFiles(), lab.caPems, pairs, opts.previousCluster);
    const net: Network = { dialer: lab.dialer, registryAt: (h, p) => lab.registryAt(h, p) };
    // openshift-controller-manager gives every ServiceAccount its internal-registry pull secret.
    const internalHosts = Object.values(s.registries).filter((r) => r.openshift).map((r) => r.host);
    const provisioned = provisionAccounts(s.cluster, scenarioAccounts(s.cluster, s.pulls), internalHosts, (a) => lab.serviceAccountTokens.get(accountKey(a))!);
    const pulls: JudgedPull[] = [];
    const imported = new Map<string, ImportedTag>();
    for (const [pullIndex, pull] of s.pulls.entries()) {
      if (pull.import !== undefined) {
        const outcome = await runImportPull(s, pull, { net, controlPlane: node.fs, cluster: provisioned, caPems: lab.caPems });
        const internal = Object.values(s.registries).find((r) => r.openshift);
        const served = outcome.attempts.at(-1);
        const record = outcome.import!;
        if (outcome.result === 'imported' && outcome.digest && record.dockerImageReference) {
          imported.set(importedKey(pull.namespace, pull.import.stream, pull.import.tag), { digest: outcome.digest, dockerImageReference: record.dockerImageReference, referencePolicy: record.referencePolicy });
        }
        if (internal && outcome.result === 'imported' && served?.registry && outcome.digest) {
          const repository = parseNormalizedNamed(served.source).path;
          lab.pullThrough(internal.handle, `${pull.namespace}/${pull.import.stream}`, pull.import.tag, { handle: served.registry, repository, digest: outcome.digest });
        }
        // The control plane reads the cluster objects themselves: only their refusals matter here, not the node rollout.
        outcome.notes.push(...node.renderNotes.filter((n) => n.startsWith('cluster: ')));
        pulls.push({ ...outcome, pullIndex, expect: judge(outcome, pull.expect) });
        continue;
      }
      const images = pull.pod !== undefined
        ? podContainers(s.cluster, pull.pod, pull.namespace).map((c) => ({ image: c.image, container: c.name, policy: c.imagePullPolicy }))
        : [{ image: pull.image!, container: undefined, policy: undefined }];
      const internalHost = Object.values(s.registries).find((r) => r.openshift)?.host;
      for (const { image: written, container, policy } of images) {
        const image = resolveImageLookup(written, pull.namespace, s.cluster, imported, internalHost);
        // A pod created before its ServiceAccount was provisioned keeps the imagePullSecrets it was admitted with: none.
        const outcome = await pullOne(s, node, net, pull, image, policy, pull.saProvisioned === false ? s.cluster : provisioned);
        if (container !== undefined) outcome.container = container;
        if (image !== written) outcome.notes.push(`image policy admission: ${written} resolved through ImageStream ${pull.namespace}/${written.split(':')[0]} (lookupPolicy local) to ${image}`);
        pulls.push({ ...outcome, pullIndex, expect: judge(outcome, pull.expect) });
      }
    }
    return { file: s.file, name: s.name, runtime: s.runtime, pulls };
  } finally {
    await lab.close();
  }
}
