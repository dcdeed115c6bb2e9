/**
 * What one fake registry stores, indexed the way its API reads it: per repository, tags →
 * manifest digests, manifests by digest, and the blobs linked into that repository.
 */
import type { RegistrySpec, Scenario, ServedImage } from '../src/scenario/types.js';
import { servedContent, type Blob, type BuiltImage, type Manifest } from './images.js';

export interface Repository {
  tags: Map<string, string>;
  manifests: Map<string, Manifest>;
  blobs: Map<string, Buffer>;
}

export type RegistryContent = Map<string, Repository>;

export function splitRepoTag(key: string): { repository: string; tag: string } {
  const colon = key.lastIndexOf(':');
  if (colon < 0 || key.indexOf('/', colon) >= 0) return { repository: key, tag: 'latest' };
  return { repository: key.slice(0, colon), tag: key.slice(colon + 1) };
}

export function repositoryOf(content: RegistryContent, name: string): Repository {
  let repo = content.get(name);
  if (!repo) content.set(name, (repo = { tags: new Map(), manifests: new Map(), blobs: new Map() }));
  return repo;
}

/** Stores manifests and blobs in a repository, and points `tag` (if any) at the first manifest. */
export function store(repo: Repository, manifests: Manifest[], blobs: Blob[], tag?: string): void {
  for (const m of manifests) repo.manifests.set(m.digest, m);
  for (const b of blobs) repo.blobs.set(b.digest, b.bytes);
  if (tag !== undefined && manifests[0]) repo.tags.set(tag, manifests[0].digest);
}

export interface ServedEntry {
  repository: string;
  tag: string;
  served: ServedImage;
  image: BuiltImage;
}

export function registryContent(scenario: Pick<Scenario, 'images'>, spec: RegistrySpec): { content: RegistryContent; entries: ServedEntry[] } {
  const content: RegistryContent = new Map();
  const entries: ServedEntry[] = [];
  for (const [key, served] of Object.entries(spec.images)) {
    const { repository, tag } = splitRepoTag(key);
    const image = servedContent(scenario, spec.handle, repository, served);
    store(repositoryOf(content, repository), image.manifests, image.blobs, tag);
    entries.push({ repository, tag, served, image });
  }
  return { content, entries };
}
