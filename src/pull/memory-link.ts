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
  /** Sent, not yet read by the peer, in order. */
  private inFlight: (Buffer | 'end' | 'close')[] = [];

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
    this.carry(chunk);
    cb();
  }

  /** A corked response (status line, headers, body) goes over as one read, as one writev does. */
  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    this.carry(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)));
    cb();
  }

  private carry(data: Buffer): void {
    this.bytesWritten += data.length;
    this.touch();
    this.send(data);
  }

  override _final(cb: (e?: Error | null) => void): void {
    // Behind the bytes already on their way, as a FIN is.
    this.send('end');
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.clearIdle();
    // The other end reads what was sent before, then sees the connection close and closes too.
    this.send('close');
    cb(err);
  }

  /**
   * Queues for the peer, which takes the queue in a later turn of the loop, after this side's
   * callbacks and ticks (a response's 'finish' among them) have run, as a socket's reader does.
   */
  private send(what: Buffer | 'end' | 'close'): void {
    this.inFlight.push(what);
    if (this.inFlight.length === 1) setImmediate(this.deliver);
  }

  private readonly deliver = (): void => {
    const peer = this.peer;
    const queue = this.inFlight;
    this.inFlight = [];
    for (const what of queue) {
      if (peer.destroyed) return;
      if (what === 'close') {
        peer.push(null);
        peer.destroy();
      } else if (what === 'end') peer.push(null);
      else {
        peer.bytesRead += what.length;
        peer.touch();
        peer.push(what);
      }
    }
  };

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
