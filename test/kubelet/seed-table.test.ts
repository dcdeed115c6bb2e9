/**
 * The OKD 4.15 node's event table after 146 minutes of an HTTP-only registry (the seed of the
 * kubelet model): the requeue cadence, the image back-off and client-go's correlator together
 * must land within 15% of each count it showed, for every CRI-O profile.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { crioProfiles } from '../../src/runtime/crio-profiles.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const scenario = (crio: string) => `
name: 146 minutes of ImagePullBackOff
runtime: crio
versions: { crio: "${crio}" }
registries:
  nexus: { host: "192.168.10.11:5001", ip: 192.168.10.11, tls: false, images: { "test/test:latest": {} } }
node:
  files:
    /etc/containers/policy.json: '{ "default": [{ "type": "insecureAcceptAnything" }] }'
pulls:
  - image: 192.168.10.11:5001/test/test:latest
    retryFor: 146m
`;

// reason / start of message → count kubectl showed on the node
const SEED: [string, string, number][] = [
  ['Failed', 'Failed to pull image', 4],
  ['Failed', 'Error: ErrImagePull', 4],
  ['Failed', 'Error: ImagePullBackOff', 6],
  ['BackOff', 'Back-off pulling image', 630],
];

async function table(crio: string) {
  const report = await runScenario(loadScenarioText(scenario(crio), 's.yaml'));
  return report.pulls[0];
}

describe('the seed table with retryFor: 146m, per CRI-O profile', () => {
  it.each(crioProfiles().map((p) => [p.version]))('CRI-O %s: every count within 15 percent of the node’s', async (crio) => {
    const pull = await table(crio);
    for (const [reason, start, count] of SEED) {
      const row = pull.eventTable!.find((r) => r.reason === reason && r.message.startsWith(start));
      expect(row, `${reason} ${start}`).toBeDefined();
      expect(Math.abs(row!.count - count) / count, `${reason} ${start}: x${row!.count}`).toBeLessThanOrEqual(0.15);
    }
    // Pulling x31 on the node: the pulls made (each records Pulling) are within 15% of it; the
    // written row is not reproduced (docs/kubelet.md, "Why the written Pulling row is not reproduced")
    const pulls = Number(/(\d+) pulls in/.exec(pull.notes.join('\n'))![1]);
    expect(Math.abs(pulls - 31) / 31).toBeLessThanOrEqual(0.15);
    expect(pull.eventTable!.find((r) => r.reason === 'BackOff')!.age).toMatch(/^\d+s \(x\d+ over 14[56]m\)$/);
  });
});
