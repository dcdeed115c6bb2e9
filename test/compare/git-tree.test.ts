import { describe, expect, it } from 'vitest';
import { gitFiles, resolveTreeSpec } from '../../src/compare/git-tree.js';
import { tempRepo } from './git-repo.js';

const repo = tempRepo();
repo.write({ 'node/etc/containers/registries.conf': 'old\n', 'node/etc/containers/policy.json': '{}\n', 'm/a.yaml': 'x: 1\n' });
const first = repo.commit('base');
repo.write({ 'node/etc/containers/registries.conf': 'new\n', 'node/etc/extra.conf': 'only here\n' });

describe('git:REV[:PATH] reads the revision, not the working tree', () => {
  it.each([
    ['a folder at HEAD', 'git:HEAD:node', { kind: 'tree', files: { 'etc/containers/policy.json': '{}\n', 'etc/containers/registries.conf': 'old\n' } }],
    ['a folder at a commit id', `git:${first}:node`, { kind: 'tree', files: { 'etc/containers/policy.json': '{}\n', 'etc/containers/registries.conf': 'old\n' } }],
    ['one file', 'git:HEAD:m/a.yaml', { kind: 'file', files: { '': 'x: 1\n' } }],
    ['a path missing in that revision', 'git:HEAD:node/etc/extra.conf', undefined],
  ])('%s', (_what, spec, want) => {
    const got = gitFiles(resolveTreeSpec(spec, repo.dir));
    expect(got && { kind: got.kind, files: Object.fromEntries(got.entries.map((e) => [e.path, e.content.toString()])) }).toEqual(want);
  });

  it('leaves the working tree and index as they were', () => {
    const before = repo.git('status', '--porcelain');
    gitFiles(resolveTreeSpec('git:HEAD:node', repo.dir));
    expect(repo.git('status', '--porcelain')).toBe(before);
    expect(before).toContain('registries.conf');
  });

  it.each([
    ['an unknown revision', 'git:no-such-branch:node', 'unknown revision "no-such-branch"'],
    ['no revision', 'git::node', 'no revision'],
  ])('refuses %s with one line', (_what, spec, message) => {
    expect(() => gitFiles(resolveTreeSpec(spec, repo.dir))).toThrow(message);
  });
});
