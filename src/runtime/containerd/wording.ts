/**
 * How a containerd build words the resolver's failures: the status errors changed in 1.6.25
 * (remotes/errors ErrUnexpectedStatus gained the method and URL, and the resolver started using
 * it), and the Go toolchain decides whether url.Error quotes the URL. Everything else in the
 * resolver's texts is the same across releases.
 */
import { RuntimeError, StackError, text, TransportError, wrap } from '../../errors/index.js';

export interface WordingOptions {
  /** ≤1.6.24: `pulling from host … failed with status code [manifests 1]: 401 Unauthorized`. */
  hostStatusWording: boolean;
  /** Go ≥ 1.14: `Head "https://…": …`; older: `Head https://…: …`. */
  goQuotedUrls: boolean;
}

export interface ContainerdWording {
  /** Go's url.Error around a transport failure ("Head", "Get"). */
  urlError(op: string, url: string, err: StackError): TransportError;
  /** request.do's `failed to do request: <url.Error>`. */
  doRequest(op: string, url: string, err: StackError): RuntimeError;
  /** The resolver's error for a status > 399 (or 3xx when `unexpected`); `parts` as [manifests, tag]. */
  hostStatus(host: string, parts: string[], method: string, url: string, status: string, unexpected: boolean): RuntimeError;
  /** ErrUnexpectedStatus.Error(). */
  unexpectedStatus(method: string, url: string, status: string): RuntimeError;
}

export function containerdWording(o: WordingOptions): ContainerdWording {
  const w: ContainerdWording = {
    urlError: (op, url, err) => wrap(TransportError, o.goQuotedUrls ? 'net.url-error' : 'net.url-error-unquoted', err, op, url),
    doRequest: (op, url, err) => wrap(RuntimeError, 'containerd.do-request', w.urlError(op, url, err)),
    hostStatus(host, parts, method, url, status, unexpected) {
      if (!o.hostStatusWording) return w.unexpectedStatus(method, url, status);
      const code = unexpected ? 'containerd.host-unexpected-status' : 'containerd.host-status';
      return new RuntimeError(code, text(code, host, `[${parts.join(' ')}]`, status));
    },
    unexpectedStatus(method, url, status) {
      return o.hostStatusWording
        ? new RuntimeError('containerd.unexpected-status-old', text('containerd.unexpected-status-old', status))
        : new RuntimeError('containerd.unexpected-status', text('containerd.unexpected-status', method, url, status));
    },
  };
  return w;
}
