import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareBytewise } from './byte-order.js';

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
}

export function normalizeNodePath(p: string): string {
  const n = path.posix.normalize(p.startsWith('/') ? p : `/${p}`);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** A node filesystem held in memory: files by path; directories are implied by the paths below them. */
export class MemoryFS implements NodeFS {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(files: Record<string, string> | Map<string, string> = {}) {
    const entries = files instanceof Map ? files.entries() : Object.entries(files);
    for (const [p, content] of entries) this.write(p, content);
  }

  write(p: string, content: string): void {
    const n = normalizeNodePath(p);
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
    if (!this.dirs.has(n)) this.dirs.set(n, new Set());
    if (n !== '/') {
      const parent = path.posix.dirname(n);
      this.mkdir(parent);
      this.dirs.get(parent)!.add(path.posix.basename(n));
    }
  }

  read(p: string): string | undefined {
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

/**
 * A real folder laid out like the node's `/` (`--root DIR`). This is the I/O edge: everything it
 * reads is then handled by the pure loaders. It never follows a path outside the root.
 */
export class DiskFS implements NodeFS {
  constructor(private readonly root: string) {}

  private real(p: string): string {
    return path.join(this.root, normalizeNodePath(p));
  }

  read(p: string): string | undefined {
    try {
      const st = fs.statSync(this.real(p));
      return st.isFile() ? fs.readFileSync(this.real(p), 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  readBytes(p: string): Uint8Array | undefined {
    try {
      const st = fs.statSync(this.real(p));
      return st.isFile() ? new Uint8Array(fs.readFileSync(this.real(p))) : undefined;
    } catch {
      return undefined;
    }
  }

  exists(p: string): boolean {
    return fs.existsSync(this.real(p));
  }

  isDir(p: string): boolean {
    try {
      return fs.statSync(this.real(p)).isDirectory();
    } catch {
      return false;
    }
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(this.real(dir)).sort(compareBytewise);
    } catch {
      return [];
    }
  }
}
