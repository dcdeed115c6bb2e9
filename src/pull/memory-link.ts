/**
 * A connection between pullsim's own client and a fake server of the same process, without the
 * kernel: each end is a stream that behaves as much like a connected net.Socket as the client
 * and node's HTTP and TLS servers look at (half-close off, bytesRead, timeouts, no-op socket
 * options). Over loopback TCP a pull spent about a quarter of its time in connect, write and
 * close calls whose outcome never varies; the bytes exchanged are the same either way.
 * Servers with socket-level faults (a reset, a cut response) are still dialled over TCP.
 */
import { channel } from 'node:diagnostics_channel';
import { Duplex } from 'node:stream';

/** Publishes `{ address, port }` for each connection made in memory, as node's `net.client.socket` does for TCP ones. */
export const MEMORY_LINK_CHANNEL = 'pullsim.memory-link';
const links = channel(MEMORY_LINK_CHANNEL);

export class MemorySocket extends Duplex {
  /** As net.Socket counts them: bytes the peer wrote to this end. */
  bytesRead = 0;
  bytesWritten = 0;
  readonly remoteAddress: string;
  readonly remotePort: number;
  private peer!: MemorySocket;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(remote: { address: string; port: number }) {
    super({ allowHalfOpen: false });
    this.remoteAddress = remote.address;
    this.remotePort = remote.port;
  }

  /** Two connected ends: [client, server]. `server` is the address the client dialled. */
  static pair(server: { address: string; port: number }): [MemorySocket, MemorySocket] {
    const client = new MemorySocket(server);
    const accepted = new MemorySocket({ address: server.address, port: 0 });
    client.peer = accepted;
    accepted.peer = client;
    if (links.hasSubscribers) links.publish({ address: server.address, port: server.port });
    return [client, accepted];
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.bytesWritten += chunk.length;
    this.touch();
    const peer = this.peer;
    // As on a socket, the peer reads the bytes in a later turn of the loop, after the writer's
    // callbacks and ticks (a response's 'finish' among them) have run.
    cb();
    setImmediate(() => {
      if (peer.destroyed) return;
      peer.bytesRead += chunk.length;
      peer.touch();
      peer.push(chunk);
    });
  }

  override _final(cb: (e?: Error | null) => void): void {
    const peer = this.peer;
    // Behind the bytes already on their way, as a FIN is.
    setImmediate(() => {
      if (!peer.destroyed) peer.push(null);
    });
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.clearIdle();
    const peer = this.peer;
    // The other end reads what was sent before, then sees the connection close and closes too.
    setImmediate(() => {
      if (peer.destroyed) return;
      peer.push(null);
      peer.destroy();
    });
    cb(err);
  }

  /** net.Socket.setTimeout: 'timeout' after ms without reads or writes; 0 turns it off. */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private touch(): void {
    this.clearIdle();
    if (this.idleMs > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
