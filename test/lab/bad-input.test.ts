import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { tempRoot } from './lab-harness.js';

const root = tempRoot();
mkdirSync(join(root, 'empty'));

describe('lab: bad input is one line and exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown lab', ['lab', 'start', 'no-such-lab', '--dir', join(root, 'x')], /^pullsim: no lab "no-such-lab"; bundled labs: nexus-http, /],
    ['check of a missing folder', ['lab', 'check', join(root, 'missing')], /^pullsim: no such folder: .*missing$/],
    ['check of a folder without a lab', ['lab', 'check', join(root, 'empty')], /^pullsim: .*empty is not a lab workspace \(no \.pullsim-lab\.json\); start one with: pullsim lab start LAB --dir /],
    ['hint without a lab', ['lab', 'hint', join(root, 'empty')], /is not a lab workspace/],
    ['solution without a lab', ['lab', 'solution', join(root, 'empty')], /is not a lab workspace/],
    ['reset without a lab', ['lab', 'reset', join(root, 'empty')], /is not a lab workspace/],
    ['start without a lab id', ['lab', 'start'], /^pullsim: lab start: give exactly one lab id/],
    ['an unknown flag', ['lab', 'check', '--xml'], /^pullsim: lab check: unknown flag --xml; accepted: --json, --junit$/],
    ['validate of a folder without labs', ['lab', 'validate', join(root, 'empty')], /^pullsim: no scenario files|^pullsim: no lab definitions/],
  ];
  it.each(cases)('%s', async (_n, argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
