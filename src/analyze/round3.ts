/** Milliseconds to the microsecond: captures carry microseconds, more digits would be noise. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
