/**
 * `--shard i/n`: which images this CI job takes. The split hashes the reference (FNV-1a, 32 bits), so
 * an image stays in its shard when others are added or removed and every machine agrees.
 */
import { InputError } from '../errors/index.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError(`--shard ${JSON.stringify(text)} is not accepted; accepted: i/n with 1 ≤ i ≤ n, e.g. 1/4`);
  }
  return { index, count };
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function inShard(reference: string, shard: Shard | undefined): boolean {
  return shard === undefined || fnv1a(reference) % shard.count === shard.index - 1;
}
