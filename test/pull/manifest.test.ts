import { describe, expect, it } from 'vitest';
import { chooseInstance, isManifestList, manifestBlobs, MEDIA_TYPE, wantedPlatforms } from '../../src/pull/manifest.js';

const entry = (digest: string, p?: { architecture: string; os: string; variant?: string }) => ({ mediaType: MEDIA_TYPE.ociManifest, digest, size: 1, ...(p ? { platform: p } : {}) });
const list = (type: string, ...manifests: object[]) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: type, manifests }));

const multi = [entry('sha256:amd64', { architecture: 'amd64', os: 'linux' }), entry('sha256:arm64v8', { architecture: 'arm64', os: 'linux', variant: 'v8' })];

describe('chooseInstance as c/i 5.23.1', () => {
  it.each([
    ['host platform', MEDIA_TYPE.ociIndex, multi, { os: 'linux', arch: 'amd64' }, 'sha256:amd64'],
    ['arm64 without variant still takes v8', MEDIA_TYPE.ociIndex, multi, { os: 'linux', arch: 'arm64' }, 'sha256:arm64v8'],
    ['arm64 host reporting v8', MEDIA_TYPE.schema2List, multi, { os: 'linux', arch: 'arm64', variant: 'v8' }, 'sha256:arm64v8'],
    [
      'arm v7 falls back to v6',
      MEDIA_TYPE.schema2List,
      [entry('sha256:v5', { architecture: 'arm', os: 'linux', variant: 'v5' }), entry('sha256:v6', { architecture: 'arm', os: 'linux', variant: 'v6' })],
      { os: 'linux', arch: 'arm', variant: 'v7' },
      'sha256:v6',
    ],
    [
      'exact variant beats list order',
      MEDIA_TYPE.ociIndex,
      [entry('sha256:plain', { architecture: 'arm64', os: 'linux' }), entry('sha256:v8', { architecture: 'arm64', os: 'linux', variant: 'v8' })],
      { os: 'linux', arch: 'arm64', variant: 'v8' },
      'sha256:v8',
    ],
    ['OCI entry without platform as last resort', MEDIA_TYPE.ociIndex, [entry('sha256:amd64', { architecture: 'amd64', os: 'linux' }), entry('sha256:any')], { os: 'linux', arch: 's390x' }, 'sha256:any'],
  ])('%s', (_n, type, manifests, platform, expected) => {
    expect(chooseInstance(list(type, ...manifests), type, platform)).toBe(expected);
  });

  it.each([
    ['OCI index', MEDIA_TYPE.ociIndex, multi, { os: 'linux', arch: 's390x' }, 'no image found in image index for architecture s390x, variant "", OS linux'],
    ['schema2 list', MEDIA_TYPE.schema2List, multi, { os: 'linux', arch: 's390x' }, 'no image found in manifest list for architecture s390x, variant "", OS linux'],
    ['amd64 v3 entries never match', MEDIA_TYPE.ociIndex, [entry('sha256:v3', { architecture: 'amd64', os: 'linux', variant: 'v3' })], { os: 'linux', arch: 'amd64' }, 'no image found in image index for architecture amd64, variant "", OS linux'],
    ['schema2 list ignores entries without platform', MEDIA_TYPE.schema2List, [entry('sha256:any')], { os: 'linux', arch: 'amd64' }, 'no image found in manifest list for architecture amd64, variant "", OS linux'],
    ['wanted variant named', MEDIA_TYPE.ociIndex, multi, { os: 'linux', arch: 'arm', variant: 'v7' }, 'no image found in image index for architecture arm, variant "v7", OS linux'],
  ])('no match: %s', (_n, type, manifests, platform, expected) => {
    expect(() => chooseInstance(list(type, ...manifests), type, platform)).toThrow(expected);
  });

  it.each([
    ['single image type', Buffer.from('{}'), MEDIA_TYPE.schema2, 'Treating single images as manifest lists is not implemented'],
    ['unknown type', Buffer.from('{}'), 'text/plain', 'Treating single images as manifest lists is not implemented'],
    ['syntax error', Buffer.from('{"manifests": ['), MEDIA_TYPE.ociIndex, 'unmarshaling OCI1Index "{\\"manifests\\": [": unexpected end of JSON input'],
    ['manifests not a list', Buffer.from('{"manifests": 1}'), MEDIA_TYPE.schema2List, 'unmarshaling Schema2List "{\\"manifests\\": 1}": json: cannot unmarshal number into Go struct field Schema2List.manifests of type []manifest.Schema2ManifestDescriptor'],
    ['ambiguous', Buffer.from('{"manifests": [], "layers": [], "config": {}}'), MEDIA_TYPE.ociIndex, 'rejecting ambiguous manifest, unexpected fields []string{"config", "layers"} in supposedly application/vnd.oci.image.index.v1+json'],
  ])('malformed: %s', (_n, bytes, type, expected) => {
    expect(() => chooseInstance(bytes, type, { os: 'linux', arch: 'amd64' })).toThrow(expected);
  });
});

describe('wantedPlatforms (platform_matcher.go)', () => {
  it.each([
    [{ os: 'linux', arch: 'amd64' }, ['']],
    [{ os: 'linux', arch: 'arm64' }, ['', 'v8']],
    [{ os: 'linux', arch: 'arm64', variant: 'v8' }, ['v8', '']],
    [{ os: 'linux', arch: 'arm', variant: 'v6' }, ['v6', 'v5', '']],
    [{ os: 'linux', arch: 'amd64', variant: 'v3' }, ['v3', '']],
  ])('%j', (p, variants) => {
    expect(wantedPlatforms(p).map((w) => w.variant)).toEqual(variants);
  });
});

describe('manifest helpers', () => {
  it.each([
    [MEDIA_TYPE.ociIndex, true],
    [MEDIA_TYPE.schema2List, true],
    [MEDIA_TYPE.schema2, false],
    ['', false],
  ])('isManifestList(%s)', (t, expected) => expect(isManifestList(t)).toBe(expected));

  it.each([
    ['schema2', { config: { digest: 'sha256:c' }, layers: [{ digest: 'sha256:l1' }, { digest: 'sha256:l2' }] }, ['sha256:c', 'sha256:l1', 'sha256:l2']],
    ['schema1, base layer first', { schemaVersion: 1, fsLayers: [{ blobSum: 'sha256:top' }, { blobSum: 'sha256:base' }] }, ['sha256:base', 'sha256:top']],
    ['not a manifest', [1, 2], []],
  ])('manifestBlobs: %s', (_n, doc, expected) => {
    expect(manifestBlobs(Buffer.from(JSON.stringify(doc)))).toEqual(expected);
  });

  it('manifestBlobs of malformed JSON is empty', () => expect(manifestBlobs(Buffer.from('{'))).toEqual([]));
});
