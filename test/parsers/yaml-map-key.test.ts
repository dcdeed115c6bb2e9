/**
 * A mapping key that is a map or a list: go-yaml v2 (behind containers/image's registries.d
 * reader and `oc apply`) refuses it as `yaml: invalid map key: <%#v of the key>`; pullsim says the
 * same, with the file and line, and prints no warning of the JavaScript YAML reader's own.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { collectionKey, goSharpV, invalidMapKey } from '../../src/config/yaml-map-key.js';
import { parseRegistriesDFile } from '../../src/config/registries-d.js';
import { readCluster } from '../../src/lab/workspace.js';
import { parseManifestText } from '../../src/scenario/manifests.js';

let warned: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warned = vi.spyOn(process, 'emitWarning');
});
afterEach(() => {
  expect(warned).not.toHaveBeenCalled();
  warned.mockRestore();
});

describe("Go's %#v of a decoded key", () => {
  it.each([
    ['a string', 'a"b', '"a\\"b"'],
    ['an int', 7, '7'],
    ['a float', 1.5, '1.5'],
    ['a small float', 0.00001, '1e-05'],
    ['a large float', 1234567.5, '1.2345675e+06'],
    ['a bool', true, 'true'],
    ['a list with nil', ['a', null, 2], '[]interface {}{"a", interface {}(nil), 2}'],
    ['a map, keys sorted', new Map<unknown, unknown>([['b', 1], ['a', [true]]]), 'map[interface {}]interface {}{"a":[]interface {}{true}, "b":1}'],
    ['int keys sorted numerically', new Map<unknown, unknown>([[10, 'x'], [9, 'y']]), 'map[interface {}]interface {}{9:"y", 10:"x"}'],
  ])('%s', (_what, v, want) => {
    expect(goSharpV(v, false)).toBe(want);
  });
});

describe('the first map or list key, in document order', () => {
  it.each([
    ['a:\n  b: 1\n', undefined],
    ['a:\n  ? [x, 1]\n  : v\n', 'invalid map key: []interface {}{"x", 1}'],
    ['? {k: v}\n: 1\n? [z]\n: 2\n', 'invalid map key: map[interface {}]interface {}{"k":"v"}'],
  ])('%j', (src, want) => {
    const doc = parseDocument(src);
    const pair = collectionKey(doc);
    expect(pair && invalidMapKey(doc, pair)).toBe(want);
  });
});

describe('every reader refuses it in its own words', () => {
  it('registries.d (containers/image: ghodss/yaml over go-yaml v2)', () => {
    expect(() => parseRegistriesDFile('/etc/containers/registries.d/a.yaml', 'docker:\n  ? [quay.io, 2]\n  : {lookaside: x}\n')).toThrow(
      'parsing /etc/containers/registries.d/a.yaml: error converting YAML to JSON: yaml: invalid map key: []interface {}{"quay.io", 2}',
    );
  });

  it('cluster manifests and --images (file and line)', () => {
    expect(() => parseManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    ? [x]\n    : y\n', 'm.yaml')).toThrow(
      expect.objectContaining({ file: 'm.yaml', line: 6, message: expect.stringContaining('invalid map key: []interface {}{"x"}') }),
    );
  });

  it("a lab's cluster/ as oc apply reads it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullsim-mapkey-'));
    mkdirSync(join(dir, 'cluster'));
    writeFileSync(join(dir, 'cluster/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n? [x]\n: 1\n');
    expect(() => readCluster(dir)).toThrow('error: error parsing cluster/cm.yaml: error converting YAML to JSON: yaml: invalid map key: []interface {}{"x"}');
  });
});

describe('a scenario file: inline cluster objects', () => {
  it('names the file and line of a key deep inside an object', async () => {
    const { loadScenarioText } = await import('../../src/scenario/load.js');
    const src = 'name: t\ncluster:\n  - apiVersion: config.openshift.io/v1\n    kind: Image\n    metadata:\n      name: cluster\n    spec:\n      registrySources:\n        ? [x]\n        : 1\npulls: []\n';
    expect(() => loadScenarioText(src, 's.yaml')).toThrow(expect.objectContaining({ file: 's.yaml', line: 9, message: 'invalid YAML: invalid map key: []interface {}{"x"} (column 11)' }));
  });
});

describe('a !!binary key reads as its bytes, as go-yaml gives them, without a warning', () => {
  it('registries.d', () => {
    expect([...parseRegistriesDFile('/etc/containers/registries.d/a.yaml', 'docker:\n  !!binary cXVheS5pbw==:\n    lookaside: https://s.test\n').docker.keys()]).toEqual(['quay.io']);
  });
});
