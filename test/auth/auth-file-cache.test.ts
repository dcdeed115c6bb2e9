import { describe, expect, it } from 'vitest';
import { readAuthFile } from '../../src/auth/auth-file.js';
import { lookupCredentials } from '../../src/auth/credentials.js';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext, type SystemContext } from '../../src/system-context.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const auths = (entries: Record<string, string>) => JSON.stringify({ auths: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { auth: v }])) });
const FILE = '/var/lib/kubelet/config.json';
const crio: SystemContext = { ...defaultSystemContext('crio'), authFilePath: FILE };

const goError = (json: string) => `getting username and password: 1 error occurred:\n\t* reading JSON file "${FILE}": unmarshaling JSON at "${FILE}": ${json}\n\n`;

describe('parsed auth files are reused only for the same content', () => {
  it('a changed content at the same path is read again', () => {
    const first = new MemoryFS({ [FILE]: auths({ 'quay.io': b64('alice:one') }) });
    const second = new MemoryFS({ [FILE]: auths({ 'quay.io': b64('bob:two') }) });
    expect(lookupCredentials(first, crio, 'quay.io', 'ns/app').credential?.username).toBe('alice');
    expect(lookupCredentials(second, crio, 'quay.io', 'ns/app').credential?.username).toBe('bob');
    expect(lookupCredentials(first, crio, 'quay.io', 'ns/app').credential?.username).toBe('alice');
  });

  it('the same content read twice is one parse', () => {
    const text = auths({ 'quay.io': b64('alice:one') });
    expect(readAuthFile(new MemoryFS({ [FILE]: text }), FILE, false)).toBe(readAuthFile(new MemoryFS({ [FILE]: `${text}` }), FILE, false));
  });

  it.each([
    ['valid, then broken', auths({ 'quay.io': b64('alice:one') }), '{"auths": 1}', undefined, 'json: cannot unmarshal number into Go struct field dockerConfigFile.auths of type map[string]config.dockerAuthConfig'],
    ['broken, then valid', '{', auths({ 'quay.io': b64('alice:one') }), 'unexpected end of JSON input', undefined],
  ])('%s: each content keeps its own answer', (_n, before, after, errBefore, errAfter) => {
    const look = (content: string) => lookupCredentials(new MemoryFS({ [FILE]: content }), crio, 'quay.io', 'ns/app');
    for (let i = 0; i < 2; i++) {
      const a = look(before);
      const b = look(after);
      expect(a.error?.message).toBe(errBefore && goError(errBefore));
      expect(b.error?.message).toBe(errAfter && goError(errAfter));
    }
  });

  it('the same content under another path names that path', () => {
    const text = auths({ 'quay.io': 'not*base64' });
    const sysA: SystemContext = { ...crio, authFilePath: '/a.json' };
    const sysB: SystemContext = { ...crio, authFilePath: '/b.json' };
    const fs = new MemoryFS({ '/a.json': text, '/b.json': text });
    expect(lookupCredentials(fs, sysA, 'quay.io', 'x').error?.message).toBe(lookupCredentials(fs, sysB, 'quay.io', 'x').error?.message);
    const ok = auths({ 'quay.io': b64('alice:one') });
    const fs2 = new MemoryFS({ '/a.json': ok, '/b.json': ok });
    expect(lookupCredentials(fs2, sysA, 'quay.io', 'x').credential?.source).toBe('user alice from /a.json key quay.io');
    expect(lookupCredentials(fs2, sysB, 'quay.io', 'x').credential?.source).toBe('user alice from /b.json key quay.io');
  });

  it('traces are repeated for a cached lookup', () => {
    const fs = new MemoryFS({ [FILE]: auths({ 'quay.io': '' }) });
    const once = lookupCredentials(fs, crio, 'quay.io', 'ns/app').trace;
    expect(lookupCredentials(fs, crio, 'quay.io', 'ns/app').trace).toEqual(once);
    expect(once.some((l) => l.includes('Found an empty credential entry "quay.io"'))).toBe(true);
  });

  it('a returned credential is the caller’s own copy', () => {
    const fs = new MemoryFS({ [FILE]: auths({ 'quay.io': b64('alice:one') }) });
    const c = lookupCredentials(fs, crio, 'quay.io', 'ns/app').credential!;
    c.username = 'mallory';
    expect(lookupCredentials(fs, crio, 'quay.io', 'ns/app').credential?.username).toBe('alice');
  });
});
