import type { ServerLatency, Transaction } from '../../../src/model.js';

/**
 * Per-server latency of answered transactions. Nearest-rank percentiles (the value of a real
 * transaction, never an interpolation), so a reviewer can find the transaction behind each number.
 * Latency is from the first send: what the application waited, retransmissions included.
 */
export function summarizeServerLatency(transactions: readonly Transaction[]): ServerLatency[] {
  const byServer = new Map<string, { latencies: number[]; total: number; unanswered: number }>();
  for (const t of transactions) {
    if (t.status === 'unsolicited-response' || t.status === 'ignored-response') continue;
    let s = byServer.get(t.server);
    if (!s) byServer.set(t.server, (s = { latencies: [], total: 0, unanswered: 0 }));
    s.total++;
    // The server's own latency: from the last send to it (a failover carries the silent server's wait in latencyMs).
    const ms = t.latencyFromLastMs ?? t.latencyMs;
    if (ms !== null) s.latencies.push(ms);
    else if (t.responseFrame === null) s.unanswered++;
  }
  return [...byServer.entries()]
    .map(([server, s]) => {
      const sorted = s.latencies.sort((a, b) => a - b);
      return {
        server,
        transactions: s.total,
        answered: sorted.length,
        unanswered: s.unanswered,
        p50Ms: pickNearestRank(sorted, 50),
        p90Ms: pickNearestRank(sorted, 90),
        p99Ms: pickNearestRank(sorted, 99),
        maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : null,
      };
    })
    .sort((a, b) => b.transactions - a.transactions || (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
}

/** Nearest-rank percentile of an ascending list: the ceil(p/100 × n)-th value. */
export function pickNearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
