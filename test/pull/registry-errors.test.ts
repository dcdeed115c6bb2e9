import { describe, expect, it } from 'vitest';
import { handleErrorResponse, httpResponseToError, registryErrorEra, registryHTTPResponseToError, type ErrorResponse } from '../../src/pull/registry-errors.js';
import { crioProfile } from '../../src/runtime/crio-profiles.js';
import { parseAuthScope, parseChallenges } from '../../src/pull/www-authenticate.js';
import { TransportError } from '../../src/errors/index.js';

function res(statusCode: number, body: string | object, wwwAuth?: string): ErrorResponse {
  const headers = new Map<string, string[]>();
  if (wwwAuth) headers.set('www-authenticate', [wwwAuth]);
  return { statusCode, status: `${statusCode} X`, headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}
const err = (code: string, message?: string, detail?: unknown) => ({ errors: [{ code, ...(message !== undefined ? { message } : {}), ...(detail !== undefined ? { detail } : {}) }] });

describe('registryHTTPResponseToError (fetchManifest) as c/i 5.23.1 + distribution v2.8.1 render it', () => {
  it.each([
    ['detail present: code and message', res(404, err('MANIFEST_UNKNOWN', 'manifest unknown', { Tag: 'x' })), 'manifest unknown: manifest unknown'],
    ['default message, no detail: bare code', res(404, err('MANIFEST_UNKNOWN', 'manifest unknown')), 'manifest unknown'],
    ['detail null counts as none', res(404, err('NAME_UNKNOWN', 'repository name not known to registry', null)), 'name unknown'],
    ['empty message: bare code', res(404, err('BLOB_UNKNOWN', '')), 'blob unknown'],
    ['custom message', res(404, err('MANIFEST_UNKNOWN', 'no such tag')), 'manifest unknown: no such tag'],
    ['unknown code reads as UNKNOWN', res(404, err('NOT_FOUND', 'not found')), 'unknown: not found'],
    ['keys match case-insensitively', res(404, { Errors: [{ Code: 'DENIED', Message: 'nope' }] }), 'denied: nope'],
    ['basic auth 401 with detail', res(401, err('UNAUTHORIZED', 'authentication required', [{ Type: 'repository' }])), 'unauthorized: authentication required'],
    [
      'two errors',
      res(400, { errors: [{ code: 'DENIED', message: 'a', detail: 1 }, { code: 'UNAUTHORIZED', message: 'b' }] }),
      'errors:\ndenied: a\nunauthorized: b\n',
    ],
    ['non-JSON body', res(404, '<html>not found</html>'), 'StatusCode: 404, <html>not found</html>'],
    ['long body cut at 50 bytes', res(404, 'x'.repeat(60)), `StatusCode: 404, ${'x'.repeat(50)}...`],
    ['empty body', res(404, ''), 'StatusCode: 404, '],
    ['no errors in the list', res(404, { errors: [] }), 'StatusCode: 404, {"errors":[]}'],
    ['errors not a list', res(404, { errors: 'x' }), 'StatusCode: 404, {"errors":"x"}'],
    ['401 with unparsable body', res(401, 'nope'), 'unauthorized: authentication required'],
    ['legacy details field, 401', res(401, { details: 'token expired' }), 'unauthorized: token expired'],
    ['legacy details field, 429', res(429, { details: 'slow' }), 'toomanyrequests: slow'],
    ['legacy details field, other', res(403, { details: 'no' }), 'unknown: no'],
    ['5xx', { ...res(503, 'down'), status: '503 Service Unavailable' }, 'received unexpected HTTP status: 503 Service Unavailable'],
    [
      'insufficient_scope challenge first, then the body',
      res(401, err('UNAUTHORIZED', 'authentication required', [1]), 'Bearer realm="r",service="s",scope="repository:a/b:pull",error="insufficient_scope"'),
      'errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n',
    ],
    [
      'invalid_token with a description',
      res(401, err('UNAUTHORIZED', 'authentication required'), 'Bearer realm="r",error="invalid_token",error_description="expired"'),
      'errors:\nunauthorized: expired\nunauthorized\n',
    ],
    [
      'challenge with a body that is no error list',
      res(401, 'oops', 'Bearer realm="r",error="insufficient_scope"'),
      'errors:\ndenied: requested access to the resource is denied\nerror parsing HTTP 401 response body: invalid character \'o\' looking for beginning of value: "oops"\n',
    ],
    ['a Basic challenge is not an OAuth error', res(401, err('UNAUTHORIZED', 'authentication required', 1), 'Basic realm="x"'), 'unauthorized: authentication required'],
  ])('%s', (_n, response, expected) => {
    expect(registryHTTPResponseToError(response).message).toBe(expected);
  });

  it('a body read error is returned as is', () => {
    const r = { ...res(404, ''), bodyError: new TransportError('net.unexpected-eof', 'unexpected EOF') };
    expect(handleErrorResponse(r).message).toBe('unexpected EOF');
  });
});

describe('the same registry answer worded by each runtime: c/i 5.23.1 (skopeo, podman) vs the c/i a CRI-O profile vendors', () => {
  const basicDenied = res(401, err('UNAUTHORIZED', 'authentication required', [{ Type: 'repository' }]));
  const scopeDenied = res(401, err('UNAUTHORIZED', 'authentication required', [1]), 'Bearer realm="r",service="s",error="insufficient_scope"');
  // Columns: skopeo/podman (no era set), CRI-O 1.28 (c/i 5.27.0), CRI-O 1.31 (c/i 5.32.2), CRI-O 1.36 (c/i 5.38.0).
  it.each([
    ['401 UNAUTHORIZED with detail', basicDenied, 'unauthorized: authentication required', 'authentication required', 'authentication required', 'authentication required'],
    ['404 MANIFEST_UNKNOWN with detail', res(404, err('MANIFEST_UNKNOWN', 'manifest unknown', { Tag: 'x' })), 'manifest unknown: manifest unknown', 'manifest unknown', 'manifest unknown', 'manifest unknown'],
    ['insufficient_scope challenge plus body: the challenge error only', scopeDenied, 'errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n', 'requested access to the resource is denied', 'requested access to the resource is denied', 'requested access to the resource is denied'],
    ['a non-default message keeps its code', res(404, err('MANIFEST_UNKNOWN', 'no such tag')), 'manifest unknown: no such tag', 'manifest unknown: no such tag', 'manifest unknown: no such tag', 'manifest unknown: no such tag'],
    ['two body errors: the first, worded alone', res(400, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied', detail: 1 }, { code: 'UNAUTHORIZED', message: 'b' }] }), 'errors:\ndenied: requested access to the resource is denied\nunauthorized: b\n', 'requested access to the resource is denied', 'requested access to the resource is denied', 'requested access to the resource is denied'],
    ['default message without detail stays a bare code', res(401, err('UNAUTHORIZED', 'authentication required')), 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized'],
    ['non-JSON body (quoted from c/i v5.29.0)', res(404, '<html>no</html>'), 'StatusCode: 404, <html>no</html>', 'StatusCode: 404, <html>no</html>', 'StatusCode: 404, "<html>no</html>"', 'StatusCode: 404, "<html>no</html>"'],
  ])('%s', (_name, response, skopeo, crio128, crio131, crio136) => {
    expect(registryHTTPResponseToError(response).message).toBe(skopeo);
    expect(registryHTTPResponseToError(response, registryErrorEra(crioProfile('1.28').containersImage)).message).toBe(crio128);
    expect(registryHTTPResponseToError(response, registryErrorEra(crioProfile('1.31').containersImage)).message).toBe(crio131);
    expect(registryHTTPResponseToError(response, registryErrorEra(crioProfile('1.36').containersImage)).message).toBe(crio136);
  });

  it.each([
    ['token endpoint 401 (skopeo)', undefined, 'unable to retrieve auth token: invalid username/password: unauthorized: authentication required'],
    ['token endpoint 401 (CRI-O 1.28)', registryErrorEra(crioProfile('1.28').containersImage), 'unable to retrieve auth token: invalid username/password: authentication required'],
  ])('%s', (_name, era, expected) => {
    expect(httpResponseToError(basicDenied, 'docker.bearer-context', era)?.message).toBe(expected);
  });
});

describe('httpResponseToError (token and blob requests)', () => {
  it.each([
    [res(200, ''), undefined, undefined],
    [res(429, ''), undefined, 'too many requests to registry'],
    [res(401, err('UNAUTHORIZED', 'invalid username/password')), 'docker.bearer-context' as const, 'unable to retrieve auth token: invalid username/password: unauthorized: invalid username/password'],
    [res(500, ''), 'docker.bearer-context' as const, 'Requesting bearer token: invalid status code from registry 500 (Internal Server Error)'],
    [res(404, ''), 'docker.blob-context' as const, 'Error fetching blob: invalid status code from registry 404 (Not Found)'],
    [res(404, ''), undefined, 'invalid status code from registry 404 (Not Found)'],
  ])('%#', (response, context, expected) => {
    expect(httpResponseToError(response, context)?.message).toBe(expected);
  });
});

describe('WWW-Authenticate parsing as wwwauthenticate.go', () => {
  it.each([
    ['Bearer realm="https://a/t",service="reg"', [{ scheme: 'bearer', parameters: { realm: 'https://a/t', service: 'reg' } }]],
    ['BASIC Realm=x', [{ scheme: 'basic', parameters: { realm: 'x' } }]],
    ['Bearer realm="a\\"b"', [{ scheme: 'bearer', parameters: { realm: 'a"b' } }]],
    ['Bearer realm="unterminated', [{ scheme: 'bearer', parameters: {} }]],
    ['Bearer realm=', [{ scheme: 'bearer', parameters: {} }]],
    ['Bearer ,', [{ scheme: 'bearer', parameters: {} }]],
    ['Bearer a=1 b=2', [{ scheme: 'bearer', parameters: { a: '1' } }]],
    ['"quoted"', []],
    ['', []],
  ])('%s', (header, expected) => {
    const got = parseChallenges([header]).map((c) => ({ scheme: c.scheme, parameters: Object.fromEntries(c.parameters) }));
    expect(got).toEqual(expected);
  });

  it.each([
    ['repository:a/b:pull', { resourceType: 'repository', remoteName: 'a/b', actions: 'pull' }],
    ['repository:a/b:pull,push', { resourceType: 'repository', remoteName: 'a/b', actions: 'pull,push' }],
    ['registry:catalog:*:x', undefined],
    ['repository:a', undefined],
  ])('scope %s', (scope, expected) => {
    expect(parseAuthScope(scope)).toEqual(expected);
  });
});
