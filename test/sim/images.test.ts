import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildImage, scenarioDigests, servedContent } from '../../sim/images.js';
import { tar } from '../../sim/tar.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('scenarioDigests', () => {
  const images = { app: {}, other: {}, multi: { platforms: ['linux/amd64', 'linux/arm64/v8'] } };
  const d = scenarioDigests({ images });
  it('names every catalog image and every platform of a multi-platform one', () => {
    expect(Object.keys(d).sort()).toEqual(['app', 'multi', 'multi/linux/amd64', 'multi/linux/arm64/v8', 'other']);
    for (const v of Object.values(d)) expect(v).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Set(Object.values(d)).size).toBe(5);
  });
  it('is a pure function of the scenario', () => {
    expect(scenarioDigests({ images: { ...images } })).toEqual(d);
  });
  it('the index digest covers the platform manifests it lists', () => {
    const index = buildImage('catalog:multi', images.multi);
    expect(index.manifest.digest).toBe(d.multi);
    expect(JSON.parse(index.manifest.bytes.toString()).manifests.map((m: { digest: string }) => m.digest)).toEqual([d['multi/linux/amd64'], d['multi/linux/arm64/v8']]);
  });
});

describe('catalog content is the same everywhere, inline content unique per registry and repository', () => {
  const scenario = { images: { app: {} } };
  const served = (image?: string) => ({ image, options: {}, sign: [] });
  it.each([
    [['harbor', 'lab/app', served('app')], ['nexus', 'other/repo', served('app')], true],
    [['harbor', 'lab/app', served()], ['nexus', 'lab/app', served()], false],
    [['harbor', 'lab/app', served()], ['harbor', 'lab/other', served()], false],
    [['harbor', 'lab/app', served()], ['harbor', 'lab/app', served()], true],
  ] as const)('%j vs %j: same=%s', (a, b, same) => {
    const x = servedContent(scenario, a[0], a[1], a[2]);
    const y = servedContent(scenario, b[0], b[1], b[2]);
    expect(x.manifest.digest === y.manifest.digest).toBe(same);
  });
});

describe('layers are real gzip’d tar archives', () => {
  it.each([1, 3])('%d layer(s)', (layers) => {
    const image = buildImage('seed', { layers });
    const manifest = JSON.parse(image.manifest.bytes.toString());
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.layers).toHaveLength(layers);
    for (const l of manifest.layers) {
      const blob = image.blobs.find((b) => b.digest === l.digest)!;
      expect(sha(blob.bytes)).toBe(l.digest);
      const archive = gunzipSync(blob.bytes);
      expect(archive.length % 512).toBe(0);
      expect(archive.subarray(257, 262).toString()).toBe('ustar');
    }
  });
  it('tar headers carry a valid checksum', () => {
    const t = tar([{ path: 'a.txt', content: Buffer.from('hello') }]);
    const header = Buffer.from(t.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString(), 8);
    header.fill(0x20, 148, 156);
    expect(stored).toBe(header.reduce((s, b) => s + b, 0));
    expect(t.subarray(512, 517).toString()).toBe('hello');
    expect(t.length).toBe(512 * 4);
  });
});
