export { formatMs as ms } from '../format-ms.js';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Microseconds since the epoch (or since midnight for time-of-day text) as an ISO-like stamp. */
export function timestamp(us: number | null): string {
  if (us === null) return '–';
  if (us < 86_400_000_000 * 2) {
    // tcpdump's default output has only the time of day.
    const d = new Date(Math.floor(us / 1000));
    return `${d.toISOString().slice(11, 19)}.${String(Math.floor(us % 1_000_000)).padStart(6, '0')}`;
  }
  const d = new Date(Math.floor(us / 1000));
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String(Math.floor(us % 1_000_000)).padStart(6, '0')} UTC`;
}

/** Frame numbers for evidence: "3, 4, 7" with "and N more" past a limit. */
export function frameList(frames: readonly number[], limit = 12): string {
  if (frames.length <= limit) return frames.join(', ');
  return `${frames.slice(0, limit).join(', ')} and ${frames.length - limit} more`;
}
