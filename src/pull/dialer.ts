/**
 * The seam between the pull client and the fake network. The client never resolves a name or
 * opens a socket to anything but what a Dialer returns, and a Dialer only ever returns loopback
 * addresses: that is how "loopback only" holds whatever a scenario names.
 */
import type { MemorySocket } from './memory-link.js';

export type DialResult =
  /** A fake server listens: connect to address:port (always 127.0.0.0/8 or ::1). `ip` is what the name resolved to on the emulated node. */
  | {
      ok: true;
      address: string;
      port: number;
      ip: string;
      /**
       * Set by a fake HTTPS server that presents one chain to every client and asks nothing of
       * it: a connection whose handshake the client already made with the same outcome may
       * open with `verifiedPreface(verifiedTls)` instead of a handshake (see handshake-memo.ts).
       */
      verifiedTls?: string;
      /**
       * Set by a fake server of this process without socket faults: it takes the server end of a
       * MemorySocket pair as a connection, so the client need not go through the kernel.
       */
      attach?: (server: MemorySocket) => void;
    }
  /** The name resolves but nothing listens: Go prints `dial tcp <ip>:<port>: connect: connection refused`. */
  | { ok: false; error: 'refused'; ip: string; port: number }
  /** The name does not resolve: Go prints `dial tcp: lookup <host>: no such host`. */
  | { ok: false; error: 'nxdomain'; host: string };

export interface Dialer {
  /** host is a DNS name or IP literal as written in the URL (without brackets), port the TCP port. */
  dial(host: string, port: number): DialResult;
}

/**
 * The emulated node's own addresses, the local end of its connections (Go prints it in
 * `read tcp LOCAL->REMOTE: …`): a connection to loopback comes from 127.0.0.1 (or ::1) as on a
 * real node, any other from these. Never derived from pullsim's own sockets, whose loopback
 * address and kernel-chosen port are the emulator's internals (docs/scenario-format.md "Addresses").
 */
export const NODE_ADDRESS = '10.77.0.1';
export const NODE_ADDRESS_V6 = 'fd00:77::1';
/** The node's local ports, one per connection in the order a client opens them: the start of Linux's default ip_local_port_range. */
export const FIRST_LOCAL_PORT = 32768;

/** The node's source address for a connection to remoteIp (an address as the node sees it). */
export function nodeLocalAddress(remoteIp: string): string {
  if (isLoopbackAddress(remoteIp)) return remoteIp.includes(':') ? '::1' : '127.0.0.1';
  return remoteIp.includes(':') ? NODE_ADDRESS_V6 : NODE_ADDRESS;
}

const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK_V4.test(address) || address === '::1';
}
