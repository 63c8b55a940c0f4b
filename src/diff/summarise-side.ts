import type { Report, Transaction } from '../model.js';
import { percentile, round3 } from './percentile.js';
import type { LatencyStats, ServerLatency, SideTotals } from './report-diff.js';

/** The totals of one side, from the Report's JSON contract only. */
export function summariseSide(r: Report): SideTotals {
  const asked = r.transactions.filter((t) => t.queryFrame !== null);
  const responses = asked.filter((t) => t.rcode !== null).length;
  const nxdomain = asked.filter((t) => t.rcode === 'NXDOMAIN').length;
  return {
    dnsMessages: r.summary.dnsMessages,
    queries: r.summary.queries,
    lookups: r.summary.lookups,
    messagesPerLookup: r.summary.lookups > 0 ? round3(r.summary.dnsMessages / r.summary.lookups) : null,
    wastedQueries: r.summary.wastedQueries,
    responses,
    nxdomain,
    nxdomainShare: responses > 0 ? round3(nxdomain / responses) : null,
    unanswered: r.summary.unanswered,
  };
}

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
    const latencies = txs.map((t) => t.latencyMs).filter((x): x is number => x !== null);
    out.set(server, {
      answered: latencies.length,
      unanswered: txs.length - latencies.length,
      p50Ms: percentile(latencies, 50),
      p90Ms: percentile(latencies, 90),
      p99Ms: percentile(latencies, 99),
      maxMs: percentile(latencies, 100),
    });
  }
  return out;
}
