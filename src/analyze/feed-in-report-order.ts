import type { Lookup, Transaction } from '../model.js';

/**
 * Feeds both lists as a streamed report would, merged by time: each lookup just before the
 * first transaction sent after it started, so that what waits for the other stream stays small.
 */
export function feedInReportOrder(
  transactions: readonly Transaction[],
  lookups: readonly Lookup[],
  to: { transaction(tx: Transaction): void; lookup(l: Lookup, index: number): void },
): void {
  let i = 0;
  for (const tx of transactions) {
    const t = tx.queryTimeUs ?? tx.responseTimeUs ?? 0;
    while (i < lookups.length && lookups[i].startUs <= t) to.lookup(lookups[i], i++);
    to.transaction(tx);
  }
  while (i < lookups.length) to.lookup(lookups[i], i++);
}
