import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderCluster } from '../../src/openshift/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

const dir = join(import.meta.dirname, '../../scenarios/openshift');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('bundled OpenShift stories', () => {
  it.each(files)('%s loads and its cluster objects render without errors', (f) => {
    const s = loadScenarioFile(join(dir, f));
    const node: Record<string, string> = {};
    for (const [p, v] of Object.entries(s.node.files)) if (typeof v === 'string') node[p] = v;
    const r = renderCluster(s.cluster, node, { openshift: s.versions.openshift, resolveCa: (n) => `CA ${n}` });
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(r.mcdErrors).toEqual([]);
  });
});
