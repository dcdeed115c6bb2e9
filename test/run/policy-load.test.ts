/**
 * When each runtime reads policy.json: skopeo and podman load it before anything else (skopeo
 * prefixes "Error loading trust policy: "), CRI-O only when it copies an image it found, and
 * reports the loader's error as it is — never as "Source image rejected".
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const scenario = (runtime: string) => `
name: no policy.json on the node
runtime: ${runtime}
registries:
  nexus: { host: "nexus.example.com:5001", tls: false, images: { "app/web:1": {} } }
node:
  files:
    /etc/containers/registries.conf: |
      [[registry]]
      location = "nexus.example.com:5001"
      insecure = true
pulls:
  - image: nexus.example.com:5001/app/web:1
`;

describe('a missing policy.json, per runtime', () => {
  it.each([
    ['crio', 'rpc error: code = Unknown desc = open /etc/containers/policy.json: no such file or directory', 1],
    ['skopeo', 'Error loading trust policy: open /etc/containers/policy.json: no such file or directory', 0],
    ['podman', 'open /etc/containers/policy.json: no such file or directory', 0],
  ])('%s', async (runtime, error, attempts) => {
    const report = await runScenario(loadScenarioText(scenario(runtime), `${runtime}.yaml`));
    expect(report.pulls[0].result).toBe('failed');
    expect(report.pulls[0].error).toBe(error);
    expect(report.pulls[0].attempts).toHaveLength(attempts);
  });
});
