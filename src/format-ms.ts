/** Milliseconds as people read them in a review: 37.8 ms, 5.47 ms, 10.02 s. Shared by findings and renderers. */
export function formatMs(value: number | null): string {
  if (value === null) return '–';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}
