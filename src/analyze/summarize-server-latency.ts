import type { ServerLatency, Transaction } from '../model.js';
import { LatencyBudget, type LatencyHistogram } from './latency-histogram.js';
import { PerServer } from './per-server.js';

interface ServerCounts {
  transactions: number;
  unanswered: number;
  latencies: LatencyHistogram;
  maxMs: number | null;
}

/**
 * Per-server latency of answered transactions. Nearest-rank percentiles (the value of a real
 * transaction, never an interpolation), so a reviewer can find the transaction behind each number.
 * Latency is from the first send: what the application waited, retransmissions included.
 * Fed one transaction at a time; latencies are counted per distinct value (LatencyHistogram).
 */
export class ServerLatencySummary {
  private readonly budget = new LatencyBudget();
  private readonly byServer = new PerServer<ServerCounts>(() => ({ transactions: 0, unanswered: 0, latencies: this.budget.histogram(), maxMs: null }));
  /** Transactions with servers past MAX_REPORT_SERVERS. */
  untracked = 0;

  transaction(t: Transaction): void {
    if (t.status === 'unsolicited-response' || t.status === 'ignored-response') return;
    const s = this.byServer.entry(t);
    if (s === undefined) {
      this.untracked++;
      return;
    }
    s.transactions++;
    // The server's own latency: from the last send to it (a failover carries the silent server's wait in latencyMs).
    const ms = t.latencyFromLastMs ?? t.latencyMs;
    if (ms !== null) {
      s.latencies.add(ms);
      if (s.maxMs === null || ms > s.maxMs) s.maxMs = ms;
    } else if (t.responseFrame === null) s.unanswered++;
  }

  /** Servers whose percentiles are coarser than a microsecond, with the precision (see LatencyHistogram). */
  coarsened(): { server: string; precisionUs: number }[] {
    return [...this.byServer.entries()].filter(([, s]) => s.latencies.precisionUs > 0).map(([server, s]) => ({ server, precisionUs: s.latencies.precisionUs }));
  }

  finish(): ServerLatency[] {
    return [...this.byServer.entries()]
      .map(([server, s]) => {
        const [p50Ms, p90Ms, p99Ms] = s.latencies.percentiles([50, 90, 99]);
        return { server, transactions: s.transactions, answered: s.latencies.total, unanswered: s.unanswered, p50Ms, p90Ms, p99Ms, maxMs: s.maxMs };
      })
      .sort((a, b) => b.transactions - a.transactions || (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
  }

  retained(): number {
    return this.byServer.size + this.budget.size;
  }
}

/** The table for a whole list of transactions (tests): a thin wrapper over ServerLatencySummary. */
export function summarizeServerLatency(transactions: readonly Transaction[]): ServerLatency[] {
  const s = new ServerLatencySummary();
  for (const t of transactions) s.transaction(t);
  return s.finish();
}

/** Nearest-rank percentile of an ascending list: the ceil(p/100 × n)-th value. */
export function pickNearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
