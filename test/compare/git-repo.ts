/** A temporary git repository for compare's tests: files written, committed, changed in the working tree. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

export interface TempRepo {
  dir: string;
  write(files: Record<string, string | null>): void;
  commit(message: string): string;
  git(...args: string[]): string;
}

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-git-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  return {
    dir,
    git,
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const p = join(dir, rel);
        if (content === null) rmSync(p, { force: true });
        else {
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, content);
        }
      }
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
  };
}
