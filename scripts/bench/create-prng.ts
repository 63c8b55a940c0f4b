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
  /** Moves on as `count` calls of next() would, at once (mulberry32's state only adds a constant). */
  skip(count: number): void;
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
      const sums = cumulativeWeights(items);
      const r = next() * sums[sums.length - 1];
      // The first item whose running sum passes r: what subtracting the weights one by one
      // finds, for the whole-number weights the catalogue uses, in log time. The generator
      // draws a pod's names again while they are busy, up to 256 times a lookup, and a linear
      // walk over the weights was four fifths of a lossy capture's generation time.
      let lo = 0;
      let hi = sums.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (r < sums[mid]) hi = mid;
        else lo = mid + 1;
      }
      return items[lo][1];
    },
    chance: (p) => next() < p,
    skip: (count) => {
      state = (state + Math.imul(count, 0x6d2b79f5)) >>> 0;
    },
  };
}

const runningSums = new WeakMap<readonly (readonly [number, unknown])[], Float64Array>();

/** The running sums of `items`' weights, made once per list (the catalogue's lists never change). */
function cumulativeWeights(items: readonly (readonly [number, unknown])[]): Float64Array {
  let sums = runningSums.get(items);
  if (sums === undefined) {
    sums = new Float64Array(items.length);
    let total = 0;
    for (let i = 0; i < items.length; i++) sums[i] = total += items[i][0];
    runningSums.set(items, sums);
  }
  return sums;
}
