/** Every bundled lab proves itself: the starting state misses its goal, the solution reaches it, every trap fires. */
import { describe, expect, it } from 'vitest';
import { bundledCourseDir, loadLabs } from '../../src/lab/catalog.js';
import { validateLab } from '../../src/lab/validate.js';

const labs = loadLabs([bundledCourseDir()]);

describe('the bundled course', () => {
  it('has at least 20 labs with unique ids, nexus-http and harbor-ca among them', () => {
    const ids = labs.map((s) => s.lab.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['nexus-http', 'harbor-ca']));
  });

  it('has node-level and cluster-level labs', () => {
    expect(labs.some((s) => s.lab.editable.every((e) => e.startsWith('node/')))).toBe(true);
    expect(labs.some((s) => s.lab.editable.every((e) => e.startsWith('cluster/')))).toBe(true);
  });
});

describe.concurrent('lab validate, every bundled lab', () => {
  it.each(labs.map((s) => [s.lab.id, s] as const))('%s', async (_id, s) => {
    const v = await validateLab(s);
    expect(v.problems).toEqual([]);
  }, 60_000);
});
