import { describe, expect, it } from 'vitest';
import { crioCredential, lookupCredentials } from '../../src/auth/credentials.js';
import { buildKeyring, type KeyringSource } from '../../src/auth/kubelet-keyring.js';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext } from '../../src/system-context.js';

const PASSWORD = 's3cr3t-Pa55';
const AUTH = Buffer.from(`alice:${PASSWORD}`).toString('base64');
const NOCOLON = Buffer.from(`alice${PASSWORD}`).toString('base64');
const secrets = [PASSWORD, AUTH, NOCOLON];

/** Every text a lookup can show a user: descriptions, error messages (whole chain), trace lines. */
function visibleTexts(r: { credential?: { source: string }; error?: Error; trace?: string[] }): string[] {
  const out = [...(r.trace ?? [])];
  if (r.credential) out.push(r.credential.source);
  for (let e: unknown = r.error; e instanceof Error; e = (e as { cause?: unknown }).cause) out.push(e.message);
  return out;
}

const sys = { ...defaultSystemContext('skopeo'), authFilePath: '/root/auth.json' };

describe('no secret reaches a description, error or trace', () => {
  it.each([
    ['found', JSON.stringify({ auths: { 'r.io': { auth: AUTH } } })],
    ['found by URL key', JSON.stringify({ auths: { [`https://r.io/v1/`]: { auth: AUTH } } })],
    ['no colon', JSON.stringify({ auths: { 'r.io': { auth: NOCOLON } } })],
    ['bad base64 after the secret', JSON.stringify({ auths: { 'r.io': { auth: `${AUTH}*` } } })],
    ['type error next to the secret', JSON.stringify({ auths: { 'r.io': { auth: AUTH, identitytoken: 5 } } })],
    ['syntax error after the secret', `{"auths": {"r.io": {"auth": "${AUTH}"}`],
    ['syntax error inside the secret', `{"auths": {"r.io": {"auth": "${AUTH}\u0001"}}}`],
  ])('auth file: %s', (_name, content) => {
    const r = lookupCredentials(new MemoryFS({ '/root/auth.json': content }), sys, 'r.io', 'a/b');
    for (const t of visibleTexts(r)) for (const s of secrets) expect(t).not.toContain(s);
  });

  it.each([
    ['found', { 'r.io': { auth: AUTH } }],
    ['username/password fields', { 'r.io': { username: 'alice', password: PASSWORD } }],
    ['no colon', { 'r.io': { auth: NOCOLON } }],
    ['bad base64', { 'r.io': { auth: `${AUTH}*` } }],
  ])('kubelet keyring: %s', (_name, auths) => {
    const src: KeyringSource = { description: 'secret ns/s', kind: 'dockerconfigjson', text: JSON.stringify({ auths }) };
    let texts: string[];
    try {
      texts = buildKeyring([src]).lookup('r.io/a').map((c) => c.source);
    } catch (e) {
      texts = [(e as Error).message];
    }
    for (const t of texts) for (const s of secrets) expect(t).not.toContain(s);
  });

  it.each([[{ auth: AUTH }], [{ auth: `${AUTH}*` }], [{ username: 'alice', password: PASSWORD }]])('CRI-O auth %j', (auth) => {
    const r = crioCredential(auth, 'kubelet pull secret');
    for (const t of visibleTexts(r)) for (const s of secrets) expect(t).not.toContain(s);
  });
});
