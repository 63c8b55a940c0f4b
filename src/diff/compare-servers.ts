import type { Report, Transaction } from '../model.js';
import { pickPercentile } from './pick-percentile.js';
import type { LatencyStats, ServerLatency } from './report-diff.js';

/** Latency per server on both sides; servers seen on one side only have null on the other. */
export function compareServers(before: Report, after: Report): ServerLatency[] {
  const b = latencyByServer(before.transactions);
  const a = latencyByServer(after.transactions);
  const servers = [...new Set([...b.keys(), ...a.keys()])].sort();
  return servers.map((server) => ({ server, before: b.get(server) ?? null, after: a.get(server) ?? null }));
}

function latencyByServer(transactions: readonly Transaction[]): Map<string, LatencyStats> {
  const groups = new Map<string, Transaction[]>();
  for (const t of transactions) {
    // An unsolicited response was never asked: it has no latency and no place in the totals.
    if (t.queryFrame === null) continue;
    const list = groups.get(t.server);
    if (list) list.push(t);
    else groups.set(t.server, [t]);
  }
  const out = new Map<string, LatencyStats>();
  for (const [server, txs] of groups) {
    // A server's own latency runs from the last send to it: a query that failed over from a
    // silent nameserver carries that server's 5 s in latencyMs, not this one's.
    const latencies = txs.map((t) => t.latencyFromLastMs ?? t.latencyMs).filter((x): x is number => x !== null);
    out.set(server, {
      answered: latencies.length,
      unanswered: txs.length - latencies.length,
      p50Ms: pickPercentile(latencies, 50),
      p90Ms: pickPercentile(latencies, 90),
      p99Ms: pickPercentile(latencies, 99),
      maxMs: pickPercentile(latencies, 100),
    });
  }
  return out;
}
