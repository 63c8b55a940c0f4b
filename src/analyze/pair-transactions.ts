import type { DnsMessage, Transaction } from '../model.js';
import { type PairingOptions, TransactionPairer } from './transaction-pairer.js';

/**
 * Pairs a whole list of messages at once (tests, small inputs): a thin wrapper over the streaming
 * TransactionPairer. Transactions come back in the order of their first frame.
 */
export function pairTransactions(messages: readonly DnsMessage[], opts: PairingOptions, captureEndUs: number): Transaction[] {
  const out: Transaction[] = [];
  const pairer = new TransactionPairer(opts, { settled: (tx) => out.push(tx) });
  for (const m of messages) pairer.add(m);
  pairer.finish(captureEndUs);
  return sortTransactions(out);
}

/** Report order: by the first frame a transaction shows (its query, or its response when unsolicited). */
export function sortTransactions(txs: Transaction[]): Transaction[] {
  return txs.sort((a, b) => (a.queryFrame ?? a.responseFrame ?? 0) - (b.queryFrame ?? b.responseFrame ?? 0));
}
