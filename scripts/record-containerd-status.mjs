#!/usr/bin/env node
// A registry that answers every request with one status and a distribution-style error body (what
// pullsim's `faults: { status: N }` registry answers), for the recording's 5xx/429 cases. Its log lines
// look like docker-registry's access log, so the driver reads them the same way.
// Usage: record-containerd-status.mjs ADDR PORT STATUS   (loopback only)
import { createServer, STATUS_CODES } from 'node:http';

const [addr, port, statusText] = process.argv.slice(2);
if (!/^127\./.test(addr ?? '')) {
  console.error('record-containerd-status: listen on a 127.0.0.0/8 address only');
  process.exit(2);
}
const status = Number(statusText);
const CODES = { 429: ['TOOMANYREQUESTS', 'too many requests'], 503: ['UNAVAILABLE', 'service unavailable'] };
const [code, message] = CODES[status] ?? ['UNKNOWN', 'unknown error'];
const body = `${JSON.stringify({ errors: [{ code, message }] })}\n`;

createServer((req, res) => {
  console.log(`${addr} - - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${STATUS_CODES[status]}`);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}).listen(Number(port), addr);
