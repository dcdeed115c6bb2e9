#!/usr/bin/env node
// Builds the recording lab's test image as an OCI image layout (one small layer, linux/amd64, tag `1`),
// so the lab needs no image from any network. Usage: record-containerd-image.mjs DIR
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: record-containerd-image.mjs DIR');
  process.exit(2);
}

/** A ustar archive holding one regular file. */
function tarOneFile(name, content) {
  const header = Buffer.alloc(512);
  const field = (value, offset, length) => header.write(value, offset, length, 'ascii');
  const octal = (n, length) => n.toString(8).padStart(length - 1, '0');
  field(name, 0, 100);
  field(octal(0o644, 8), 100, 8);
  field(octal(0, 8), 108, 8);
  field(octal(0, 8), 116, 8);
  field(octal(content.length, 12), 124, 12);
  field(octal(0, 12), 136, 12);
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar\u000000', 257, 8);
  let sum = 0;
  for (const b of header) sum += b;
  field(`${octal(sum, 7)}\u0000`, 148, 8);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blobs = join(dir, 'blobs', 'sha256');
mkdirSync(blobs, { recursive: true });
const put = (bytes) => {
  const digest = sha(bytes);
  writeFileSync(join(blobs, digest.slice(7)), bytes);
  return { digest, size: bytes.length };
};

const tar = tarOneFile('hello.txt', Buffer.from('pullsim containerd recording\n'));
const layer = put(gzipSync(tar, { level: 9 }));
const config = put(
  Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha(tar)] } })),
);
const manifest = put(
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  ),
);
writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
writeFileSync(
  join(dir, 'index.json'),
  JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': '1' } }],
  }),
);
writeFileSync(join(dir, 'digest'), manifest.digest);
