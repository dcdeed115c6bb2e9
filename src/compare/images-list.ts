/**
 * `--images FILE`: the images a cluster runs. A plain list (one reference per line, `#` comments)
 * is read line by line, so memory stays flat however many images it holds; Kubernetes YAML or JSON
 * (`oc get pods -A -o yaml`, Deployments, DaemonSets, StatefulSets, Jobs, CronJobs, `kind: List`)
 * gives every container, init container and ephemeral container with its namespace,
 * ServiceAccount and imagePullSecrets.
 */
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError, text } from '../errors/index.js';
import { describeGitSpec, gitFiles, isGitSpec, resolveTreeSpec } from './git-tree.js';

export interface ImageEntry {
  image: string;
  namespace?: string;
  serviceAccount?: string;
  pullSecrets?: string[];
  /** "Deployment team/web, init container migrate": where the image was found. */
  from?: string;
}

/** The key a pod's secrets are kept under: its namespace, ServiceAccount and secret list. */
export function secretsKey(e: ImageEntry): string {
  return JSON.stringify([e.namespace, e.serviceAccount, e.pullSecrets]);
}

function looksLikeKubernetes(name: string, firstLine: string): boolean {
  if (['.yaml', '.yml', '.json'].includes(extname(name))) return true;
  return /^(\{|\[|apiVersion:|kind:|items:|---)/.test(firstLine);
}

function firstContentLine(text: string): string {
  for (const l of text.split('\n', 50)) if (l.trim() !== '' && !l.trim().startsWith('#')) return l.trim();
  return '';
}

function plainLine(raw: string): string | undefined {
  const hash = raw.indexOf('#');
  const t = (hash === -1 ? raw : raw.slice(0, hash)).trim();
  return t === '' ? undefined : t;
}

/** Characters that make a line need plainLine's work: a comment, or blanks or a CR to trim. */
const NEEDS_TRIM = /[#\t\v\f\r ]/;

/** `ascii`: the text is known to hold only ASCII (so no Unicode blank that trim() would remove). */
function plainLines(text: string, out: ImageEntry[], ascii = !NON_ASCII.test(text)): ImageEntry[] {
  // Most lists are bare references, one per LF line: split them without a pattern or a trim.
  const simple = ascii && !NEEDS_TRIM.test(text);
  for (const l of simple ? text.split('\n') : text.split(LINE_END)) {
    const image = simple ? (l === '' ? undefined : l) : plainLine(l);
    if (image !== undefined) out.push({ image });
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Reads the images of FILE (a path, `-` is not accepted, or a `git:REV:PATH`), streaming plain lists from disk. */
export async function* readImages(spec: string): AsyncGenerator<ImageEntry> {
  for await (const batch of readImageBatches(spec)) yield* batch;
}

/** readImages a batch at a time: a plain list one chunk of the file per batch, so 100,000 lines are not 100,000 awaits. */
export async function* readImageBatches(spec: string): AsyncGenerator<ImageEntry[]> {
  const canonical = resolveTreeSpec(spec, process.cwd());
  if (isGitSpec(canonical)) {
    const shown = describeGitSpec(canonical);
    const found = gitFiles(canonical);
    if (found?.kind !== 'file') throw new InputError(`--images ${shown}: no such file in that revision`);
    const content = found.entries[0].content.toString('utf8');
    yield looksLikeKubernetes(canonical, firstContentLine(content)) ? (await import('./workload-images.js')).kubernetesImages(content, shown) : plainLines(content, []);
    return;
  }
  let head: string;
  try {
    const fd = openSync(canonical, 'r');
    try {
      const buf = Buffer.alloc(4096);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new InputError(`--images ${spec}: ${text('scenario.read', (e as NodeJS.ErrnoException).code ?? 'unreadable')}`);
  }
  // Kubernetes documents are parsed whole (a YAML document has no streaming parser here); lists stream.
  // The YAML reader is loaded only for them.
  if (looksLikeKubernetes(canonical, firstContentLine(head))) {
    yield (await import('./workload-images.js')).kubernetesImages(readFileSync(canonical, 'utf8'), spec);
    return;
  }
  yield* plainList(canonical);
}

/**
 * A plain list read in 32 KiB chunks: a line ends at LF, CR or CRLF (an empty line between CR and
 * LF is skipped like any blank line). Cheaper than readline's event per line at 100,000 lines.
 * Read synchronously: a local file's chunk is there at once, and each asynchronous read cost a
 * round trip through the thread pool while the loop sat idle.
 */
async function* plainList(path: string): AsyncGenerator<ImageEntry[]> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 15);
    let kept = 0;
    for (let n; (n = readSync(fd, buf, kept, buf.length - kept, null)) > 0; ) {
      const filled = kept + n;
      // A line break byte never occurs inside a UTF-8 sequence: decode up to the last one, keep the rest.
      let end = filled - 1;
      while (end >= 0 && buf[end] !== 0x0a && buf[end] !== 0x0d) end--;
      if (end >= 0) yield chunkLines(buf, end);
      kept = filled - end - 1;
      if (kept === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
      else buf.copyWithin(0, end + 1, filled);
    }
    yield chunkLines(buf, kept);
  } finally {
    closeSync(fd);
  }
}

const LINE_END = /[\r\n]/;

/** The lines of the first `end` bytes: an ASCII chunk (the usual list) decodes as latin1, cheaper than UTF-8 and the same text. */
function chunkLines(buf: Buffer, end: number): ImageEntry[] {
  const bytes = buf.subarray(0, end);
  const ascii = isAscii(bytes);
  return plainLines(bytes.toString(ascii ? 'latin1' : 'utf8'), [], ascii);
}
