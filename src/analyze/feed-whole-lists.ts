import type { Lookup, Transaction } from '../model.js';
import { type AttemptTransaction, attemptKey } from './attempt-transaction.js';

/** What takes a report's records one at a time, with their links (see AnalyzerSink). */
export interface RecordFeed {
  transaction(tx: Transaction, retry: Transaction | undefined): void;
  lookup(l: Lookup, index: number, attemptTx: AttemptTransaction): void;
}

/**
 * The links the analysis hands on with each record, found in a list of transactions by query
 * frame and type (the last transaction with a key wins): the transaction that retried one, and
 * the transaction of a lookup's attempt.
 */
export function linksIn(transactions: readonly Transaction[]): { retryOf(tx: Transaction): Transaction | undefined; attemptTx: AttemptTransaction } {
  const byKey = new Map<string, Transaction>();
  for (const tx of transactions) if (tx.queryFrame !== null) byKey.set(attemptKey(tx.queryFrame, tx.type), tx);
  return {
    retryOf: (tx) => (tx.retriedBy !== null ? byKey.get(attemptKey(tx.retriedBy, tx.type)) : undefined),
    attemptTx: (frame, type) => byKey.get(attemptKey(frame, type)),
  };
}

/**
 * Feeds whole lists (a report read back, tests) as the streamed analysis would: every transaction
 * with the one that retried it, then every lookup with its attempts' transactions (see linksIn).
 */
export function feedWholeLists(transactions: readonly Transaction[], lookups: readonly Lookup[], to: RecordFeed): void {
  const links = linksIn(transactions);
  for (const tx of transactions) to.transaction(tx, links.retryOf(tx));
  for (let i = 0; i < lookups.length; i++) to.lookup(lookups[i], i, links.attemptTx);
}
