import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseAuthFileText } from '../../src/auth/auth-file.js';
import {
  authFilePaths,
  authKeysForKey,
  checkAuthFileExists,
  credentialForMirror,
  crioCredential,
  lookupCredentials,
  normalizeAuthFileKey,
  systemContextForSource,
} from '../../src/auth/credentials.js';
import { goBase64Decode } from '../../src/auth/go-base64.js';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext, type RuntimeName, type SystemContext } from '../../src/system-context.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ALICE = b64('alice:wonderland');
const WRONG = b64('alice:not-the-password');

function sys(over: Partial<SystemContext> = {}, runtime: RuntimeName = 'skopeo'): SystemContext {
  return { ...defaultSystemContext(runtime), ...over };
}

const auths = (entries: Record<string, string>) => JSON.stringify({ auths: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { auth: v }])) });

describe("Go's base64 decoder", () => {
  it.each([
    ['YWxpY2U6d29uZGVybGFuZA==', true, 'alice:wonderland'],
    ['YQ==\n', true, 'a'],
    ['YWJj', true, 'abc'],
    ['YQ', false, 'a'],
    ['', true, ''],
  ])('%j (padded=%s) → %j', (src, padded, want) => {
    expect(Buffer.from(goBase64Decode(src, padded)).toString()).toBe(want);
  });

  it.each([
    ['not*base64', true, 3],
    ['YQ', true, 0],
    ['YQ=', true, 3],
    ['Y===', true, 1],
    ['YQ==YQ==', true, 4],
    ['YQ==', false, 2],
    ['Y', false, 0],
  ])('%j (padded=%s) fails at byte %i', (src, padded, at) => {
    expect(() => goBase64Decode(src, padded)).toThrow(`illegal base64 data at input byte ${at}`);
  });
});

describe('auth file search order (getAuthFilePaths)', () => {
  it.each([
    ['skopeo without --authfile', {}, 'skopeo', ['/run/containers/0/auth.json', '/root/.config/containers/auth.json', '/root/.docker/config.json', '/root/.dockercfg']],
    ['skopeo 5.23.1 keeps searching after --authfile', { authFilePath: '/root/a.json' }, 'skopeo', ['/root/a.json', '/root/.config/containers/auth.json', '/root/.docker/config.json', '/root/.dockercfg']],
    ['CRI-O (c/i ≥5.24) reads only global_auth_file', { authFilePath: '/var/lib/kubelet/config.json' }, 'crio', ['/var/lib/kubelet/config.json']],
    ['XDG_RUNTIME_DIR that exists', { xdgRuntimeDir: '/run/user/0' }, 'podman', ['/run/user/0/containers/auth.json', '/root/.config/containers/auth.json', '/root/.docker/config.json', '/root/.dockercfg']],
    ['XDG_RUNTIME_DIR that is missing is skipped', { xdgRuntimeDir: '/nope' }, 'podman', ['/root/.config/containers/auth.json', '/root/.docker/config.json', '/root/.dockercfg']],
  ] as const)('%s', (_name, over, runtime, want) => {
    const fs = new MemoryFS();
    fs.mkdir('/run/user/0');
    expect(authFilePaths(fs, sys(over, runtime)).map((p) => p.path)).toEqual(want);
  });

  it('only ~/.dockercfg is legacy format', () => {
    expect(authFilePaths(new MemoryFS(), sys()).map((p) => p.legacyFormat)).toEqual([false, false, false, true]);
  });

  it('the first file with credentials wins', () => {
    const fs = new MemoryFS({
      '/root/.config/containers/auth.json': auths({ 'quay.io': ALICE }),
      '/root/.docker/config.json': auths({ 'quay.io/ns': WRONG }),
    });
    expect(lookupCredentials(fs, sys(), 'quay.io', 'ns/app').credential?.source).toBe('user alice from /root/.config/containers/auth.json key quay.io');
  });

  it('an entry without credentials falls through to the next file', () => {
    const fs = new MemoryFS({
      '/root/auth.json': auths({ 'quay.io': b64('nocolon') }),
      '/root/.docker/config.json': auths({ 'quay.io': ALICE }),
    });
    const r = lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'quay.io', 'a');
    expect(r.credential?.source).toBe('user alice from /root/.docker/config.json key quay.io');
    expect(r.trace.join('\n')).toContain('missing semicolon');
  });
});

describe('key precedence within a file (findCredentialsInFile)', () => {
  it.each([
    ['repository key', { 'r.io:5443/team-a/app': ALICE, 'r.io:5443': WRONG }, 'r.io:5443/team-a/app'],
    ['namespace key beats host', { 'r.io:5443/team-a': ALICE, 'r.io:5443': WRONG }, 'r.io:5443/team-a'],
    ['host key', { 'r.io:5443': ALICE }, 'r.io:5443'],
    ['URL key', { 'https://r.io:5443': ALICE }, 'https://r.io:5443'],
    ['legacy URL key with /v1/', { 'http://r.io:5443/v1/': ALICE }, 'http://r.io:5443/v1/'],
    ['exact keys beat URL keys', { 'https://r.io:5443': WRONG, 'r.io:5443': ALICE }, 'r.io:5443'],
  ])('%s', (_name, entries, key) => {
    const fs = new MemoryFS({ '/root/auth.json': auths(entries) });
    const r = lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io:5443', 'team-a/app');
    expect(r.credential?.source).toBe(`user alice from /root/auth.json key ${key}`);
    expect(r.credential?.password).toBe('wonderland');
  });

  it.each([
    ['https://index.docker.io/v1/'],
    ['registry-1.docker.io'],
    ['docker.io'],
  ])('Docker Hub key %s serves docker.io', (key) => {
    const fs = new MemoryFS({ '/root/.docker/config.json': auths({ [key]: ALICE }) });
    expect(lookupCredentials(fs, sys(), 'docker.io', 'library/busybox').credential?.username).toBe('alice');
  });

  it('a key for another path of the same host does not match', () => {
    const fs = new MemoryFS({ '/root/auth.json': auths({ 'r.io/team-b': ALICE }) });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io', 'team-a/app').credential).toBeUndefined();
  });

  it('the legacy ~/.dockercfg is keyed by host only and has no auths wrapper', () => {
    const fs = new MemoryFS({ '/root/.dockercfg': JSON.stringify({ 'r.io:5443': { auth: ALICE, email: 'a@b' } }) });
    expect(lookupCredentials(fs, sys(), 'r.io:5443', 'team-a/app').credential?.username).toBe('alice');
  });

  it('a legacy-format file given as --authfile yields nothing (auth/166)', () => {
    const fs = new MemoryFS({ '/root/dockercfg': JSON.stringify({ 'r.io:5443': { auth: ALICE } }) });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/dockercfg' }), 'r.io:5443', 'team-a/app').credential).toBeUndefined();
  });

  it('fields match case-insensitively and a repeated key keeps the last value', () => {
    const fs = new MemoryFS({ '/root/auth.json': `{"AUTHS": {"r.io": {"Auth": "${WRONG}"}, "r.io": {"auth": "${ALICE}"}}}` });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io', 'a').credential?.password).toBe('wonderland');
  });

  it('the password keeps everything after the first colon, NULs trimmed', () => {
    const fs = new MemoryFS({ '/root/auth.json': auths({ 'r.io': b64('u:p:q\0') }) });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io', 'a').credential).toMatchObject({ username: 'u', password: 'p:q' });
  });
});

describe('errors (auth conformance group)', () => {
  const lookup = (content: string, file = '/root/auth.json') =>
    lookupCredentials(new MemoryFS({ [file]: content }), sys({ authFilePath: '/root/auth.json' }), 'r.io:5443', 'team-a/app').error?.message;
  it.each([
    ['malformed JSON', '{"auths": {\n', 'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": unmarshaling JSON at "/root/auth.json": unexpected end of JSON input\n\n'],
    ['bad base64', auths({ 'r.io:5443': 'not*base64' }), 'getting username and password: 1 error occurred:\n\t* illegal base64 data at input byte 3\n\n'],
    ['auths is an array', '{"auths": []}', 'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": unmarshaling JSON at "/root/auth.json": json: cannot unmarshal array into Go struct field dockerConfigFile.auths of type map[string]config.dockerAuthConfig\n\n'],
    ['entry is a string', '{"auths": {"x": "y"}}', 'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": unmarshaling JSON at "/root/auth.json": json: cannot unmarshal string into Go struct field dockerConfigFile.auths of type config.dockerAuthConfig\n\n'],
    ['auth is a number', '{"auths": {"x": {"auth": 1}}}', 'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": unmarshaling JSON at "/root/auth.json": json: cannot unmarshal number into Go struct field dockerAuthConfig.auths.auth of type string\n\n'],
    ['top level is an array', '[]', 'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": unmarshaling JSON at "/root/auth.json": json: cannot unmarshal array into Go value of type config.dockerConfigFile\n\n'],
    ['credHelpers entry for the registry', '{"credHelpers": {"r.io:5443": "secretservice"}}', 'getting username and password: 1 error occurred:\n\t* error getting credentials - err: exec: "docker-credential-secretservice": executable file not found in $PATH, out: ``\n\n'],
  ])('%s', (_name, content, want) => {
    expect(lookup(content)).toBe(want);
  });

  it('a directory where the auth file should be', () => {
    const fs = new MemoryFS();
    fs.mkdir('/root/auth.json');
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io', 'a').error?.message).toBe(
      'getting username and password: 1 error occurred:\n\t* reading JSON file "/root/auth.json": read /root/auth.json: is a directory\n\n',
    );
  });

  it("a missing --authfile is ignored by the lookup (skopeo) and fails podman's stat", () => {
    const fs = new MemoryFS();
    const r = lookupCredentials(fs, sys({ authFilePath: '/root/nope.json' }), 'r.io', 'a');
    expect([r.credential, r.error]).toEqual([undefined, undefined]);
    expect(checkAuthFileExists(fs, '/root/nope.json')?.message).toBe('stat /root/nope.json: no such file or directory');
    expect(checkAuthFileExists(new MemoryFS({ '/root/a.json': '{}' }), '/root/a.json')).toBeUndefined();
  });

  it('credHelpers for another registry are ignored', () => {
    const fs = new MemoryFS({ '/root/auth.json': JSON.stringify({ credHelpers: { 'quay.io': 'x' }, auths: { 'r.io': { auth: ALICE } } }) });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json' }), 'r.io', 'a').credential?.username).toBe('alice');
  });
});

describe('SystemContext credentials and mirrors', () => {
  const creds = { username: 'kube', password: 'pw', source: 'pull secret default/s' };
  it('DockerAuthConfig wins outright over every file', () => {
    const fs = new MemoryFS({ '/root/auth.json': 'not json' });
    expect(lookupCredentials(fs, sys({ authFilePath: '/root/auth.json', dockerAuthConfig: creds }), 'r.io', 'a').credential).toBe(creds);
  });

  it.each([
    ['harbor.lab.test', 'harbor.lab.test', true],
    ['harbor.lab.test', 'private.lab.test:5443', false],
    ['harbor.lab.test', 'harbor.lab.test:443', false],
  ])('logical %s, source %s: kept=%s', (logical, source, kept) => {
    expect(credentialForMirror(logical, source, creds)).toBe(kept ? creds : undefined);
    expect(systemContextForSource(sys({ dockerAuthConfig: creds }), logical, source).dockerAuthConfig).toBe(kept ? creds : undefined);
  });

  it.each([
    [{ username: 'u', password: 'p' }, 'u'],
    [{ auth: b64('a:b'), username: 'ignored' }, 'a'],
    [{ auth: b64('nocolon'), username: 'ignored' }, undefined],
    [{ username: '', password: 'p' }, undefined],
    [undefined, undefined],
  ])('CRI-O uses %j only with a username', (auth, user) => {
    expect(crioCredential(auth, 'kubelet')?.credential?.username).toBe(user);
  });

  it('CRI-O fails a bad base64 auth', () => {
    expect(crioCredential({ auth: 'a*' }, 'kubelet').error?.message).toBe('illegal base64 data at input byte 1');
  });
});

describe('helpers', () => {
  it('authKeysForKey', () => {
    expect(authKeysForKey('quay.io/a/b/img')).toEqual(['quay.io/a/b/img', 'quay.io/a/b', 'quay.io/a', 'quay.io']);
  });
  it.each([
    ['https://r.io:5443/v1/', false, 'r.io:5443'],
    ['r.io/ns', false, 'r.io/ns'],
    ['r.io/ns', true, 'r.io'],
    ['http://docker.io', false, 'index.docker.io'],
  ])('normalizeAuthFileKey(%s, legacy=%s) = %s', (key, legacy, want) => {
    expect(normalizeAuthFileKey(key, legacy)).toBe(want);
  });
  it('parseAuthFileText keeps file order of auths', () => {
    expect([...parseAuthFileText(auths({ b: ALICE, a: ALICE }), false).auths.keys()]).toEqual(['b', 'a']);
  });
});

describe('conformance: auth group credential outcomes', () => {
  const dir = join(import.meta.dirname, '../conformance/auth');
  const cases = readdirSync(dir).flatMap((f) => {
    const doc = parseYaml(readFileSync(join(dir, f), 'utf8')) as {
      runtime: RuntimeName;
      node: { files: Record<string, unknown> };
      pulls: { image: string; options?: { authfile?: string }; expect: { result: string; error?: string } }[];
    };
    return doc.pulls.map((p) => [f, doc, p] as const);
  });
  it.each(cases)('%s', (_f, doc, pull) => {
    const files = Object.fromEntries(Object.entries(doc.node.files).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const fs = new MemoryFS(files);
    const s = sys({ authFilePath: pull.options?.authfile }, doc.runtime);
    const [host, ...rest] = pull.image.replace(/:[^:/]+$/, '').split('/');
    const error = pull.expect.error ?? '';
    if (doc.runtime === 'podman' && s.authFilePath && checkAuthFileExists(fs, s.authFilePath)) {
      expect(checkAuthFileExists(fs, s.authFilePath)?.message).toBe(error);
      return;
    }
    const r = lookupCredentials(fs, s, host, rest.join('/'));
    if (error.includes('getting username and password')) {
      expect(error.endsWith(r.error?.message ?? '<none>')).toBe(true);
    } else if (pull.expect.result === 'pulled' && host === 'private.lab.test:5443') {
      expect(r.credential?.password).toBe('wonderland');
    } else if (error.includes('unauthorized: authentication required')) {
      expect(r.error).toBeUndefined();
      expect(r.credential?.password ?? 'none').not.toBe('wonderland');
    }
  });
});
