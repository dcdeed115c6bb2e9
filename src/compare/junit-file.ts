/**
 * `--junit FILE`, one testcase per image, written as the images stream by into a temporary file
 * that becomes FILE (by rename) only once the comparison finished, so bad input met halfway leaves
 * nothing half-written. The counts are known only at the end: the header is written first with
 * room for any count, then rewritten in place, its blanks before the tag's '>' keeping the length.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import type { ImageEntry } from './images-list.js';
import { JUNIT_FOOTER, junitCase, junitHeader, junitSuite, xml, type CompareReport, type ImageChange } from './report.js';

/** Text that needs no XML escaping and is ASCII (most image references): copied byte for byte. */
const PLAIN_ASCII = /^[^&<>"\u0000-\u001f\u0080-\uffff]*$/;
const PASSING_TAIL = Buffer.from('"></testcase>\n');
/** Counts of up to 20 digits each fit the header's room. */
const COUNT_ROOM = 40;

export class JunitFile {
  private readonly staged: string;
  private readonly fd: number;
  private readonly suite: string;
  private readonly reserved: number;
  private open = true;
  private cases = 0;
  /** Cases are encoded straight into this buffer: joining 100,000 small strings cost more than the comparing. */
  private readonly buffer = Buffer.allocUnsafe(1 << 18);
  private used = 0;
  /** An unchanged image's testcase up to its name: most images are unchanged. */
  private readonly passingHead: Buffer;

  constructor(
    private readonly path: string,
    old: string,
    nu: string,
  ) {
    this.staged = `${path}.${process.pid}.tmp`;
    this.suite = junitSuite(old, nu);
    this.passingHead = Buffer.from(`    <testcase classname="${xml(this.suite)}" name="`);
    try {
      this.fd = openSync(this.staged, 'w');
    } catch (e) {
      throw cannotWrite(path, e);
    }
    const room = junitHeader({ old, new: nu, counts: { breaks: 0 } as CompareReport['counts'] }, 0, COUNT_ROOM);
    this.reserved = Buffer.byteLength(room);
    this.text(room);
  }

  add(e: ImageEntry, change: ImageChange | null): void {
    this.cases++;
    const name = e.from ? `${e.image} (${e.from})` : e.image;
    if (change !== null) {
      this.text(junitCase(this.suite, e.image, change, name));
      return;
    }
    if (!PLAIN_ASCII.test(name)) {
      this.text(`${this.passingHead.toString()}${xml(name)}${PASSING_TAIL.toString()}`);
      return;
    }
    const head = this.passingHead;
    if (this.used + head.length + name.length + PASSING_TAIL.length > this.buffer.length) this.flush();
    if (head.length + name.length + PASSING_TAIL.length > this.buffer.length) {
      this.text(`${head.toString()}${name}${PASSING_TAIL.toString()}`);
      return;
    }
    this.buffer.set(head, this.used);
    this.used += head.length;
    this.used += this.buffer.write(name, this.used, 'latin1');
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
    try {
      this.text(JUNIT_FOOTER);
      this.flush();
      const plain = Buffer.from(junitHeader(r, this.cases));
      writeSync(this.fd, Buffer.from(junitHeader(r, this.cases, this.reserved - plain.length)), 0, this.reserved, 0);
    } finally {
      this.close();
    }
    renameSync(this.staged, this.path);
  }

  abandon(): void {
    this.close();
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
