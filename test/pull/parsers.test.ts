import { describe, expect, it } from 'vitest';
import { bodyFraming, decodeChunked, parseHead } from '../../src/pull/http1-response.js';
import { CertParseError, formatIp, parseCert, parseIp } from '../../src/pull/x509-cert.js';
import { makeCA, makeCert } from './fixtures.js';

describe('HTTP/1.x response head as Go reads it', () => {
  it.each([
    ['HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', 404, '404 Not Found'],
    ['HTTP/1.0 200\r\n\r\n', 200, '200'],
    ['HTTP/1.1  204 No Content\n\n', 204, '204 No Content'],
  ])('%j', (raw, code, status) => {
    const r = parseHead(Buffer.from(raw));
    expect('head' in r && r.head.statusCode).toBe(code);
    expect('head' in r && r.head.status).toBe(status);
  });

  it.each([
    ['garbage\r\n\r\n', 'malformed HTTP response "garbage"'],
    ['HTTP/1.1 20 OK\r\n\r\n', 'malformed HTTP status code "20"'],
    ['HTTP/1.1 abc OK\r\n', 'malformed HTTP status code "abc"'],
    ['HTTX 200 OK\r\n\r\n', 'malformed HTTP version "HTTX"'],
    ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', 'malformed MIME header line: no colon here'],
  ])('%j', (raw, expected) => {
    expect(() => parseHead(Buffer.from(raw))).toThrow(expected);
  });

  it('waits for more bytes', () => expect(parseHead(Buffer.from('HTTP/1.1 200 OK\r\nA: b'))).toEqual({ need: true }));

  it.each([
    ['GET', 200, {}, 'close'],
    ['GET', 204, { 'content-length': ['5'] }, 'none'],
    ['HEAD', 200, { 'content-length': ['5'] }, 'none'],
    ['GET', 200, { 'content-length': ['5'] }, 'length'],
    ['GET', 200, { 'transfer-encoding': ['gzip, chunked'], 'content-length': ['5'] }, 'chunked'],
    ['GET', 200, { 'content-length': ['x'] }, 'close'],
  ])('framing %s %d %j', (method, code, headers, kind) => {
    expect(bodyFraming(method, { statusCode: code, status: '', headers: new Map(Object.entries(headers)) }).kind).toBe(kind);
  });

  it.each([
    ['3\r\nabc\r\n0\r\n\r\n', 'abc', true],
    ['3;ext=1\r\nabc\r\n1\r\nd\r\n0\r\n\r\n', 'abcd', true],
    ['5\r\nab', 'ab', false],
  ])('chunked %j', (raw, body, complete) => {
    expect(decodeChunked(Buffer.from(raw))).toEqual({ body: Buffer.from(body), complete });
  });

  it('bad chunk size', () => expect(() => decodeChunked(Buffer.from('zz\r\n'))).toThrow('invalid byte in chunk length'));
});

describe('certificate fields read from DER', () => {
  it('SAN order, IPs, CA flag, names', () => {
    const ca = makeCA('lab CA', { org: 'Lab' });
    const leaf = parseCert(pemToDer(makeCert({ cn: 'h', dns: ['b.test', 'a.test'], ips: ['10.0.0.1', '::1'] }, ca).cert));
    expect(leaf.dnsNames).toEqual(['b.test', 'a.test']);
    expect(leaf.ipAddresses.map(formatIp)).toEqual(['10.0.0.1', '::1']);
    expect(leaf.isCA).toBe(false);
    expect(leaf.hasSANExtension).toBe(true);
    const caCert = parseCert(pemToDer(ca.cert));
    expect(caCert.isCA).toBe(true);
    expect(caCert.organization).toEqual(['Lab']);
    expect(leaf.rawIssuer).toBe(caCert.rawSubject);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['truncated', Buffer.from([0x30, 0x82, 0x01])],
    ['not a sequence of fields', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])],
  ])('rejects %s', (_n, der) => {
    expect(() => parseCert(der)).toThrow(CertParseError);
  });
});

describe('IP literals as Go parses and prints them', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::', 'fe80::'],
  ])('%s', (input, printed) => {
    const ip = parseIp(input);
    expect(ip && formatIp(ip)).toBe(printed);
  });

  it.each(['256.1.1.1', '01.2.3.4', 'a.b.c.d', '1:2:3', '1::2::3', 'harbor.lab.test'])('%s is no IP', (s) => expect(parseIp(s)).toBeUndefined());
});

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
