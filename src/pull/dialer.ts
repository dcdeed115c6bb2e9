/**
 * The seam between the pull client and the fake network. The client never resolves a name or
 * opens a socket to anything but what a Dialer returns, and a Dialer only ever returns loopback
 * addresses: that is how "loopback only" holds whatever a scenario names.
 */
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
    }
  /** The name resolves but nothing listens: Go prints `dial tcp <ip>:<port>: connect: connection refused`. */
  | { ok: false; error: 'refused'; ip: string; port: number }
  /** The name does not resolve: Go prints `dial tcp: lookup <host>: no such host`. */
  | { ok: false; error: 'nxdomain'; host: string };

export interface Dialer {
  /** host is a DNS name or IP literal as written in the URL (without brackets), port the TCP port. */
  dial(host: string, port: number): DialResult;
}

const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK_V4.test(address) || address === '::1';
}
