/**
 * Reads one HTTP/1.x response the way Go's net/http does (ReadResponse + body framing), so a
 * server that breaks off or sends garbage yields Go's texts: no byte at all is `EOF`, a cut
 * status line or header block `unexpected EOF`, a cut body an `unexpected EOF` when the body is read.
 */
import { fail, TransportError } from '../errors/index.js';

export interface ResponseHead {
  statusCode: number;
  /** Go's resp.Status: "404 Not Found", the reason phrase as the server sent it. */
  status: string;
  /** Header names lower-cased; values in arrival order. */
  headers: Map<string, string[]>;
}

export type HeadResult = { head: ResponseHead; rest: Buffer } | { need: true };

/** Parses the head once `buf` holds it; `{need: true}` while more bytes are needed. Throws Go's malformed-response errors. */
export function parseHead(buf: Buffer): HeadResult {
  const end = buf.indexOf('\r\n\r\n');
  // Only a bare-LF end before the CRLF one counts: the search need not cross the body.
  const endLf = end >= 0 ? buf.subarray(0, end).indexOf('\n\n') : buf.indexOf('\n\n');
  let headEnd: number;
  let sepLen: number;
  if (end >= 0 && (endLf < 0 || end < endLf)) {
    headEnd = end;
    sepLen = 4;
  } else if (endLf >= 0) {
    headEnd = endLf;
    sepLen = 2;
  } else {
    // The status line can be judged before the headers are complete.
    const nl = buf.indexOf('\n');
    if (nl >= 0) statusLine(buf.toString('latin1', 0, nl).replace(/\r$/, ''));
    return { need: true };
  }
  const lines = buf.toString('latin1', 0, headEnd).split(/\r?\n/);
  const { statusCode, status } = statusLine(lines[0]);
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw fail(TransportError, 'net.malformed-header', line);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return { head: { statusCode, status, headers }, rest: buf.subarray(headEnd + sepLen) };
}

function statusLine(line: string): { statusCode: number; status: string } {
  const sp = line.indexOf(' ');
  if (sp < 0) throw fail(TransportError, 'net.malformed-response', line);
  const proto = line.slice(0, sp);
  const status = line.slice(sp + 1).replace(/^ +/, '');
  const codeText = status.split(' ', 1)[0];
  if (codeText.length !== 3 || !/^\d{3}$/.test(codeText)) throw fail(TransportError, 'net.malformed-status', codeText);
  if (!/^HTTP\/\d\.\d$/.test(proto)) throw fail(TransportError, 'net.malformed-version', proto);
  return { statusCode: Number(codeText), status };
}

export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export function bodyFraming(method: string, head: ResponseHead): BodyFraming {
  const code = head.statusCode;
  if (method === 'HEAD' || (code >= 100 && code < 200) || code === 204 || code === 304) return { kind: 'none' };
  const te = head.headers.get('transfer-encoding')?.join(',').toLowerCase();
  if (te && te.split(',').map((s) => s.trim()).includes('chunked')) return { kind: 'chunked' };
  const cl = head.headers.get('content-length')?.[0];
  if (cl !== undefined && /^\d+$/.test(cl)) return { kind: 'length', length: Number(cl) };
  return { kind: 'close' };
}

/** Decodes a complete chunked body; `undefined` while incomplete. */
export function decodeChunked(buf: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf('\r\n', pos);
    if (nl < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(buf.toString('latin1', pos, nl).split(';')[0].trim(), 16);
    if (Number.isNaN(size)) throw fail(TransportError, 'net.malformed-chunk');
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = nl + 2;
    if (buf.length < start + size + 2) {
      parts.push(buf.subarray(start, Math.min(buf.length, start + size)));
      return { body: Buffer.concat(parts), complete: false };
    }
    parts.push(buf.subarray(start, start + size));
    pos = start + size + 2;
  }
}
