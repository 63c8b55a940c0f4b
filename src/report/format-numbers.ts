import { formatMs as ms } from '../format-ms.js';

export { ms };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The calendar's range (ECMAScript's Date: ±8.64e15 ms), in microseconds. */
const MAX_DATE_US = 8.64e18;

/** Microseconds since the epoch (or since midnight for time-of-day text) as an ISO-like stamp. */
export function timestamp(us: number | null): string {
  if (us === null) return '–';
  // A pcapng interface may count in seconds and offset by any amount: no calendar holds it.
  if (!(Math.abs(us) < MAX_DATE_US)) return `${us} µs since the epoch`;
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

/** LINKTYPE_* names (tcpdump.org/linktypes.html) for the link types dnstrace meets most. */
const LINK_TYPE_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  12: 'RAW',
  101: 'RAW',
  108: 'LOOP',
  113: 'LINUX_SLL',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2',
};

/** "1 (ETHERNET)", or the bare number for a link type without a name here. */
export function linkTypeText(linkType: number): string {
  const name = LINK_TYPE_NAMES[linkType];
  return name ? `${linkType} (${name})` : String(linkType);
}

/** A capture's span: "1.23 s" or "–" when there were no DNS messages. */
export function spanText(firstUs: number | null, lastUs: number | null): string {
  return firstUs === null || lastUs === null ? '–' : formatMsSpan(lastUs - firstUs);
}

function formatMsSpan(us: number): string {
  const sec = us / 1_000_000;
  if (sec < 120) return ms(us / 1000);
  if (sec < 7200) return `${(sec / 60).toFixed(1)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** A finding's impact: "4 queries, 5.34 ms", or "4 queries" when it cost no measured time (lost queries). */
export function impactText(impact: { queries: number; ms: number }): string {
  const queries = plural(impact.queries, 'query', 'queries');
  return impact.ms > 0 ? `${queries}, ${ms(impact.ms)}` : queries;
}
