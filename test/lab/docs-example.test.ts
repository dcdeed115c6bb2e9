/** The complete example of docs/labs.md is a valid lab: what an instructor copies works. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { validateLab } from '../../src/lab/validate.js';
import type { LabScenario } from '../../src/lab/workspace.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { cli } from '../cli/cli-harness.js';
import { tempRoot } from './lab-harness.js';

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

describe('labs outside the bundled course', () => {
  it('lab list DIR lists a lab file in that folder; lab start FILE starts it', async () => {
    const md = readFileSync(join(packageRoot(), 'docs', 'labs.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md.slice(md.indexOf('## A complete example')))![1];
    const dir = tempRoot();
    writeFileSync(join(dir, 'my-lab.yaml'), yaml);
    const list = await cli(['lab', 'list', dir, '--json']);
    expect(JSON.parse(list.stdout).map((l: { id: string }) => l.id)).toContain('example-insecure');
    expect((await cli(['lab', 'start', join(dir, 'my-lab.yaml'), '--dir', join(dir, 'ws')])).code).toBe(0);
    const r = await cli(['lab', 'check', join(dir, 'ws')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('http: server gave HTTP response to HTTPS client');
  });
});
