/**
 * renderCluster with `previous`: the node's files were rendered from earlier objects (a lab
 * workspace). The daemon rewrites nothing when the config is unchanged, and on a change validates
 * the disk against the earlier config (checkV3Files on currentConfig), not the new one.
 */
import { describe, expect, it } from 'vitest';
import { renderCluster } from '../../src/openshift/index.js';
import type { ClusterObject } from '../../src/scenario/types.js';

const CONF = '/etc/containers/registries.conf';
const image = (spec: object): ClusterObject => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec });
const before = [image({})];
const start = Object.fromEntries([...renderCluster(before, {}).files].map(([p, f]) => [p, f.content]));
const insecure = image({ registrySources: { insecureRegistries: ['192.168.10.11:5001'] } });

describe('renderCluster previous: the daemon on an update', () => {
  const cases: Array<[string, ClusterObject[], Record<string, string>, { conf: RegExp; mcd: number }]> = [
    ['unchanged objects: the node keeps a hand edit', before, { ...start, [CONF]: 'short-name-mode = "permissive"\n' }, { conf: /^short-name-mode = "permissive"\n$/, mcd: 0 }],
    ['changed objects, disk as last rendered: the new config is written', [insecure], start, { conf: /insecure = true/, mcd: 0 }],
    ['changed objects, disk edited by hand: unexpected on-disk state, nothing written', [insecure], { ...start, [CONF]: 'short-name-mode = "permissive"\n' }, { conf: /^short-name-mode = "permissive"\n$/, mcd: 1 }],
  ];
  it.each(cases)('%s', (_n, objects, files, want) => {
    const r = renderCluster(objects, files, { previous: before });
    expect(r.files.get(CONF)?.content).toMatch(want.conf);
    expect(r.mcdErrors).toHaveLength(want.mcd);
    if (want.mcd) expect(r.mcdErrors[0]).toMatch(/^unexpected on-disk state validating against rendered-worker-[0-9a-f]{32}: content mismatch for file "\/etc\/containers\/registries.conf"$/);
  });

  it('without previous, a node file differing from the new config is a mismatch (unchanged behaviour)', () => {
    expect(renderCluster([insecure], start).mcdErrors).toHaveLength(1);
  });
});
