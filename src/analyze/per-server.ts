import type { Transaction } from '../model.js';
import { MAX_REPORT_SERVERS } from './report-limits.js';

/**
 * What a report table keeps per server endpoint, bounded at MAX_REPORT_SERVERS, with the server
 * asked last remembered: nearly every transaction has the server of the one before (the decoder
 * gives one string object per endpoint), so most calls compare one reference and look nothing up.
 */
export class PerServer<V> {
  private readonly byServer = new Map<string, V>();
  private lastServer: string | null = null;
  private lastValue: V | undefined = undefined;

  /** `make` gives a new server's value, from the transaction that first names it. */
  constructor(private readonly make: (t: Transaction) => V) {}

  /** The value of `t.server`, made the first time; undefined for a new server once the table is full. */
  entry(t: Transaction): V | undefined {
    if (t.server === this.lastServer) return this.lastValue;
    let v = this.byServer.get(t.server);
    if (v === undefined) {
      if (this.byServer.size >= MAX_REPORT_SERVERS) return undefined;
      this.byServer.set(t.server, (v = this.make(t)));
    }
    this.lastServer = t.server;
    this.lastValue = v;
    return v;
  }

  get size(): number {
    return this.byServer.size;
  }

  /** In the order the servers first came. */
  entries(): IterableIterator<[string, V]> {
    return this.byServer.entries();
  }

  values(): IterableIterator<V> {
    return this.byServer.values();
  }
}
