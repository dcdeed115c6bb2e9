import { describe, expect, it } from 'vitest';
import { fileUrlPath, loadRegistriesD, lookasideSignatureUrl, parseRegistriesDFile, redactUrl } from '../../src/config/registries-d.js';
import { MemoryFS } from '../../src/node-fs.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { defaultSystemContext } from '../../src/system-context.js';

const sys = defaultSystemContext('skopeo');
const D = `sha256:${'f'.repeat(64)}`;
const ref = (s: string) => parseNormalizedNamed(s);

function load(files: Record<string, string>) {
  return loadRegistriesD(new MemoryFS(files), sys);
}

describe('lookaside scope matching (most specific wins)', () => {
  const rd = load({
    '/etc/containers/registries.d/default.yaml': 'default-docker:\n  lookaside: file:///srv/default\n',
    '/etc/containers/registries.d/lab.yaml': [
      'docker:',
      '  harbor.lab.test:',
      '    lookaside: file:///srv/harbor',
      '  harbor.lab.test/team:',
      '    sigstore: https://sigs.lab.test/team',
      '  harbor.lab.test/team/app:v2:',
      '    lookaside: file:///srv/exact',
      `  harbor.lab.test/team/app@${D}:`,
      '    lookaside: file:///srv/by-digest',
      '  harbor.lab.test/attach:',
      '    use-sigstore-attachments: true',
      '  "*.wild.test":',
      '    lookaside: file:///srv/wild',
      '  mirror1.lab.test:5000:',
      '    lookaside: file:///srv/mirror1',
    ].join('\n'),
    '/etc/containers/registries.d/ignored.yml': 'default-docker: {lookaside: file:///never}\n',
  });
  it.each([
    ['harbor.lab.test/signed/app:v1', 'file:///srv/harbor/signed/app'],
    ['harbor.lab.test/team/app:v1', 'https://sigs.lab.test/team/team/app'],
    ['harbor.lab.test/team/app:v2', 'file:///srv/exact/team/app'],
    [`harbor.lab.test/team/app@${D}`, 'file:///srv/by-digest/team/app'],
    [`harbor.lab.test/team/app:v1@${D}`, 'file:///srv/by-digest/team/app'],
    ['reg.wild.test/a/b:1', 'file:///srv/wild/a/b'],
    ['harbor.lab.test/attach/app:v1', 'file:///srv/harbor/attach/app'],
    ['reg.wild.test:5000/a/b:1', 'file:///srv/wild/a/b'],
    ['mirror1.lab.test:5000/signed/app:v1', 'file:///srv/mirror1/signed/app'],
    ['quay.io/x/y:1', 'file:///srv/default/x/y'],
  ])('%s → %s', (r, want) => expect(rd.lookasideFor(ref(r))).toBe(want));

  it('use-sigstore-attachments follows the same scopes, default false', () => {
    expect(rd.useSigstoreAttachments(ref('harbor.lab.test/attach/app:v1'))).toBe(true);
    expect(rd.useSigstoreAttachments(ref('harbor.lab.test/signed/app:v1'))).toBe(false);
  });
});

describe('built-in default lookaside', () => {
  it('is /var/lib/containers/sigstore for root with no registries.d', () => {
    expect(load({}).lookasideFor(ref('harbor.lab.test/signed/app:v1'))).toBe('file:///var/lib/containers/sigstore/signed/app');
  });
  it('is under $HOME for other users', () => {
    const rd = loadRegistriesD(new MemoryFS({}), { ...sys, uid: 1000, home: '/home/u' });
    expect(rd.lookasideFor(ref('h.test/a/b:1'))).toBe('file:///home/u/.local/share/containers/sigstore/a/b');
  });
  it('a user registries.d shadows the system one', () => {
    const rd = load({
      '/etc/containers/registries.d/a.yaml': 'default-docker: {lookaside: file:///etc-level}\n',
      '/root/.config/containers/registries.d/b.yaml': 'default-docker: {lookaside: file:///user-level}\n',
    });
    expect(rd.dirPath).toBe('/root/.config/containers/registries.d');
    expect(rd.lookasideFor(ref('h.test/a/b:1'))).toBe('file:///user-level/a/b');
  });
});

describe('signature URL layout', () => {
  it('appends @algo=hex/signature-N', () => {
    expect(lookasideSignatureUrl('file:///srv/sigs/lab/app', D, 2)).toBe(`file:///srv/sigs/lab/app@sha256=${'f'.repeat(64)}/signature-2`);
  });
  it.each([
    ['file:///srv/x', '/srv/x'],
    ['file:/srv/x', '/srv/x'],
    ['https://h/x', undefined],
  ])('file path of %s', (u, want) => expect(fileUrlPath(u)).toBe(want));
  it('redacts passwords', () => expect(redactUrl('https://u:secret@h/x')).toBe('https://u:xxxxx@h/x'));
});

describe('registries.d errors', () => {
  const P = '/etc/containers/registries.d';
  it.each([
    [
      'default-docker twice',
      { [`${P}/a.yaml`]: 'default-docker: {lookaside: file:///a}\n', [`${P}/b.yaml`]: 'default-docker: {lookaside: file:///b}\n' },
      `Error parsing signature storage configuration: "default-docker" defined both in "${P}/a.yaml" and "${P}/b.yaml"`,
    ],
    [
      'a namespace twice',
      { [`${P}/a.yaml`]: 'docker:\n  h.test: {}\n', [`${P}/b.yaml`]: 'docker:\n  h.test:\n    lookaside: file:///b\n' },
      `Error parsing signature storage configuration: "docker" namespace "h.test" defined both in "${P}/a.yaml" and "${P}/b.yaml"`,
    ],
    ['a list at the top', { [`${P}/a.yaml`]: '- a\n' }, `parsing ${P}/a.yaml: error unmarshaling JSON: json: cannot unmarshal array into Go value of type docker.registryConfiguration`],
    [
      'docker as a string',
      { [`${P}/a.yaml`]: 'docker: nope\n' },
      `parsing ${P}/a.yaml: error unmarshaling JSON: json: cannot unmarshal string into Go struct field registryConfiguration.docker of type map[string]docker.registryNamespace`,
    ],
    [
      'a list as lookaside',
      { [`${P}/a.yaml`]: 'docker:\n  h.test:\n    lookaside: [a]\n' },
      `parsing ${P}/a.yaml: error unmarshaling JSON: json: cannot unmarshal array into Go struct field registryNamespace.docker.lookaside of type string`,
    ],
    [
      'a string as use-sigstore-attachments',
      { [`${P}/a.yaml`]: 'docker:\n  h.test:\n    use-sigstore-attachments: "true"\n' },
      `parsing ${P}/a.yaml: error unmarshaling JSON: json: cannot unmarshal string into Go struct field registryNamespace.docker.use-sigstore-attachments of type bool`,
    ],
    ['a tab indent', { [`${P}/a.yaml`]: 'docker:\n\th.test: {}\n' }, `parsing ${P}/a.yaml: error converting YAML to JSON: yaml: line 2: found character that cannot start any token`],
    [
      'a duplicate key',
      { [`${P}/a.yaml`]: 'docker:\n  h.test: {}\n  h.test: {}\n' },
      `parsing ${P}/a.yaml: error converting YAML to JSON: yaml: unmarshal errors:\n  line 3: key "h.test" already set in map`,
    ],
  ])('%s', (_n, files, want) => {
    expect(() => load(files)).toThrow(want);
  });

  it('a control character in a lookaside URL fails when it is used', () => {
    const rd = load({ [`${P}/a.yaml`]: 'default-docker:\n  lookaside: "file:///a\\tb"\n' });
    expect(() => rd.lookasideFor(ref('h.test/a/b:1'))).toThrow('Invalid signature storage URL file:///a\tb: parse "file:///a\\tb": net/url: invalid control character in URL');
  });

  it.each([
    ['an empty file', ''],
    ['only a comment', '# nothing\n'],
    ['unknown keys', 'other: 1\ndocker:\n  h.test:\n    whatever: x\n'],
  ])('accepts %s', (_n, content) => {
    expect(parseRegistriesDFile('/x.yaml', content).docker.size).toBeLessThanOrEqual(1);
  });

  it('YAML 1.1 scalars become strings for string fields (ghodss/yaml)', () => {
    expect(parseRegistriesDFile('/x.yaml', 'docker:\n  h.test:\n    lookaside: 5\n    use-sigstore-attachments: yes\n').docker.get('h.test')).toEqual({
      lookaside: '5',
      useSigstoreAttachments: true,
    });
  });
});

describe('go-yaml wording of common YAML mistakes', () => {
  it.each([
    ['a: b: c\n', 'yaml: line 1: mapping values are not allowed in this context'],
  ])('%j', (content, want) => {
    expect(() => parseRegistriesDFile('/x.yaml', content)).toThrow(`parsing /x.yaml: error converting YAML to JSON: ${want}`);
  });
});
