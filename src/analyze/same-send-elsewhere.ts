import type { Transaction } from '../model.js';
import { COPY_WINDOW_US } from './analysis-limits.js';

/**
 * `b` is `a` sent to another server at once: the same socket, id and question, within
 * COPY_WINDOW_US, and not a retry the pairer linked (a failover after an ICMP error looks alike).
 */
export function sameSendElsewhere(a: Transaction, b: Transaction): boolean {
  return (
    a.client === b.client &&
    a.id === b.id &&
    a.type === b.type &&
    a.name === b.name &&
    a.server !== b.server &&
    b.retryOf === null &&
    Math.abs((a.queryTimeUs as number) - (b.queryTimeUs as number)) <= COPY_WINDOW_US
  );
}

/**
 * The first index from `from` on, before `j`, of a query of `txs` that `txs[j]` was sent
 * alongside (see sameSendElsewhere), else -1: the lookup summary counts such sends, the findings
 * name their servers.
 */
export function earlierSendElsewhere(txs: readonly Transaction[], j: number, from = 0): number {
  for (let i = from; i < j; i++) if (sameSendElsewhere(txs[i], txs[j])) return i;
  return -1;
}
