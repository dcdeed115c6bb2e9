import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JunitFile } from '../../src/compare/junit-file.js';
import { emptyReport, type ImageChange } from '../../src/compare/report.js';

const broken: ImageChange = {
  image: 'reg.test/a:1',
  class: 'breaks',
  old: { failure: null, sources: ['reg.test/a:1'] },
  new: { failure: 'reg.test/a:1: every source is blocked', sources: [] },
  fields: [],
};

function written(images: string[], change?: ImageChange): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pullsim-junit-'));
  const path = join(dir, 'out.xml');
  const j = new JunitFile(path, 'old & tree', 'new');
  const r = emptyReport('old & tree', 'new', 'decisions', null);
  for (const image of images) j.add({ image }, null);
  if (change) {
    j.add({ image: change.image }, change);
    r.counts.breaks = 1;
  }
  j.finish(r);
  return { dir, text: readFileSync(path, 'utf8') };
}

describe('the streamed JUnit file', () => {
  it.each([
    ['plain references', 'quay.io/a/b:1', 'quay.io/a/b:1'],
    ['XML metacharacters escaped', 'x&<y>"', 'x&amp;&lt;y&gt;&quot;'],
    ['non-ASCII kept as UTF-8', 'reg.test/grüße', 'reg.test/grüße'],
    ['control characters dropped', 'a\u0001b', 'ab'],
  ])('%s', (_, image, shown) => {
    const { text } = written([image]);
    expect(text).toContain(`    <testcase classname="pullsim compare old &amp; tree → new" name="${shown}"></testcase>\n`);
  });

  it.each([0, 1, 9, 10, 12345])('counts %i cases in a header rewritten in place', (n) => {
    const { text, dir } = written(Array.from({ length: n }, (_, i) => `reg.test/app${i}:1`), broken);
    const header = text.split('\n')[2]!;
    expect(header).toMatch(new RegExp(`^  <testsuite name="pullsim compare old &amp; tree → new" tests="${n + 1}" failures="1" errors="0" *>$`));
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')).toBe(true);
    expect(text.endsWith('  </testsuite>\n</testsuites>\n')).toBe(true);
    expect(text.split('<testcase ').length - 1).toBe(n + 1);
    expect(text).toContain('<failure message="breaks: fails: reg.test/a:1: every source is blocked" type="breaks">');
    expect(readdirSync(dir)).toEqual(['out.xml']);
  });

  it('abandoned, leaves nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullsim-junit-'));
    const j = new JunitFile(join(dir, 'out.xml'), 'a', 'b');
    j.add({ image: 'quay.io/a' }, null);
    j.abandon();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'out.xml'))).toBe(false);
  });
});
