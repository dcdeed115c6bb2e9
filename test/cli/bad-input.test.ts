import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const tree = tempTree();
const dir = tree.write({
  'unknown-field.yaml': 'name: x\npulls:\n  - image: a.example.com/b:1\n    expekt: { result: pulled }\n',
  'bad-yaml.yaml': 'name: x\npulls: [\n',
  'no-name.yaml': 'pulls:\n  - image: a.example.com/b:1\n',
  'bad-tls.yaml': 'name: x\nregistries:\n  r:\n    host: a.example.com\n    tls: maybe\npulls:\n  - image: a.example.com/b:1\n',
  'bad-result.yaml': 'name: x\npulls:\n  - image: a.example.com/b:1\n    expect: { result: maybe }\n',
  'not-a-dir.txt': 'just a file\n',
  'empty/README.md': 'no scenarios here\n',
});

/** One clear line on stderr, exit 2, nothing on stdout, no stack trace. */
function expectInputError(r: { code: number; stdout: string; stderr: string }, ...mustContain: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('pullsim: ')).toBe(true);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toContain('internal error');
  for (const s of mustContain) expect(r.stderr).toContain(s);
}

describe('bad command line: exit 2 with one line', () => {
  it.each([
    ['unknown command', ['frobnicate'], ['unknown command "frobnicate"', 'accepted: run, explain, render, serve']],
    ['unknown run flag', ['run', '--jsn'], ['unknown flag --jsn', '--json']],
    ['unknown explain flag', ['explain', 'a.example.com/b:1', '--rootdir', '/'], ['unknown flag --rootdir']],
    ['switch given a value', ['run', '--json=yes'], ['--json takes no value']],
    ['--jobs 0', ['run', '--jobs', '0'], ['--jobs "0"', 'a whole number ≥ 1']],
    ['--jobs not a number', ['run', '--jobs', 'many'], ['--jobs "many"']],
    ['--jobs fraction', ['run', '--jobs=1.5'], ['--jobs "1.5"']],
    ['--jobs without a value', ['run', '--jobs'], ['--jobs needs a value']],
    ['explain without an image', ['explain'], ['give exactly one image']],
    ['explain with two images', ['explain', 'a.example.com/b:1', 'c.example.com/d:1'], ['give exactly one image']],
    ['explain unknown runtime', ['explain', 'a.example.com/b:1', '--runtime', 'docker'], ['--runtime "docker" is not accepted', 'crio, podman, skopeo']],
    ['render without a file', ['render'], ['render: give exactly one scenario file']],
    ['serve without a file', ['serve'], ['serve: give exactly one scenario file']],
    ['render with two files', ['render', 'a.yaml', 'b.yaml'], ['render: give exactly one scenario file']],
  ])('%s', async (_what, argv, mustContain) => {
    expectInputError(await cli(argv), ...mustContain);
  });
});

describe('bad paths: exit 2 naming the path', () => {
  it.each([
    ['run of a missing file', ['run', `${dir}/nope.yaml`], [`${dir}/nope.yaml`]],
    ['run of a folder without scenarios', ['run', `${dir}/empty`], ['no scenario files', `${dir}/empty`]],
    ['render of a missing file', ['render', `${dir}/nope.yaml`], [`${dir}/nope.yaml`]],
    ['serve of a missing file', ['serve', `${dir}/nope.yaml`], [`${dir}/nope.yaml`]],
    ['explain --scenario of a missing file', ['explain', 'a.example.com/b:1', '--scenario', `${dir}/nope.yaml`], [`${dir}/nope.yaml`]],
    ['explain --root that is a file', ['explain', 'a.example.com/b:1', '--root', `${dir}/not-a-dir.txt`], [`--root ${dir}/not-a-dir.txt is not a readable directory`]],
    ['explain --root that does not exist', ['explain', 'a.example.com/b:1', '--root', `${dir}/missing`], [`--root ${dir}/missing is not a readable directory`]],
  ])('%s', async (_what, argv, mustContain) => {
    expectInputError(await cli(argv), ...mustContain);
  });
});

describe('malformed scenarios: exit 2 naming file, line and key', () => {
  it.each([
    ['unknown field', 'unknown-field.yaml', ['line 4', 'key pulls[0].expekt', "unknown field 'expekt'"]],
    ['invalid YAML', 'bad-yaml.yaml', ['line 3', 'invalid YAML']],
    ['missing name', 'no-name.yaml', ['line 1', "missing required field 'name'"]],
    ['wrong type', 'bad-tls.yaml', ['line 5', 'key registries.r.tls']],
    ['value outside its set', 'bad-result.yaml', ['line 4', 'pulls[0].expect.result']],
  ])('%s', async (_what, file, mustContain) => {
    for (const argv of [['run', `${dir}/${file}`], ['render', `${dir}/${file}`], ['explain', 'a.example.com/b:1', '--scenario', `${dir}/${file}`]]) {
      expectInputError(await cli(argv), `${dir}/${file}`, ...mustContain);
    }
  });

  it('one invalid file stops the whole run before any pull', async () => {
    const mixed = tempTree().write({
      'a-good.yaml': 'name: good\npulls:\n  - image: a.example.com/b:1\n',
      'b-bad.yaml': 'name: bad\nbogus: 1\npulls:\n  - image: a.example.com/b:1\n',
    });
    expectInputError(await cli(['run', mixed]), 'b-bad.yaml', "unknown field 'bogus'");
  });
});
