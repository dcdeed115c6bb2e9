/** Passwords, auth values and ServiceAccount tokens never appear in text or JSON reports of imports and internal-registry pulls. */
import { describe, expect, it } from 'vitest';
import { jsonReport, summarize } from '../../src/run/report-json.js';
import { textReport } from '../../src/run/report-text.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { startLab } from '../../sim/lab.js';

const REG = 'image-registry.openshift-image-registry.svc:5000';
const YAML = `name: secrets
cas: { public: { trusted: true }, service-ca: {} }
registries:
  private: { host: registry.example.com, tls: { ca: public }, auth: { type: basic, users: { robot: Sup3rS3cretPw } }, images: { "team/app:1.0": {} } }
  internal: { host: "${REG}", openshift: true, tls: { ca: service-ca }, images: { "team/app:latest": {} } }
node:
  files:
    /etc/docker/certs.d/${REG}/ca.crt: { ca: service-ca }
    /etc/containers/policy.json: '{"default": [{"type": "insecureAcceptAnything"}]}'
cluster:
  - apiVersion: v1
    kind: Secret
    metadata: { name: pull, namespace: team }
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths":{"registry.example.com":{"auth":"cm9ib3Q6U3VwM3JTM2NyZXRQdw=="}}}'
pulls:
  - { import: "app:1.0", namespace: team, from: "registry.example.com/team/app:1.0" }
  - { import: "app:1.1", namespace: other, from: "registry.example.com/team/app:1.0" }
  - { image: "${REG}/team/app:latest", namespace: team }
  - { image: "${REG}/team/app:latest", namespace: other }
`;

describe('no secret in any report format', () => {
  it('text and JSON name secrets and users, never passwords, auth values or tokens', async () => {
    const scenario = loadScenarioText(YAML, 'secrets.yaml');
    const report = await runScenario(scenario);
    // The tokens this lab would hand out have the same shape as the run's own.
    const lab = await startLab(scenario);
    const tokens = [...lab.serviceAccountTokens.values()];
    await lab.close();
    const outputs = [jsonReport([report], summarize([report])), textReport([report], summarize([report]), { color: false })];
    expect(report.pulls.map((p) => p.result)).toEqual(['imported', 'failed', 'pulled', 'failed']);
    expect(JSON.parse(outputs[0]!).summary).toMatchObject({ pulls: 4, pulled: 1, imported: 1, failed: 2 });
    for (const out of outputs) {
      expect(out).toContain('Secret team/pull');
      for (const secret of ['Sup3rS3cretPw', 'cm9ib3Q6U3VwM3JTM2NyZXRQdw==', ...tokens]) expect(out).not.toContain(secret);
      expect(out).not.toMatch(/sha256~[A-Za-z0-9_-]{20,}/);
    }
  });
});
