/**
 * A small seeded PRNG (mulberry32) so that the same seed and size always give the same capture,
 * byte for byte. Math.random cannot be seeded; cryptographic quality is not needed here.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[weight, item], ...]`. */
  pickWeighted<T>(items: readonly (readonly [number, T])[]): T;
  chance(p: number): boolean;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    pickWeighted: (items) => {
      let total = 0;
      for (const [w] of items) total += w;
      let r = next() * total;
      for (const [w, item] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1][1];
    },
    chance: (p) => next() < p,
  };
}
