import { describe, expect, it } from 'vitest';
import { LatencyBudget, LatencyHistogram } from '../../src/analyze/latency-histogram.js';
import { pickNearestRank } from '../../src/analyze/summarize-server-latency.js';
import { createPrng } from '../../scripts/bench/create-prng.js';

/** Latencies as a capture gives them: microseconds, mostly under a millisecond, some cache misses. */
function latencies(n: number, seed: number): number[] {
  const prng = createPrng(seed);
  return Array.from({ length: n }, () => (prng.chance(0.9) ? prng.int(40, 900) : prng.int(1_000, 25_000)) / 1000);
}

const PS = [50, 90, 99];

describe('latency percentiles counted per distinct value', () => {
  it('are the nearest-rank percentiles of the sorted list, exactly, within the budget', () => {
    for (const n of [1, 2, 9, 10, 11, 1000, 20_000]) {
      const values = latencies(n, n);
      const h = new LatencyHistogram();
      for (const v of values) h.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      expect(h.percentiles(PS)).toEqual(PS.map((p) => pickNearestRank(sorted, p)));
      expect(h.precisionUs).toBe(0);
    }
    expect(new LatencyHistogram().percentiles(PS)).toEqual([null, null, null]);
  });

  it('past the budget are still real latencies, at most one bucket width above the exact ones', () => {
    const budget = new LatencyBudget(500);
    const busy = budget.histogram();
    const quiet = budget.histogram();
    const values = latencies(50_000, 7);
    for (const v of values) busy.add(v);
    for (const v of [0.2, 0.3, 0.25]) quiet.add(v);
    expect(budget.size).toBeLessThanOrEqual(500);
    expect(busy.distinct).toBeLessThanOrEqual(497);
    expect(busy.precisionUs).toBeGreaterThan(0);
    // The server with few values keeps its exact percentiles.
    expect(quiet.precisionUs).toBe(0);
    expect(quiet.percentiles(PS)).toEqual([0.25, 0.3, 0.3]);
    const sorted = [...values].sort((a, b) => a - b);
    const got = busy.percentiles(PS);
    PS.forEach((p, i) => {
      const exact = pickNearestRank(sorted, p) as number;
      expect(values).toContain(got[i]);
      expect(got[i] as number).toBeGreaterThanOrEqual(exact);
      expect((got[i] as number) - exact).toBeLessThan(busy.precisionUs / 1000);
    });
  });
});
