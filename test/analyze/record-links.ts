import { type AttemptTransaction, attemptKey } from '../../src/analyze/attempt-transaction.js';
import type { Transaction } from '../../src/model.js';

/** The links the analysis hands on with each record, found in a list of transactions (as feedWholeLists finds them). */
export function recordLinks(txs: readonly Transaction[]): { retryOf(tx: Transaction): Transaction | undefined; attemptTx: AttemptTransaction } {
  const byKey = new Map<string, Transaction>();
  for (const t of txs) if (t.queryFrame !== null) byKey.set(attemptKey(t.queryFrame, t.type), t);
  return {
    retryOf: (tx) => (tx.retriedBy !== null ? byKey.get(attemptKey(tx.retriedBy, tx.type)) : undefined),
    attemptTx: (frame, type) => byKey.get(attemptKey(frame, type)),
  };
}
