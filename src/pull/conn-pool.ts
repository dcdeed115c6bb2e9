/**
 * Go's http.Transport idle-connection pool for one Transport (c/i builds one per registry
 * client): a connection whose response was read to its end, and which neither side asked to
 * close, waits here for the next request to the same scheme, host and port. A connection the
 * server closes (or writes to) while idle leaves the pool at once.
 */
import type net from 'node:net';
import type tls from 'node:tls';
import type { MemorySocket } from './memory-link.js';

export interface ConnState {
  /** The connection died with ECONNRESET/EPIPE (Go: "read: connection reset by peer"). */
  reset: boolean;
  /** ip:port as Go prints it in read errors. */
  local: string;
  remote: string;
}

/** A TCP socket, or the client end of an in-process connection to a fake server. */
export type RawSocket = net.Socket | MemorySocket;

export interface Conn {
  raw: RawSocket;
  stream: RawSocket | tls.TLSSocket;
  state: ConnState;
  /** Sent ahead of the first request: a connection whose handshake is already known says so (handshake-memo.ts). */
  preface?: string;
}

/** http.DefaultMaxIdleConnsPerHost. */
const MAX_IDLE_PER_KEY = 2;
/**
 * How long an unused connection is kept. Go keeps one 90 s (c/i's IdleConnTimeout), but nothing
 * a pull reports depends on it, and a run of thousands of pulls must not hold thousands of sockets.
 */
export const IDLE_TIMEOUT_MS = 1000;

interface Idle {
  conn: Conn;
  release: () => void;
}

export function destroyConn(conn: Conn): void {
  conn.stream.destroy();
  conn.raw.destroy();
}

export class IdleConnPool {
  private readonly idle = new Map<string, Idle[]>();

  constructor(private readonly idleTimeoutMs = IDLE_TIMEOUT_MS) {}

  /** The most recently used live idle connection for key, now owned by the caller. */
  take(key: string): Conn | undefined {
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const { conn, release } = list.pop()!;
      release();
      if (list.length === 0) this.idle.delete(key);
      if (usable(conn)) {
        conn.raw.ref();
        return conn;
      }
      destroyConn(conn);
    }
    return undefined;
  }

  /** Parks a connection whose exchange ended cleanly; call it synchronously when the response completes. */
  put(key: string, conn: Conn): void {
    if (!usable(conn)) return destroyConn(conn);
    let list = this.idle.get(key);
    if (!list) this.idle.set(key, (list = []));
    if (list.length >= MAX_IDLE_PER_KEY) {
      const oldest = list.shift()!;
      oldest.release();
      destroyConn(oldest.conn);
    }
    const { stream } = conn;
    const gone = () => {
      const at = list.findIndex((i) => i.conn === conn);
      if (at >= 0) {
        list.splice(at, 1);
        entry.release();
        if (list.length === 0 && this.idle.get(key) === list) this.idle.delete(key);
      }
      destroyConn(conn);
    };
    // Bytes while idle are an unsolicited response: Go closes such a connection too.
    stream.on('data', gone);
    stream.on('end', gone);
    stream.on('close', gone);
    stream.on('error', gone);
    const timer = setTimeout(gone, this.idleTimeoutMs);
    timer.unref();
    conn.raw.unref();
    const entry: Idle = {
      conn,
      release: () => {
        clearTimeout(timer);
        stream.removeListener('data', gone);
        stream.removeListener('end', gone);
        stream.removeListener('close', gone);
        stream.removeListener('error', gone);
      },
    };
    list.push(entry);
  }

  /** http.Transport.CloseIdleConnections. */
  closeIdle(): void {
    for (const list of this.idle.values()) {
      for (const { conn, release } of list) {
        release();
        destroyConn(conn);
      }
    }
    this.idle.clear();
  }

  /** Idle connections held, for tests. */
  size(key?: string): number {
    if (key !== undefined) return this.idle.get(key)?.length ?? 0;
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }
}

function usable(conn: Conn): boolean {
  const s = conn.stream;
  return !s.destroyed && s.readable && s.writable && !conn.raw.destroyed;
}
