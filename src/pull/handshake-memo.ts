/**
 * Handshakes already made. A TLS handshake's outcome is a function of the server's chain, the
 * client's trust settings and the name it asks for, nothing else: once a server that always
 * presents the same chain (and asks nothing of the client) has passed a full handshake with the
 * same settings and name, another connection to it has the same outcome, bar the clock, which
 * the trust store's verification checks again. Such a server says so with a token in its dial
 * result, and takes a connection announced by `verifiedPreface(token)` as one whose handshake
 * is done: the HTTP exchanges on it are the ones a TLS connection would carry. A plain HTTP
 * server has a token too: what it answers a handshake with (an HTTP response, or bytes that
 * are no TLS record) is the same every time, and so is the error Go words from them.
 */
import type tls from 'node:tls';
import type { TransportError } from '../errors/index.js';
import type { TrustStore } from './tls-trust.js';

/** Above this many entries the memo starts over: a long run-many meets new labs, not old ones again. */
const MAX_ENTRIES = 2048;

const ids = new WeakMap<object, number>();
let nextId = 0;

function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++nextId));
  return id;
}

/** Everything a handshake's outcome depends on, the server's chain standing as its token. */
export interface HandshakeInputs {
  serverToken: string;
  trust: TrustStore;
  secureContext: tls.SecureContext;
  serverName: string;
  insecureSkipVerify: boolean;
}

export function handshakeKey(h: HandshakeInputs): string {
  return `${h.serverToken}\0${idOf(h.trust)}\0${idOf(h.secureContext)}\0${h.insecureSkipVerify ? 1 : 0}\0${h.serverName}`;
}

/** A verified handshake's chain, or the error of one the server's first bytes decided. */
export type Made = { chain: readonly Buffer[] } | { error: TransportError };

const done = new Map<string, Made>();

/** What a full handshake with these inputs came to, if one was made and is kept. */
export function madeHandshake(key: string): Made | undefined {
  return done.get(key);
}

/**
 * Records a verified handshake, or a failure worded from the server's first bytes alone. Other
 * failures are not kept: a verification error names the current time, and they end the pull anyway.
 */
export function rememberHandshake(key: string, made: Made): void {
  if (done.size >= MAX_ENTRIES) done.clear();
  done.set(key, made);
}

/**
 * What the client sends first on a connection whose handshake is already known. A NUL byte
 * starts neither a TLS record nor an HTTP request, so no real client's connection is taken for one.
 */
export function verifiedPreface(serverToken: string): string {
  return `\0pullsim-verified ${serverToken}\n`;
}

export const VERIFIED_PREFACE_START = '\0pullsim-verified ';
