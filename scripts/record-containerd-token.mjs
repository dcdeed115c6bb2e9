#!/usr/bin/env node
// The recording lab's token server (docker token auth) for the bearer registry token.test:5003.
// It behaves as pullsim's fake token server does (sim/token-api.ts), so a recorded outcome can be
// replayed there: wrong Basic credentials get 401 `invalid username/password`; otherwise the token
// grants pull on the requested repositories the account may pull (`public/*` anonymously, anything
// for alice). With credentials containerd POSTs an OAuth2 password grant (form body) rather than a GET
// with Basic credentials; both are answered alike. Tokens are RS256 JWTs whose x5c header carries the signing certificate, which the
// registry trusts through its rootcertbundle.
// Usage: record-containerd-token.mjs ADDR PORT KEY.pem CERT.pem   (loopback only)
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [addr, port, keyFile, certFile] = process.argv.slice(2);
if (!/^127\./.test(addr ?? '')) {
  console.error('record-containerd-token: listen on a 127.0.0.0/8 address only');
  process.exit(2);
}
const key = createPrivateKey(readFileSync(keyFile));
const certDer = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
const USERS = { alice: 'wonderland' };
const ISSUER = 'record-containerd';

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function mayPull(user, repository) {
  return repository.startsWith('public/') || user !== undefined;
}

function jwt(service, user, repositories) {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
  const claims = {
    iss: ISSUER,
    sub: user ?? '',
    aud: service,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access: repositories.map((name) => ({ type: 'repository', name, actions: ['pull'] })),
  };
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function basic(header) {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString();
  const i = text.indexOf(':');
  return i < 0 ? { user: text, password: '' } : { user: text.slice(0, i), password: text.slice(i + 1) };
}

/** Who asks and for what: GET with optional Basic credentials, or the OAuth2 password grant POST (form body) containerd sends when it has credentials. */
function request(req, url, body) {
  if (req.method === 'POST') {
    const form = new URLSearchParams(body);
    const creds = form.get('grant_type') === 'password' ? { user: form.get('username') ?? '', password: form.get('password') ?? '' } : undefined;
    return { creds, scopes: form.getAll('scope'), service: form.get('service') ?? '', grant: form.get('grant_type') };
  }
  return { creds: basic(req.headers.authorization), scopes: url.searchParams.getAll('scope'), service: url.searchParams.get('service') ?? '' };
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
}).listen(Number(port), addr);

function answer(req, res, body) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const { creds, scopes, service, grant } = request(req, url, body);
  console.log(`${req.method} ${url.pathname} grant=${grant ?? '-'} scope=${scopes.join(' ')} account=${creds?.user ?? '-'}`);
  if (url.pathname !== '/token') {
    res.writeHead(404).end();
    return;
  }
  if (req.method === 'POST' && grant !== 'password') {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`${JSON.stringify({ error: 'unsupported_grant_type' })}\n`);
    return;
  }
  if (creds && USERS[creds.user] !== creds.password) {
    res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`${JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username/password' }] })}\n`);
    return;
  }
  const wanted = [];
  for (const scope of scopes) {
    for (const one of scope.split(' ')) {
      const m = /^repository:(.+):([a-z*,]+)$/.exec(one);
      if (m && m[2].split(',').some((a) => a === 'pull' || a === '*')) wanted.push(m[1]);
    }
  }
  const granted = wanted.filter((r) => mayPull(creds?.user, r));
  const token = jwt(service, creds?.user, granted);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
}
