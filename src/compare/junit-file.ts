/**
 * `--junit FILE`, one testcase per image, written as the images stream by: cases go to a temporary
 * file, and FILE appears (by rename) only once the comparison finished, so bad input met halfway
 * leaves nothing half-written.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import type { ImageEntry } from './images-list.js';
import { JUNIT_FOOTER, junitCase, junitHeader, xml, type CompareReport, type ImageChange } from './report.js';

/** Text that needs no XML escaping (most image references): escaping it would copy it for nothing. */
const PLAIN = /^[^&<>"\u0000-\u001f]*$/;
const PASSING_TAIL = Buffer.from('"></testcase>\n');

export class JunitFile {
  private readonly body: string;
  private readonly staged: string;
  private readonly fd: number;
  private open = true;
  private cases = 0;
  /** Cases are encoded straight into this buffer: joining 100,000 small strings cost more than the comparing. */
  private readonly buffer = Buffer.allocUnsafe(1 << 18);
  private used = 0;
  /** An unchanged image's testcase up to its name, per suite: most images are unchanged. */
  private passing = { suite: '', head: Buffer.alloc(0) };

  constructor(private readonly path: string) {
    this.body = `${path}.${process.pid}.cases.tmp`;
    this.staged = `${path}.${process.pid}.tmp`;
    try {
      this.fd = openSync(this.body, 'w');
    } catch (e) {
      throw cannotWrite(path, e);
    }
  }

  add(suite: string, e: ImageEntry, change: ImageChange | null): void {
    this.cases++;
    const name = e.from ? `${e.image} (${e.from})` : e.image;
    if (change !== null) {
      this.text(junitCase(suite, e.image, change, name));
      return;
    }
    if (this.passing.suite !== suite || this.passing.head.length === 0) this.passing = { suite, head: Buffer.from(`    <testcase classname="${xml(suite)}" name="`) };
    const escaped = PLAIN.test(name) ? name : xml(name);
    const head = this.passing.head;
    if (this.used + head.length + escaped.length * 3 + PASSING_TAIL.length > this.buffer.length) this.flush();
    if (head.length + escaped.length * 3 + PASSING_TAIL.length > this.buffer.length) {
      this.text(`${head.toString()}${escaped}${PASSING_TAIL.toString()}`);
      return;
    }
    this.buffer.set(head, this.used);
    this.used += head.length;
    this.used += this.buffer.write(escaped, this.used);
    this.buffer.set(PASSING_TAIL, this.used);
    this.used += PASSING_TAIL.length;
  }

  private text(s: string): void {
    if (this.used + s.length * 3 > this.buffer.length) this.flush();
    if (s.length * 3 > this.buffer.length) writeSync(this.fd, s);
    else this.used += this.buffer.write(s, this.used);
  }

  private close(): void {
    if (this.open) closeSync(this.fd);
    this.open = false;
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  finish(r: CompareReport): void {
    this.flush();
    this.close();
    const out = openSync(this.staged, 'w');
    const inp = openSync(this.body, 'r');
    try {
      writeSync(out, junitHeader(r, this.cases));
      const buf = Buffer.alloc(1 << 16);
      for (let n; (n = readSync(inp, buf, 0, buf.length, null)) > 0; ) writeSync(out, buf, 0, n);
      writeSync(out, JUNIT_FOOTER);
    } finally {
      closeSync(inp);
      closeSync(out);
    }
    rmSync(this.body, { force: true });
    renameSync(this.staged, this.path);
  }

  abandon(): void {
    this.close();
    rmSync(this.body, { force: true });
    rmSync(this.staged, { force: true });
  }
}

function cannotWrite(path: string, e: unknown): InputError {
  return new InputError(`--junit ${path}: cannot write there (${(e as NodeJS.ErrnoException).code ?? 'unwritable'})`);
}

/** Writes a whole text to FILE by rename, so a reader never sees half of it. */
export function writeWhole(path: string, text: string): void {
  const staged = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(staged, text);
  } catch (e) {
    throw cannotWrite(path, e);
  }
  renameSync(staged, path);
}
