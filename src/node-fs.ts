import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareBytewise } from './byte-order.js';
import { InputError, text } from './errors/index.js';

/**
 * The node's filesystem as the emulator sees it. Config loading and resolution read only
 * through this interface, so they never touch the real /etc and stay pure and fast.
 * Paths are absolute POSIX paths on the emulated node.
 */
export interface NodeFS {
  /** File content as UTF-8, or undefined when there is no regular file at that path. */
  read(p: string): string | undefined;
  /** Raw bytes, for binary files (OpenPGP signatures and keys). A filesystem without it holds binary files as latin1 text. */
  readBytes?(p: string): Uint8Array | undefined;
  /** True for a file or a directory. */
  exists(p: string): boolean;
  isDir(p: string): boolean;
  /** Names (not paths) of the entries of a directory, sorted bytewise like Go's os.ReadDir; [] when absent. */
  list(dir: string): string[];
  /**
   * The file as it is held: bytes when it came from disk, text when a scenario wrote it. Go's
   * parsers name an undecodable byte, which a decoded string would already have hidden.
   */
  source?(p: string): string | Uint8Array | undefined;
  /**
   * Changes with every write: equal values mean every answer is the same as before, so a kept load
   * need not read its files again. Absent when the filesystem cannot tell (a tree on disk).
   */
  readonly generation?: number;
}

/** A node file's content: text written by a scenario, or bytes read from a tree on disk. */
export type NodeFileContent = string | Uint8Array;

/** A node file as text; bytes decode as UTF-8 (invalid sequences read as U+FFFD, as Go's JSON decoder reads them). */
export function nodeFileText(content: NodeFileContent): string {
  return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}

export function normalizeNodePath(p: string): string {
  const n = path.posix.normalize(p.startsWith('/') ? p : `/${p}`);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** A node filesystem held in memory: files by path; directories are implied by the paths below them. */
export class MemoryFS implements NodeFS {
  private readonly files = new Map<string, NodeFileContent>();
  private readonly dirs = new Map<string, Set<string>>();
  private writes = 0;

  get generation(): number {
    return this.writes;
  }

  constructor(files: Record<string, NodeFileContent> | Map<string, NodeFileContent> = {}) {
    const entries = files instanceof Map ? files.entries() : Object.entries(files);
    for (const [p, content] of entries) this.write(p, content);
  }

  write(p: string, content: NodeFileContent): void {
    const n = normalizeNodePath(p);
    this.writes++;
    this.files.set(n, content);
    let child = n;
    while (child !== '/') {
      const parent = path.posix.dirname(child);
      let set = this.dirs.get(parent);
      if (!set) this.dirs.set(parent, (set = new Set()));
      set.add(path.posix.basename(child));
      child = parent;
    }
  }

  /** Declares an empty directory (an existing certs.d/<host> directory shadows later ones even when empty). */
  mkdir(p: string): void {
    const n = normalizeNodePath(p);
    this.writes++;
    if (!this.dirs.has(n)) this.dirs.set(n, new Set());
    if (n !== '/') {
      const parent = path.posix.dirname(n);
      this.mkdir(parent);
      this.dirs.get(parent)!.add(path.posix.basename(n));
    }
  }

  read(p: string): string | undefined {
    const content = this.files.get(normalizeNodePath(p));
    return content === undefined ? undefined : nodeFileText(content);
  }

  /** Bytes as held; text is taken one char per byte (latin1), the form binary files written as text use. */
  readBytes(p: string): Uint8Array | undefined {
    const content = this.files.get(normalizeNodePath(p));
    return typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'latin1')) : content;
  }

  source(p: string): NodeFileContent | undefined {
    return this.files.get(normalizeNodePath(p));
  }

  exists(p: string): boolean {
    const n = normalizeNodePath(p);
    return this.files.has(n) || this.dirs.has(n);
  }

  isDir(p: string): boolean {
    return this.dirs.has(normalizeNodePath(p));
  }

  list(dir: string): string[] {
    const set = this.dirs.get(normalizeNodePath(dir));
    return set ? [...set].sort(compareBytewise) : [];
  }

  paths(): string[] {
    return [...this.files.keys()].sort(compareBytewise);
  }
}

/** Linux follows at most 40 symlinks in one lookup before ELOOP. */
const MAX_LINKS = 40;

/**
 * A real folder laid out like the node's `/` (`--root DIR`, `node.root`): the one reader of a
 * node tree on disk, so every command sees the same files. Symlinks are followed as the node
 * would follow them: a relative target from the link's folder, an absolute one from the node's
 * `/` (a target written as a path inside the folder on this machine is taken as that place).
 * A link that climbs above the root, or a chain of more than 40 links, is bad input naming the link.
 */
export class DiskFS implements NodeFS {
  private readonly realRoot: string;

  constructor(private readonly root: string) {
    this.realRoot = fs.realpathSync(root);
  }

  /** Where node path `p` is on this machine, every symlink resolved inside the root; undefined when missing. */
  private host(p: string): string | undefined {
    const rest = normalizeNodePath(p).split('/').filter(Boolean);
    let done: string[] = [];
    let links = 0;
    while (rest.length > 0) {
      const name = rest.shift()!;
      if (name === '.') continue;
      if (name === '..') {
        done.pop();
        continue;
      }
      const hostPath = path.join(this.realRoot, ...done, name);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(hostPath);
      } catch {
        return undefined;
      }
      if (!st.isSymbolicLink()) {
        done.push(name);
        continue;
      }
      const link = `/${[...done, name].join('/')}`;
      if (++links > MAX_LINKS) throw new InputError(text('node-root.link-loop', link), this.root);
      const target = fs.readlinkSync(hostPath);
      const inside = target.startsWith(`${this.realRoot}/`) ? target.slice(this.realRoot.length) : target;
      const parts = inside.split('/').filter((s) => s !== '' && s !== '.');
      if (inside.startsWith('/')) done = [];
      else {
        let depth = done.length;
        for (const part of parts) {
          depth += part === '..' ? -1 : 1;
          if (depth < 0) throw new InputError(text('node-root.link-escapes', link, target), this.root);
        }
      }
      rest.unshift(...parts);
    }
    return path.join(this.realRoot, ...done);
  }

  private stat(p: string): fs.Stats | undefined {
    const h = this.host(p);
    if (h === undefined) return undefined;
    try {
      return fs.statSync(h);
    } catch {
      return undefined;
    }
  }

  read(p: string): string | undefined {
    const bytes = this.readBytes(p);
    return bytes && Buffer.from(bytes).toString('utf8');
  }

  readBytes(p: string): Uint8Array | undefined {
    if (!this.stat(p)?.isFile()) return undefined;
    try {
      return new Uint8Array(fs.readFileSync(this.host(p)!));
    } catch {
      return undefined;
    }
  }

  source(p: string): NodeFileContent | undefined {
    return this.readBytes(p);
  }

  exists(p: string): boolean {
    return this.stat(p) !== undefined;
  }

  isDir(p: string): boolean {
    return this.stat(p)?.isDirectory() ?? false;
  }

  list(dir: string): string[] {
    if (!this.isDir(dir)) return [];
    try {
      return fs.readdirSync(this.host(dir)!).sort(compareBytewise);
    } catch {
      return [];
    }
  }

  /**
   * Every regular file of the tree by node path, as the node sees them: a file reachable through
   * two links appears under both paths; a folder that links back to one of its parents is walked once.
   */
  files(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    this.walk((p) => {
      const bytes = this.readBytes(p);
      if (bytes) out.set(p, bytes);
    });
    return out;
  }

  /** Walks the whole tree without reading a file: a link that leaves the root or loops fails here, before anything runs. */
  check(): void {
    this.walk(() => undefined);
  }

  private walk(onFile: (p: string) => void): void {
    const visit = (dir: string, parents: Set<string>): void => {
      const real = fs.realpathSync(this.host(dir)!);
      if (parents.has(real)) return;
      const inner = new Set(parents).add(real);
      for (const name of this.list(dir)) {
        const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
        if (this.isDir(p)) visit(p, inner);
        else onFile(p);
      }
    };
    visit('/', new Set());
  }
}
