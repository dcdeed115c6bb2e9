/**
 * The kubelet's jitter comes from Go's global math/rand, so a real node never repeats its timing.
 * pullsim draws from a seeded generator instead: the same scenario (and seed) gives the same
 * event table on every run, and a scenario can pick another seed to see another plausible run.
 */
export const DEFAULT_RETRY_SEED = 1;

/** mulberry32: 32 bits of state, uniform floats in [0, 1); plenty for jitter, and tiny. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** apimachinery wait.Jitter: d + rand*factor*d (a factor ≤ 0 means 1). */
export function jitter(ms: number, factor: number, random: () => number): number {
  const f = factor <= 0 ? 1 : factor;
  return ms + random() * f * ms;
}
