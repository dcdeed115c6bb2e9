/** The complete example of docs/labs.md is a valid lab: what an instructor copies works. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/cli/package-root.js';
import { validateLab } from '../../src/lab/validate.js';
import type { LabScenario } from '../../src/lab/workspace.js';
import { loadScenarioText } from '../../src/scenario/index.js';

describe('docs/labs.md', () => {
  it('its complete example validates', async () => {
    const md = readFileSync(join(packageRoot(), 'docs', 'labs.md'), 'utf8');
    const section = md.slice(md.indexOf('## A complete example'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const s = loadScenarioText(yaml, join(packageRoot(), 'docs', 'example-lab.yaml')) as LabScenario;
    expect(s.lab.id).toBe('example-insecure');
    const v = await validateLab(s);
    expect(v.problems).toEqual([]);
    expect(v.proven).toEqual(['start misses its goal', 'solution passes', '1 trap(s) fire']);
  });
});
