import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { collectScenarioFiles } from '../../src/scenario/index.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-collect-'));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'name: x\n');
  }
  return dir;
}

describe('folders are walked for scenario files in bytewise order', () => {
  const dir = tree([
    'b/02-second.yaml',
    'b/10-tenth.yml',
    'a/z.yaml',
    'B-upper.yaml',
    'README.md',
    'README.yaml',
    'notes.txt',
    'a/deep/er/x.yaml',
    '.hidden/skip.yaml',
    'a/.skip.yaml',
    'é.yaml',
  ]);

  it('recursively, *.yaml and *.yml only, READMEs and hidden entries skipped', () => {
    expect(collectScenarioFiles([dir]).map((f) => f.slice(dir.length + 1))).toEqual([
      'B-upper.yaml',
      'a/deep/er/x.yaml',
      'a/z.yaml',
      'b/02-second.yaml',
      'b/10-tenth.yml',
      'é.yaml',
    ]);
  });

  it('files given by name are kept in argument order, whatever their extension, and not repeated', () => {
    const notes = join(dir, 'notes.txt');
    const z = join(dir, 'a/z.yaml');
    expect(collectScenarioFiles([notes, join(dir, 'a'), z])).toEqual([notes, join(dir, 'a/deep/er/x.yaml'), z]);
  });

  it('follows a symlinked folder', () => {
    const outer = mkdtempSync(join(tmpdir(), 'pullsim-collect-'));
    symlinkSync(join(dir, 'b'), join(outer, 'linked'));
    expect(collectScenarioFiles([outer])).toEqual([join(outer, 'linked/02-second.yaml'), join(outer, 'linked/10-tenth.yml')]);
  });
});

describe('a path that does not exist', () => {
  it('is an InputError naming it', () => {
    try {
      collectScenarioFiles(['/nonexistent/scenarios']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).format()).toBe('/nonexistent/scenarios: no such file or folder: /nonexistent/scenarios');
    }
  });
});

describe('a folder symlink that loops is walked once, by real path', () => {
  it.each([
    ['up -> ..', 'inner/up', '..'],
    ['self -> .', 'self', '.'],
  ])('%s: each file once, and the walk ends', (_what, link, target) => {
    const dir = tree(['inner/a.yaml', 'b.yaml']);
    symlinkSync(target, join(dir, link));
    expect(collectScenarioFiles([dir])).toEqual([join(dir, 'b.yaml'), join(dir, 'inner/a.yaml')]);
  });

  it('a file reached through two links runs once', () => {
    const dir = tree(['a/x.yaml']);
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    expect(collectScenarioFiles([dir])).toEqual([join(dir, 'a/x.yaml')]);
  });
});
