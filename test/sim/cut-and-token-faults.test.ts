/**
 * The `truncate` fault (a body cut short, then a clean close) and the `tokenDown` fault (the
 * registry's separate token server not listening), seen through a whole pull.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const scenario = (faults: string, auth = '') => `
name: one fault
runtime: skopeo
registries:
  r: { host: "r.test:5000", tls: false, images: { "a/b:1": {} }, faults: ${faults}${auth} }
node:
  files:
    /etc/containers/policy.json: '{ "default": [{ "type": "insecureAcceptAnything" }] }'
    /etc/containers/registries.conf: |
      [[registry]]
      location = "r.test:5000"
      insecure = true
pulls:
  - image: r.test:5000/a/b:1
`;
const realm = ', auth: { type: bearer, realm: "http://sso.test:5559/token", users: { u: p }, anonymous: ["a/*"] }';

describe('truncate and tokenDown end a pull as the real stack ends it', () => {
  it.each([
    ['{ truncate: true }', '', /^initializing source docker:\/\/r\.test:5000\/a\/b:1: unexpected EOF$/],
    ['{ tokenDown: true }', realm, /^initializing source docker:\/\/r\.test:5000\/a\/b:1: Get "http:\/\/sso\.test:5559\/token\?scope=repository%3Aa%2Fb%3Apull&service=r\.test%3A5000": dial tcp [0-9.]+:5559: connect: connection refused$/],
    ['{}', realm, /^$/],
  ])('faults %s', async (faults, auth, error) => {
    const report = await runScenario(loadScenarioText(scenario(faults, auth), 'f.yaml'));
    expect(report.pulls[0].error ?? '').toMatch(error);
  });
});
