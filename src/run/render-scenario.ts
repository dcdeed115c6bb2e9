/**
 * What `pullsim render` shows: the node files a scenario's cluster objects produce. The lab is
 * started only to generate the scenario's CA and key material (so `{ca: …}` files are real PEM);
 * nothing is pulled.
 */
import { renderCluster, type RenderResult } from '../openshift/index.js';
import { substitutePlaceholders } from '../scenario/substitute.js';
import type { Scenario } from '../scenario/types.js';
import { startLab } from '../../sim/lab.js';
import { asText } from './lay-out-node.js';
import { scenarioNodeFiles } from './node-files.js';

export async function renderScenario(scenario: Scenario, role?: string): Promise<RenderResult> {
  const lab = await startLab(scenario);
  try {
    const s = substitutePlaceholders(scenario, { digests: lab.digests, keyData: lab.keyData });
    return renderCluster(s.cluster, asText(scenarioNodeFiles(s, lab.nodeFiles())), {
      openshift: s.versions.openshift,
      role,
      resolveCa: (name) => lab.caPems[name],
    });
  } finally {
    await lab.close();
  }
}
