/**
 * Runs one scenario: start its fake registries, substitute digests, lay out the node (rendering
 * cluster objects the way the MCO would), and make each pull with the scenario's runtime.
 */
import { ImageStore } from '../kubelet/image-store.js';
import type { PullPolicy } from '../kubelet/pull-policy.js';
import { nodeFileText, type MemoryFS } from '../node-fs.js';
import { podContainers, pullSecretsFor } from '../openshift/index.js';
import type { Network } from '../pull/pull-context.js';
import { pullWithCrio } from '../runtime/crio.js';
import { crioProfile } from '../runtime/crio-profiles.js';
import { pullWithPodman } from '../runtime/podman.js';
import { pullWithSkopeo } from '../runtime/skopeo.js';
import type { RuntimeInput } from '../runtime/runtime-input.js';
import { substitutePlaceholders } from '../scenario/substitute.js';
import type { ClusterObject, PullSpec, Scenario } from '../scenario/types.js';
import { startLab } from '../../sim/lab.js';
import { judge } from './expect.js';
import { replaceIn, replaceInObjects, standIns, type GeneratedMaterial } from './generated-material.js';
import { layOutNode, scenarioNodeFiles } from './node-files.js';
import type { JudgedPull, PullOutcome, ScenarioReport } from './outcome.js';

interface PreparedNode {
  fs: MemoryFS;
  /** The node's images: what one pull stored, later pulls of the scenario find. */
  images: ImageStore;
  /** Cluster objects the MCO would refuse, and daemon complaints, reported with every pull. */
  renderNotes: string[];
}

function prepareNode(s: Scenario, generated: Record<string, string>, caPems: Record<string, string>, pairs: Array<[string, string]>, previous?: ClusterObject[]): PreparedNode {
  const files = scenarioNodeFiles(s, generated);
  for (const p of pairs.length ? Object.keys(files) : []) {
    const text = nodeFileText(files[p]);
    const replaced = replaceIn(text, pairs);
    // Only a file that held an earlier copy becomes text; every other keeps its bytes.
    if (replaced !== text) files[p] = replaced;
  }
  const { fs, notes } = layOutNode({ ...s, cluster: replaceInObjects(s.cluster, pairs) }, files, (name) => caPems[name], previous);
  return { fs, images: new ImageStore(), renderNotes: notes };
}

async function pullOne(s: Scenario, node: PreparedNode, net: Network, pull: PullSpec, image: string, imagePullPolicy?: PullPolicy): Promise<PullOutcome> {
  const input: RuntimeInput = { fs: node.fs, net, pull, image };
  let outcome: PullOutcome;
  switch (s.runtime) {
    case 'skopeo':
      outcome = await pullWithSkopeo(input);
      break;
    case 'podman':
      outcome = await pullWithPodman(input);
      break;
    case 'crio': {
      const secrets = s.cluster.length ? pullSecretsFor(s.cluster, pull) : { sources: [], warnings: [] };
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
    const pulls: JudgedPull[] = [];
    for (const [pullIndex, pull] of s.pulls.entries()) {
      const images = pull.pod !== undefined
        ? podContainers(s.cluster, pull.pod, pull.namespace).map((c) => ({ image: c.image, container: c.name, policy: c.imagePullPolicy }))
        : [{ image: pull.image!, container: undefined, policy: undefined }];
      for (const { image, container, policy } of images) {
        const outcome = await pullOne(s, node, net, pull, image, policy);
        if (container !== undefined) outcome.container = container;
        pulls.push({ ...outcome, pullIndex, expect: judge(outcome, pull.expect) });
      }
    }
    return { file: s.file, name: s.name, runtime: s.runtime, pulls };
  } finally {
    await lab.close();
  }
}
