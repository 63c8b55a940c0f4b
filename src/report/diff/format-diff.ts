/**
 * Number formats shared by the diff renderers (markdown and text). Only numbers and fixed words
 * go through here; capture-derived strings are escaped by each renderer for its medium.
 */
import type { NameChange, NameMeasure, NameStats } from '../../diff/report-diff.js';
import { formatMs } from '../../format-ms.js';

/** A count or a mean: "5", "4.5", "1.33". */
export function amount(n: number | null): string {
  if (n === null) return '–';
  return String(Math.round(n * 100) / 100);
}

/** A change with its sign: "+2", "-4", "0". */
export function signed(n: number): string {
  const r = Math.round(n * 100) / 100;
  return r > 0 ? `+${r}` : String(r);
}

/** A change of milliseconds with its sign: "+5.00 s", "-5.34 ms". */
export function signedMs(n: number): string {
  if (n === 0) return '0 ms';
  return `${n > 0 ? '+' : '-'}${formatMs(Math.abs(n))}`;
}

/** A share as a percentage: "80.0%". */
export function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`;
}

/** "before → after (change)", or just the value when it did not move. */
export function beforeAfter(before: number | null, after: number | null, format: (n: number | null) => string = amount): string {
  if (before === after) return format(before);
  return `${format(before)} → ${format(after)}`;
}

/** "answered", or "answered 3, timeout 1" when a name's lookups ended differently. */
export function outcomeText(s: NameStats): string {
  const entries = Object.entries(s.outcomes).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0) || a[0].localeCompare(b[0]));
  if (entries.length === 1) return entries[0][0];
  return entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

export function outcomeChangeText(c: NameChange): string {
  const b = outcomeText(c.before);
  const a = outcomeText(c.after);
  return b === a ? b : `${b} → ${a}`;
}

const BETTER: Record<NameMeasure, string> = {
  outcome: 'more answered',
  queries: 'fewer queries',
  wastedQueries: 'fewer wasted',
  waited: 'less waiting',
};
const WORSE: Record<NameMeasure, string> = {
  outcome: 'fewer answered',
  queries: 'more queries',
  wastedQueries: 'more wasted',
  waited: 'more waiting',
};

/** "improved: fewer queries, less waiting" */
export function verdictText(c: NameChange): string {
  const parts = [...c.better.map((m) => BETTER[m]), ...c.worse.map((m) => WORSE[m])];
  return parts.length === 0 ? c.verdict : `${c.verdict}: ${parts.join(', ')}`;
}

/**
 * Bidirectional overrides and zero-width characters reorder or hide text where it is shown (the
 * "Trojan Source" trick). Names from captures are ASCII, but a JSON report given as a side is
 * untrusted and may carry them: shown as \u{NNNN}, before the medium's own escaping.
 */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function showInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
