/**
 * Configuration loaded from a node's files, kept across pulls: each pull builds its own
 * PullContext (as each real tool invocation loads registries.conf and policy.json again), but a
 * load is a pure function of the files it read. A kept result is reused only while every
 * filesystem answer it depended on is still the same, so a changed file is loaded again.
 */
import { StackError } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';

type FsAnswer =
  | { op: 'read'; path: string; value: string | undefined }
  | { op: 'readBytes'; path: string; value: Uint8Array | undefined }
  | { op: 'source'; path: string; value: string | Uint8Array | undefined }
  | { op: 'exists' | 'isDir'; path: string; value: boolean }
  | { op: 'list'; path: string; value: string[] };

interface Kept {
  answers: FsAnswer[];
  /** The filesystem's generation when the answers were last found the same. */
  generation: number | undefined;
  result: { value: unknown } | { error: StackError };
}

const kept = new WeakMap<NodeFS, Map<string, Kept>>();

/** A NodeFS that notes every answer it gives. */
function recording(fs: NodeFS, answers: FsAnswer[]): NodeFS {
  const rec: NodeFS = {
    read: (path) => {
      const value = fs.read(path);
      answers.push({ op: 'read', path, value });
      return value;
    },
    exists: (path) => {
      const value = fs.exists(path);
      answers.push({ op: 'exists', path, value });
      return value;
    },
    isDir: (path) => {
      const value = fs.isDir(path);
      answers.push({ op: 'isDir', path, value });
      return value;
    },
    list: (path) => {
      const value = fs.list(path);
      answers.push({ op: 'list', path, value });
      return value;
    },
  };
  if (fs.readBytes) {
    const readBytes = fs.readBytes.bind(fs);
    rec.readBytes = (path) => {
      const value = readBytes(path);
      answers.push({ op: 'readBytes', path, value });
      return value;
    };
  }
  if (fs.source) {
    const source = fs.source.bind(fs);
    rec.source = (path) => {
      const value = source(path);
      answers.push({ op: 'source', path, value });
      return value;
    };
  }
  return rec;
}

/** Bytes compared in place: a copy of registries.conf per check was most of a 100,000-image compare's time. */
function sameContent(a: string | Uint8Array | undefined, b: string | Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function stillSame(fs: NodeFS, answers: readonly FsAnswer[]): boolean {
  for (const a of answers) {
    switch (a.op) {
      case 'read':
        if (fs.read(a.path) !== a.value) return false;
        break;
      case 'readBytes':
        if (!sameContent(fs.readBytes?.(a.path), a.value)) return false;
        break;
      case 'source':
        if (!sameContent(fs.source?.(a.path), a.value)) return false;
        break;
      case 'exists':
        if (fs.exists(a.path) !== a.value) return false;
        break;
      case 'isDir':
        if (fs.isDir(a.path) !== a.value) return false;
        break;
      case 'list': {
        const now = fs.list(a.path);
        if (now.length !== a.value.length || now.some((n, i) => n !== a.value[i])) return false;
      }
    }
  }
  return true;
}

/**
 * `load(fs)` for this node, or what it returned (or threw, a StackError) the last time for the
 * same key while the files it read are unchanged. `key` names the loader and every other input.
 */
export function loadKept<T>(fs: NodeFS, key: string, load: (fs: NodeFS) => T): T {
  let byKey = kept.get(fs);
  if (!byKey) kept.set(fs, (byKey = new Map()));
  let k = byKey.get(key);
  const generation = fs.generation;
  // An unchanged generation answers without a read: compare checks its config once per image.
  if (k && ((generation !== undefined && k.generation === generation) || stillSame(fs, k.answers))) k.generation = generation;
  else {
    const answers: FsAnswer[] = [];
    let result: Kept['result'];
    try {
      result = { value: load(recording(fs, answers)) };
    } catch (e) {
      if (!(e instanceof StackError)) throw e;
      result = { error: e };
    }
    byKey.set(key, (k = { answers, result, generation }));
  }
  if ('error' in k.result) throw k.result.error;
  return k.result.value as T;
}
