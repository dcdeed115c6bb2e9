import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/index.js';
import { SCENARIO_LIMITS } from '../../src/scenario/limits.js';

const PULLS = 'pulls:\n  - image: a.example.com/b:1\n';

function inputError(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).format();
  }
  throw new Error('loaded');
}

/** An alias bomb: each level is a list of nine aliases to the level before. */
function aliasBomb(levels: number): string {
  const lines = ['      a: &a ["lol", "lol", "lol"]'];
  let prev = 'a';
  for (let i = 0; i < levels; i++) {
    lines.push(`      b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    prev = `b${i}`;
  }
  return `name: x\ncluster:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a, namespace: b }\n    data:\n${lines.join('\n')}\n${PULLS}`;
}

describe('scenario limits: input beyond them is one clear line, not a crash', () => {
  const deepFlow = (n: number) => `name: x\n${PULLS}cluster:\n  - ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const deepBlock = (n: number) => `name: x\n${PULLS}cluster:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')} v\n`;
  it.each([
    ['flow nesting far past the limit (880 levels)', deepFlow(880), 'line 5: maps and lists nest deeper here than a scenario may (at most 64 levels)'],
    ['flow nesting just past the limit', deepFlow(SCENARIO_LIMITS.depth), 'nest deeper here than a scenario may (at most 64 levels)'],
    ['block nesting past the limit', deepBlock(70), 'nest deeper here than a scenario may (at most 64 levels)'],
    ['an alias bomb in a cluster object', aliasBomb(9), 'key cluster[0]: YAML aliases here expand too far (more than 100 copies)'],
    ['more aliases than allowed', `name: x\nv: &v a.example.com/b:1\n${'x'.repeat(0)}pulls:\n${Array(101).fill('  - image: *v').join('\n')}\n`, 'the file uses 101 YAML aliases (*name); a scenario may use at most 100'],
    ['a name longer than a string may be', `name: ${'n'.repeat(5000)}\n${PULLS}`, 'key name: the value is 5000 characters; at most 4096 are accepted here'],
    ['a text larger than a file may be', `name: x\n${PULLS}description: ${'d'.repeat(SCENARIO_LIMITS.fileBytes)}\n`, 'bad.yaml: the file is'],
  ])('%s', (_what, source, message) => {
    expect(inputError(() => loadScenarioText(source, 'bad.yaml'))).toContain(message);
  });

  it('a file past the size limit is refused before it is read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pullsim-limits-')), 'big.yaml');
    writeFileSync(file, `name: ${'x'.repeat(SCENARIO_LIMITS.fileBytes)}\n${PULLS}`);
    expect(inputError(() => loadScenarioFile(file))).toMatch(new RegExp(`^${file}: the file is \\d+ bytes; a scenario file may hold at most ${SCENARIO_LIMITS.fileBytes}$`));
  });

  it.each([
    ['nesting at the limit', `name: x\n${PULLS}cluster:\n  - ${'['.repeat(SCENARIO_LIMITS.depth - 3)}${']'.repeat(SCENARIO_LIMITS.depth - 3)}\n`],
    ['a few aliases', `name: x\nv: &v a.example.com/b:1\npulls:\n  - image: *v\n  - image: *v\n`],
    ['long node file contents', `name: x\n${PULLS}node:\n  files:\n    /etc/containers/registries.conf: "${'#'.repeat(100_000)}"\n`],
  ])('%s is accepted', (_what, source) => {
    try {
      loadScenarioText(source, 'ok.yaml');
    } catch (e) {
      expect((e as InputError).format()).not.toMatch(/nest deeper|aliases|characters/);
    }
  });
});
