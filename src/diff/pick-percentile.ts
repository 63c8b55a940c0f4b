import { pickNearestRank } from '../analyze/summarize-server-latency.js';

export { round3 } from '../analyze/round3.js';

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
 * Always one of the measured values (no interpolation), so a p90 of 5003 ms is a lookup that
 * really waited 5003 ms. Null for no values. Unsorted input, unlike pickNearestRank.
 */
export function pickPercentile(values: readonly number[], p: number): number | null {
  return pickNearestRank([...values].sort((a, b) => a - b), p);
}
