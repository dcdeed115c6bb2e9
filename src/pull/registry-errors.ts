/**
 * How containers/image turns a registry's error response into text: handleErrorResponse /
 * parseHTTPErrorResponse (its copy of distribution's registry/client/errors.go), errcode.Errors
 * from distribution v2.8.x, and docker/errors.go. The subtle part is errcode's UnmarshalJSON:
 * an entry whose message is the code's default and that carries no detail becomes a bare
 * ErrorCode and prints as just `manifest unknown`; with a detail (as distribution sends) it
 * prints `manifest unknown: manifest unknown` in 5.23.1. From v5.24.0 (commit 6fa5cda4)
 * registryHTTPResponseToError keeps only the first error of a list and prints an errcode.Error
 * whose message is its code's default as the message alone (`manifest unknown`); errcode itself
 * (distribution 2.8.1–2.8.3) did not change. From v5.29.0 (d55a5eb6) a non-JSON body is quoted.
 */
import { RegistryApiError, text, type TemplateCode } from '../errors/index.js';
import { goJsonKind, parseGoJson, unmarshalTypeError } from '../config/go-json.js';
import { parseChallenges } from './www-authenticate.js';

/**
 * The containers/image release line whose wording a runtime prints: 5.23 (skopeo 1.9.3, podman
 * 4.3.1), 5.24 (≥ v5.24.0: first error only, default message alone), 5.29 (≥ v5.29.0: as 5.24,
 * and a non-JSON error body is quoted).
 */
export type RegistryErrorEra = '5.23' | '5.24' | '5.29';

/** The era of a vendored containers/image version such as "5.27.0". */
export function registryErrorEra(containersImage: string): RegistryErrorEra {
  const [major, minor] = containersImage.split('.').map(Number);
  if (major !== 5 || minor < 24) return '5.23';
  return minor < 29 ? '5.24' : '5.29';
}

/** errcode descriptors registered in a c/i 5.23.1 binary: Value → default message template. */
const DESCRIPTORS: Record<string, TemplateCode> = {
  UNKNOWN: 'registry.unknown',
  UNSUPPORTED: 'registry.unsupported',
  UNAUTHORIZED: 'registry.unauthorized',
  DENIED: 'registry.denied',
  UNAVAILABLE: 'registry.unavailable',
  TOOMANYREQUESTS: 'registry.toomanyrequests',
  DIGEST_INVALID: 'registry.digest-invalid',
  SIZE_INVALID: 'registry.size-invalid',
  NAME_INVALID: 'registry.name-invalid',
  TAG_INVALID: 'registry.tag-invalid',
  NAME_UNKNOWN: 'registry.name-unknown',
  MANIFEST_UNKNOWN: 'registry.manifest-unknown',
  MANIFEST_INVALID: 'registry.manifest-invalid',
  MANIFEST_UNVERIFIED: 'registry.manifest-unverified',
  MANIFEST_BLOB_UNKNOWN: 'registry.blob-unknown',
  BLOB_UNKNOWN: 'registry.blob-unknown',
  BLOB_UPLOAD_UNKNOWN: 'registry.blob-upload-unknown',
  BLOB_UPLOAD_INVALID: 'registry.blob-upload-invalid',
};

/** One element of an errcode.Errors list (or a lone error). */
export type RegistryErrorItem =
  /** A bare errcode.ErrorCode: prints the code only. */
  | { kind: 'code'; code: string }
  /** errcode.Error: `code: message`. */
  | { kind: 'error'; code: string; message: string }
  /** unexpectedHTTPResponseError: the body was not an error list. */
  | { kind: 'unexpected'; status: number; parseError: string; body: Buffer }
  /** Any other error merged into a list (a body read error). */
  | { kind: 'raw'; text: string };

export interface ErrorResponse {
  statusCode: number;
  /** Go's resp.Status, e.g. "500 Internal Server Error". */
  status: string;
  headers: Map<string, string[]>;
  body: Buffer;
  /** Reading the body failed: Go returns that error as is. */
  bodyError?: Error;
}

function resolveCode(value: string): string {
  return value in DESCRIPTORS ? value : 'UNKNOWN';
}

/** ErrorCode.Error(): the descriptor value lower-cased, '_' → ' '. */
export function codeText(code: string): string {
  return code.toLowerCase().replaceAll('_', ' ');
}

export function defaultMessage(code: string): string {
  return text(DESCRIPTORS[code] ?? 'registry.unknown');
}

function itemText(item: RegistryErrorItem): string {
  switch (item.kind) {
    case 'code':
      return codeText(item.code);
    case 'error':
      return text('docker.errcode', codeText(item.code), item.message);
    case 'unexpected':
      return text('docker.errcode-unexpected-body', item.status, item.parseError, item.body.toString('utf8'));
    case 'raw':
      return item.text;
  }
}

/** errcode.Errors.Error() of a non-empty list. */
export function errorsText(items: RegistryErrorItem[]): string {
  if (items.length === 1) return itemText(items[0]);
  return text('docker.errcode-list', items.map((i) => itemText(i) + '\n').join(''));
}

/** A registry error with its items, so callers can ask e.g. whether the first is MANIFEST_UNKNOWN. */
export class RegistryResponseError extends RegistryApiError {
  constructor(code: TemplateCode | string, message: string, readonly items: RegistryErrorItem[]) {
    super(code, message);
  }
}

type Parsed = { items: RegistryErrorItem[] } | { readError: Error };

function parseHTTPErrorResponse(statusCode: number, body: Buffer, bodyError?: Error): Parsed {
  if (bodyError) return { readError: bodyError };
  let doc: unknown;
  try {
    doc = parseGoJson(body);
  } catch (e) {
    return { items: [{ kind: 'unexpected', status: statusCode, parseError: (e as Error).message, body }] };
  }
  const details = goField(doc, 'details');
  if (typeof details === 'string' && details !== '') {
    const code = statusCode === 401 ? 'UNAUTHORIZED' : statusCode === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
    return { items: [{ kind: 'error', code, message: details }] };
  }
  const decoded = decodeErrors(doc);
  if (typeof decoded === 'string') return { items: [{ kind: 'unexpected', status: statusCode, parseError: decoded, body }] };
  if (decoded.length === 0) return { items: [{ kind: 'unexpected', status: statusCode, parseError: text('docker.no-error-details'), body }] };
  return { items: decoded };
}

/** encoding/json struct field lookup: keys match case-insensitively, the last matching key wins. */
function goField(doc: unknown, name: string): unknown {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  let found: unknown;
  for (const [k, v] of Object.entries(doc)) if (k.toLowerCase() === name) found = v;
  return found;
}

/** errcode.Errors.UnmarshalJSON; a string is Go's unmarshal error text. */
function decodeErrors(doc: unknown): RegistryErrorItem[] | string {
  if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) return unmarshalTypeError(goJsonKind(doc), 'struct { Errors []errcode.Error }');
  const list = goField(doc, 'errors');
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return unmarshalTypeError(goJsonKind(list), '[]errcode.Error', '', 'Errors');
  const out: RegistryErrorItem[] = [];
  for (const entry of list) {
    if (entry === null) {
      out.push({ kind: 'code', code: 'UNKNOWN' });
      continue;
    }
    if (typeof entry !== 'object' || Array.isArray(entry)) return unmarshalTypeError(goJsonKind(entry), 'errcode.Error', '', 'Errors');
    const rawCode = goField(entry, 'code');
    const message = goField(entry, 'message');
    const detail = goField(entry, 'detail');
    if (rawCode !== undefined && rawCode !== null && typeof rawCode !== 'string') return unmarshalTypeError(goJsonKind(rawCode), 'errcode.ErrorCode', 'Error', 'Errors.code');
    if (message !== undefined && message !== null && typeof message !== 'string') return unmarshalTypeError(goJsonKind(message), 'string', 'Error', 'Errors.message');
    // A missing code stays ErrorCode(0), which has no descriptor and so reads as UNKNOWN.
    const code = typeof rawCode === 'string' ? resolveCode(rawCode) : 'UNKNOWN';
    const msg = typeof message === 'string' ? message : '';
    if ((detail === undefined || detail === null) && (msg === '' || msg === defaultMessage(code))) out.push({ kind: 'code', code });
    else out.push({ kind: 'error', code, message: msg });
  }
  return out;
}

/**
 * handleErrorResponse: for 4xx, a Bearer challenge's `error` (invalid_token → UNAUTHORIZED,
 * insufficient_scope → DENIED) comes first, merged with the body's errors; a 401 body that is
 * not an error list becomes UNAUTHORIZED. Other statuses: `received unexpected HTTP status`.
 */
export function handleErrorResponse(res: ErrorResponse): RegistryResponseError | Error {
  if (res.statusCode >= 400 && res.statusCode < 500) {
    const challenges = res.statusCode === 401 ? parseChallenges(res.headers.get('www-authenticate')) : [];
    for (const c of challenges) {
      if (c.scheme !== 'bearer') continue;
      const kind = c.parameters.get('error');
      const code = kind === 'invalid_token' ? 'UNAUTHORIZED' : kind === 'insufficient_scope' ? 'DENIED' : undefined;
      if (!code) continue;
      const first: RegistryErrorItem = { kind: 'error', code, message: c.parameters.get('error_description') || defaultMessage(code) };
      const rest = parseHTTPErrorResponse(res.statusCode, res.body, res.bodyError);
      const restItems: RegistryErrorItem[] = 'readError' in rest ? [{ kind: 'raw', text: rest.readError.message }] : rest.items;
      const items = [first, ...restItems];
      return new RegistryResponseError('docker.registry-errors', errorsText(items), items);
    }
    const parsed = parseHTTPErrorResponse(res.statusCode, res.body, res.bodyError);
    if ('readError' in parsed) return parsed.readError;
    if (parsed.items[0].kind === 'unexpected' && res.statusCode === 401) {
      const items: RegistryErrorItem[] = [{ kind: 'error', code: 'UNAUTHORIZED', message: defaultMessage('UNAUTHORIZED') }];
      return new RegistryResponseError('docker.registry-errors', errorsText(items), items);
    }
    return new RegistryResponseError('docker.registry-errors', errorsText(parsed.items), parsed.items);
  }
  return new RegistryResponseError('docker.unexpected-status', text('docker.unexpected-status', res.status), []);
}

/**
 * registryHTTPResponseToError: a body that is not an error list reads `StatusCode: 404, <first 50
 * bytes>...`; from 5.24 only the first error of a list counts, and an errcode.Error carrying its
 * code's default message prints that message alone.
 */
export function registryHTTPResponseToError(res: ErrorResponse, era: RegistryErrorEra = '5.23'): RegistryResponseError | Error {
  const err = handleErrorResponse(res);
  if (!(err instanceof RegistryResponseError) || err.code !== 'docker.registry-errors') return err;
  if (era === '5.23' && err.items.length !== 1) return err;
  const first = err.items[0];
  if (first.kind === 'unexpected') {
    let body = first.body.toString('utf8');
    if (first.body.length > 50) body = first.body.subarray(0, 50).toString('utf8') + '...';
    const template = era === '5.29' ? 'docker.status-body-quoted' : 'docker.status-body';
    return new RegistryResponseError(template, text(template, first.status, body), err.items);
  }
  if (era === '5.23') return err;
  const message = first.kind === 'error' && first.message === defaultMessage(first.code) ? first.message : itemText(first);
  return new RegistryResponseError('docker.registry-errors', message, err.items);
}

/**
 * httpResponseToError (token and blob requests): 200 → undefined, 429 → `too many requests to
 * registry`, 401 → `unable to retrieve auth token: invalid username/password: …`, else
 * `[context: ]invalid status code from registry N (Text)`.
 */
export function httpResponseToError(res: ErrorResponse, context?: TemplateCode, era: RegistryErrorEra = '5.23'): Error | undefined {
  if (res.statusCode === 200) return undefined;
  if (res.statusCode === 429) return new RegistryApiError('docker.too-many-requests', text('docker.too-many-requests'));
  if (res.statusCode === 401) {
    // 5.23.1 wraps handleErrorResponse's error; from 5.24 the reworded registryHTTPResponseToError.
    const inner = era === '5.23' ? handleErrorResponse(res) : registryHTTPResponseToError(res, era);
    return new RegistryApiError('docker.auth-token', text('docker.auth-token', inner.message));
  }
  const statusText = goStatusText(res.statusCode);
  if (context) return new RegistryApiError('docker.invalid-status-context', text('docker.invalid-status-context', text(context), res.statusCode, statusText));
  return new RegistryApiError('docker.invalid-status', text('docker.invalid-status', res.statusCode, statusText));
}

const STATUS_TEXT: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content',
  206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy',
  307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large',
  414: 'Request URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed', 418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage',
  508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/** net/http.StatusText of Go 1.19 ("" for an unknown code). */
export function goStatusText(code: number): string {
  return STATUS_TEXT[code] ?? '';
}
