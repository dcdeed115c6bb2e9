/**
 * The scenario keys for containerd nodes: runtime containerd and versions.containerd, strict as
 * every other key (a typo or an unknown release stops the load with file, line and key).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const scenario = (extra: string, pullExtra = '') => `
name: t
runtime: containerd
${extra}
pulls:
  - image: plain.test:5001/tiny:1${pullExtra}
`;

function loadError(text: string): string {
  try {
    loadScenarioText(text, 't.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  return 'loaded';
}

describe('runtime containerd and versions.containerd in a scenario', () => {
  it.each<[string, string, string]>([
    ['a release', 'versions: { containerd: "1.7" }', 'loaded'],
    ['a patch release', 'versions: { containerd: "1.6.20" }', 'loaded'],
    ['retryFor is the kubelet\'s, so it applies', 'versions: { containerd: "2.0" }', 'loaded'],
    ['an unknown release', 'versions: { containerd: "1.5" }', 't.yaml, line 4, key versions.containerd: "1.5" is not accepted; use one of: 1.6, 1.7, 2.0, 2.1 or one of their patch releases (e.g. 1.6.20)'],
    ['a typo under versions', 'versions: { containred: "1.7" }', "t.yaml, line 4, key versions.containred: unknown field 'containred'; did you mean 'containerd'?"],
  ])('%s', (_name, extra, want) => {
    expect(loadError(scenario(extra, _name.startsWith('retryFor') ? '\n    retryFor: 5m' : ''))).toBe(want);
  });
  it('command-line options are podman/skopeo flags, not a containerd node\'s', () => {
    expect(loadError(scenario('', '\n    options: { tlsVerify: false }'))).toMatch(/'options' are podman or skopeo command-line flags.*runtime is containerd/);
  });
});
