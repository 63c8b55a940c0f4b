import type { Transaction } from '../../model.js';
import { MAX_PENDING_RETRIES } from '../report-limits.js';

interface Waiting {
  tx: Transaction;
  retry: Transaction | undefined;
}

/**
 * Meets a transaction with the one that retried it (`retriedBy`, the query frame of a later
 * transaction), without a map of every transaction by frame. The retry is a later query, so it
 * comes later in report order; once the stream has passed that frame it either came or never
 * will. The transactions a detector keeps are handed back in the order they came (so that sums
 * and "first seen" lists come out as a pass over the whole list would make them), each with its
 * retry, or undefined when no transaction has that query frame. Only kept transactions wait:
 * the unanswered, truncated or failed-over ones, a timeout's worth at most.
 */
export class RetryJoin {
  private readonly queue: Waiting[] = [];
  private head = 0;
  private readonly byRetryFrame = new Map<number, Waiting[]>();
  /** Report-order key of the last transaction seen. */
  private lastKey = -Infinity;
  /** Transactions handed back before their retry could have come (more than MAX_PENDING_RETRIES waited at once). */
  forced = 0;

  constructor(
    private readonly handle: (tx: Transaction, retry: Transaction | undefined) => void,
    private readonly limit = MAX_PENDING_RETRIES,
  ) {}

  /** Every transaction, in report order; `keep`: hand this one back with its retry. */
  see(tx: Transaction, keep: boolean): void {
    if (this.byRetryFrame.size > 0 && tx.queryFrame !== null) {
      // The last transaction with that query frame wins (a TCP segment may carry two queries).
      const waiting = this.byRetryFrame.get(tx.queryFrame);
      if (waiting) for (const w of waiting) w.retry = tx;
    }
    this.lastKey = tx.queryFrame ?? tx.responseFrame ?? 0;
    if (keep) {
      const w: Waiting = { tx, retry: undefined };
      this.queue.push(w);
      if (tx.retriedBy !== null) {
        const list = this.byRetryFrame.get(tx.retriedBy);
        if (list) list.push(w);
        else this.byRetryFrame.set(tx.retriedBy, [w]);
      }
    }
    this.release();
    while (this.queue.length - this.head > this.limit) {
      this.forced++;
      this.handOver();
    }
  }

  /** The stream ended: every retry that was coming has come. */
  finish(): void {
    this.lastKey = Infinity;
    this.release();
  }

  retained(): number {
    return this.queue.length - this.head + this.byRetryFrame.size;
  }

  private release(): void {
    while (this.head < this.queue.length) {
      const by = this.queue[this.head].tx.retriedBy;
      // A transaction with this very frame may still follow (same key), so wait until past it.
      if (by !== null && by >= this.lastKey) return;
      this.handOver();
    }
  }

  private handOver(): void {
    const w = this.queue[this.head++];
    const by = w.tx.retriedBy;
    if (by !== null) {
      const list = this.byRetryFrame.get(by);
      if (list) {
        const i = list.indexOf(w);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.byRetryFrame.delete(by);
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.handle(w.tx, w.retry);
  }
}
