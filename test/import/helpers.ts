import { runScenario } from '../../src/run/run-scenario.js';
import type { JudgedPull } from '../../src/run/outcome.js';
import { loadScenarioText } from '../../src/scenario/index.js';

/** Runs an inline scenario and returns its pulls in order. */
export async function runInline(yaml: string): Promise<JudgedPull[]> {
  const report = await runScenario(loadScenarioText(yaml, 'inline.yaml'));
  if (report.error !== undefined) throw new Error(report.error);
  return report.pulls;
}

/** A registry at registry.example.com with a publicly trusted certificate and a password. */
export const PRIVATE_REGISTRY = `
cas:
  public: { trusted: true }
registries:
  private:
    host: registry.example.com
    tls: { ca: public }
    auth: { type: basic, users: { robot: s3cret } }
    images:
      team/app:1.0: {}
`;

export function pullSecret(name: string, namespace: string, auths: Record<string, { username?: string; password?: string; auth?: string }>, annotations?: Record<string, string>): string {
  return `
  - apiVersion: v1
    kind: Secret
    metadata: { name: ${name}, namespace: ${namespace}${annotations ? `, annotations: ${JSON.stringify(annotations)}` : ''} }
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '${JSON.stringify({ auths })}'`;
}
