import type { Lookup, Transaction } from '../model.js';
import { type AttemptTransaction, attemptKey } from './attempt-transaction.js';

/** What takes a report's records one at a time, with their links (see AnalyzerSink). */
export interface RecordFeed {
  transaction(tx: Transaction, retry: Transaction | undefined): void;
  lookup(l: Lookup, index: number, attemptTx: AttemptTransaction): void;
}

/**
 * Feeds whole lists (a report read back, tests) as the streamed analysis would: every transaction
 * with the one that retried it, then every lookup with its attempts' transactions, each link
 * found by query frame and type in a map of the lists (the last transaction with a key wins).
 */
export function feedWholeLists(transactions: readonly Transaction[], lookups: readonly Lookup[], to: RecordFeed): void {
  const byKey = new Map<string, Transaction>();
  for (const tx of transactions) if (tx.queryFrame !== null) byKey.set(attemptKey(tx.queryFrame, tx.type), tx);
  for (const tx of transactions) to.transaction(tx, tx.retriedBy !== null ? byKey.get(attemptKey(tx.retriedBy, tx.type)) : undefined);
  const attemptTx: AttemptTransaction = (frame, type) => byKey.get(attemptKey(frame, type));
  for (let i = 0; i < lookups.length; i++) to.lookup(lookups[i], i, attemptTx);
}
