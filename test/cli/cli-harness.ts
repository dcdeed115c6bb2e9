/** Runs the CLI in-process with captured output, and writes scenario trees to temp folders. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], isTTY = false): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), isTTY });
  return { code, stdout, stderr };
}

/** A temp folder removed after the file's tests; `write` lays out relative paths inside it. */
export function tempTree(): { dir: string; write: (files: Record<string, string>) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const p = join(dir, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
      return dir;
    },
  };
}
