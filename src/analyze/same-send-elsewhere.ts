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
