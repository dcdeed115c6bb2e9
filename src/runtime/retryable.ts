/**
 * containers/common's retry.IsErrorRetryable as podman 4.3.1 applies it: only network failures
 * (connection refused or reset, unexpected EOF, timeouts) are retried — never TLS/x509, an HTTP
 * answer to HTTPS, 401/403/404 or a policy rejection. A mirror list's combined error is retried only
 * when the primary's error (what it wraps) is.
 */
import type { StackError } from '../errors/index.js';

const RETRYABLE = new Set(['net.connection-refused', 'net.connection-reset', 'net.unexpected-eof']);

export function isRetryable(err: StackError): boolean {
  for (let e: StackError | undefined = err; e; e = e.cause) if (RETRYABLE.has(e.code)) return true;
  return false;
}
