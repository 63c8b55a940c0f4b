/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
 * Always one of the measured values (no interpolation), so a p90 of 5003 ms is a lookup that
 * really waited 5003 ms. Null for no values.
 */
export function pickPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Rounds to microseconds (three decimals of a millisecond), as transactions and lookups do. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
