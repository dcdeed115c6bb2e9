import { describe, expect, it } from 'vitest';
import { buildKeyring, globMatch, keyringKey, nodeKeyringSource, parseKeyringSource, urlsMatch, type KeyringSource } from '../../src/auth/kubelet-keyring.js';
import { MemoryFS } from '../../src/node-fs.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (description: string, entries: Record<string, object>): KeyringSource => ({
  description,
  kind: 'dockerconfigjson',
  text: JSON.stringify({ auths: entries }),
});

describe('keys (BasicDockerKeyring.Add)', () => {
  it.each([
    ['quay.io', 'quay.io'],
    ['https://quay.io', 'quay.io'],
    ['http://quay.io/', 'quay.io'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['quay.io/v2/ns', 'quay.io/ns'],
    ['quay.io/coreos', 'quay.io/coreos'],
    ['r.io:5443', 'r.io:5443'],
    ['https://quay.io:443', 'quay.io:443'],
  ])('%s → %s', (loc, key) => {
    expect(keyringKey(loc)).toBe(key);
  });

  it('an unparsable key is skipped', () => {
    expect(keyringKey('quay.io:notaport')).toBeUndefined();
  });
});

describe('matching (URLsMatchStr)', () => {
  it.each([
    ['*.example.com', 'a.example.com/x', true],
    ['*.example.com', 'example.com/x', false],
    ['*.example.com', 'a.b.example.com/x', false],
    ['quay.io', 'quay.io/a/b', true],
    ['quay.io/a', 'quay.io/a/b', true],
    ['quay.io/a', 'quay.io/ab/c', true],
    ['quay.io/b', 'quay.io/a/b', false],
    ['r.io:5443', 'r.io:5443/a', true],
    ['r.io', 'r.io:5443/a', false],
    ['r.io:5443', 'r.io/a', false],
    ['*.io', 'quay.io/a', true],
    // url.Parse takes '?' as the start of a query, so this glob can never match.
    ['q?ay.io', 'quay.io/a', false],
    ['[pq]uay.io', 'quay.io/a', true],
    ['[^q]uay.io', 'quay.io/a', false],
    ['[quay.io', 'quay.io/a', false],
  ])('%s vs %s → %s', (key, image, want) => {
    expect(urlsMatch(key, image)).toBe(want);
  });

  it('globMatch does not cross label boundaries by construction', () => {
    expect(globMatch('*', 'anything')).toBe(true);
    expect(globMatch('a\\*', 'a*')).toBe(true);
    expect(globMatch('a\\', 'a')).toBe(false);
  });
});

describe('lookup order and Docker Hub default', () => {
  const pod = [
    secret('secret ns/one', { 'quay.io': { auth: b64('host:1') }, 'quay.io/coreos': { auth: b64('ns:2') } }),
    secret('secret ns/two', { 'quay.io': { username: 'second', password: 'p' } }),
  ];
  const node: KeyringSource = { description: '/var/lib/kubelet/config.json', kind: 'dockerconfigjson', text: JSON.stringify({ auths: { 'quay.io': { auth: b64('node:3') } } }) };

  it('all matches, most specific key first, pod secrets before the node', () => {
    const ring = buildKeyring(pod, node);
    expect(ring.lookup('quay.io/coreos/etcd:v3').map((c) => c.username)).toEqual(['ns', 'host', 'second', 'node']);
    expect(ring.keys).toEqual(['quay.io/coreos', 'quay.io', 'quay.io']);
  });

  it('the image is normalized: short names are Docker Hub', () => {
    const ring = buildKeyring([secret('s', { 'https://index.docker.io/v1/': { auth: b64('hub:x') } })]);
    expect(ring.lookup('nginx').map((c) => c.username)).toEqual(['hub']);
    expect(ring.lookup('docker.io/library/nginx:1').map((c) => c.username)).toEqual(['hub']);
    expect(ring.lookup('quay.io/nginx')).toEqual([]);
  });

  it('a docker.io key matches docker.io images directly', () => {
    expect(buildKeyring([secret('s', { 'docker.io': { auth: b64('d:x') } })]).lookup('busybox').map((c) => c.username)).toEqual(['d']);
  });

  it('auth overrides username/password and splits on the first colon', () => {
    const c = buildKeyring([secret('s', { 'r.io': { username: 'u', password: 'p', auth: b64('a:b:c') } })]).lookup('r.io/x')[0];
    expect([c.username, c.password]).toEqual(['a', 'b:c']);
  });

  it('unpadded auth is decoded with RawStdEncoding', () => {
    expect(buildKeyring([secret('s', { 'r.io': { auth: 'YTpi' } })]).lookup('r.io/x')[0].username).toBe('a');
    expect(buildKeyring([secret('s', { 'r.io': { auth: 'YTpiYw' } })]).lookup('r.io/x')[0].password).toBe('bc');
  });

  it('the dockercfg kind is a flat map', () => {
    const ring = buildKeyring([{ description: 's', kind: 'dockercfg', text: JSON.stringify({ 'r.io': { auth: b64('flat:x') } }) }]);
    expect(ring.lookup('r.io/x').map((c) => c.username)).toEqual(['flat']);
  });

  it('a broken node config is skipped, not fatal', () => {
    const ring = buildKeyring([], { description: '/var/lib/kubelet/config.json', kind: 'dockerconfigjson', text: '{' });
    expect(ring.lookup('r.io/x')).toEqual([]);
  });
});

describe('malformed pod secrets fail the pull with the kubelet text', () => {
  it.each([
    ['truncated', { kind: 'dockerconfigjson', text: '{"auths":' }, 'unexpected end of JSON input'],
    ['bad character', { kind: 'dockercfg', text: '{x}' }, "invalid character 'x' looking for beginning of object key string"],
    ['auth without colon', { kind: 'dockercfg', text: JSON.stringify({ 'r.io': { auth: b64('nocolon') } }) }, 'unable to parse auth field, must be formatted as base64(username:password)'],
    ['auth not base64', { kind: 'dockercfg', text: JSON.stringify({ 'r.io': { auth: 'a*b=' } }) }, 'illegal base64 data at input byte 1'],
    ['auths not an object', { kind: 'dockerconfigjson', text: '{"auths": []}' }, 'json: cannot unmarshal array into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig'],
    ['dockercfg not an object', { kind: 'dockercfg', text: '[]' }, 'json: cannot unmarshal array into Go value of type credentialprovider.DockerConfig'],
  ] as const)('%s', (_name, src, want) => {
    expect(() => parseKeyringSource({ description: 's', ...src })).toThrow(want);
    expect(() => buildKeyring([{ description: 's', ...src }])).toThrow(want);
  });
});

describe("the node's own config", () => {
  it.each([
    [{ '/var/lib/kubelet/config.json': '{"auths":{}}', '/root/.docker/config.json': '{"auths":{}}' }, '/var/lib/kubelet/config.json'],
    [{ '/var/lib/kubelet/config.json': '{', '/root/.docker/config.json': '{"auths":{}}' }, '/root/.docker/config.json'],
    [{ '/var/lib/kubelet/.dockercfg': '{}' }, '/var/lib/kubelet/.dockercfg'],
    [{}, undefined],
  ])('%j → %s', (files, want) => {
    expect(nodeKeyringSource(new MemoryFS(files))?.description).toBe(want);
  });
});
