import type { Finding, Transaction } from '../../../../src/model.js';
import { hostOf } from '../../../../src/host-of-endpoint.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { deadServerSummary } from '../../../../src/analyze/findings/detect-nameserver-failover.js';
import { formatMs } from '../../../../src/format-ms.js';
import { COPY_WINDOW_US } from '../../../../src/analyze/analysis-limits.js';
import { type AnalysisContext, count, coveredUsBySocket, evidenceFrames, roundMs, pushTo } from './context.js';

/**
 * A dead nameserver answers with ICMP port unreachable and the client fails over at once; a silent
 * one says nothing, and the client waits its whole timeout before the next server, on every lookup.
 */
export function detectNameserverFailover(ctx: AnalysisContext): Finding[] {
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  const dead = new Map<string, Transaction[]>();
  const silent = new Map<string, { tx: Transaction; next: Transaction }[]>();
  const answered = new Set(ctx.transactions.filter((t) => t.responseFrame !== null && t.queryFrame !== null).map((t) => hostOf(t.server)));
  for (const t of ctx.transactions) {
    const server = hostOf(t.server);
    const retry = t.retriedBy !== null ? byFrame.get(`${t.retriedBy} ${t.type}`) : undefined;
    const failedOver = t.status === 'unreachable' || retry?.retryReason === 'failover';
    if (failedOver && t.queryFrame !== null) pushTo(dead, server, t);
    if (t.status === 'unanswered' && !failedOver && retry && !answered.has(server)) {
      const next = retry;
      if (hostOf(next.server) !== server) pushTo(silent, server, { tx: t, next });
    }
  }
  const out: Finding[] = [];
  for (const [server, txs] of dead) {
    const retryHosts = txs.map((t) => (t.retriedBy !== null ? byFrame.get(`${t.retriedBy} ${t.type}`) : undefined)).filter((t) => t !== undefined).map((t) => hostOf(t.server));
    const next = [...new Set(retryHosts.filter((h) => h !== server))];
    const askedAgain = retryHosts.filter((h) => h === server).length;
    // Lookups whose last query went to this server and that ended with every final query unreachable.
    const failedLookups = ctx.lookups.filter((l) => {
      const last = l.attempts[l.attempts.length - 1];
      const tx = last.queryFrame === null ? undefined : byFrame.get(`${last.queryFrame} ${last.type}`);
      return l.outcome === 'unreachable' && tx !== undefined && hostOf(tx.server) === server;
    }).length;
    // Servers the same queries went to at the same moment, with no error from them (a client that
    // asks every nameserver at once, whose error from the dead one came after the other sends).
    const alongside = new Set<string>();
    for (const t of txs) {
      if (t.icmpFrame === null) continue;
      for (const o of ctx.transactions) {
        const [a, b] = (o.queryTimeUs as number) < (t.queryTimeUs as number) ? [o, t] : [t, o];
        const sibling = o.client === t.client && o.id === t.id && o.name === t.name && o.type === t.type && o.server !== t.server && b.retryOf === null;
        if (sibling && o.icmpFrame === null && (b.queryTimeUs as number) - (a.queryTimeUs as number) <= COPY_WINDOW_US) alongside.add(hostOf(o.server));
      }
    }
    out.push({
      kind: 'dead-nameserver',
      title: `${FINDING_KINDS['dead-nameserver'].title}: ${server}`,
      summary: deadServerSummary(server, txs.length, txs.some((t) => t.icmpFrame !== null), next, askedAgain, failedLookups, [...alongside].sort()),
      evidence: evidenceFrames(txs.flatMap((t) => [t.queryFrame, t.icmpFrame])),
      impact: { queries: txs.length, ms: 0 },
      remedy:
        next.length > 0 || alongside.size > 0
          ? `Remove ${server} from the nameserver list, or bring its DNS server back.`
          : `Bring the DNS server at ${server} back, or list a nameserver that answers: it is the only one the client tried.`,
      snippet: null,
    });
  }
  for (const [server, hits] of silent) {
    // A client socket's waits that overlap (a glibc pair waiting out one timeout) count once.
    const waitedUs = coveredUsBySocket(hits.map((h) => [h.tx.client, h.tx.queryTimeUs as number, h.next.queryTimeUs as number] as const));
    const waitedMs = waitedUs / 1000;
    const next = [...new Set(hits.map((h) => hostOf(h.next.server)))];
    out.push({
      kind: 'silent-nameserver',
      title: `${FINDING_KINDS['silent-nameserver'].title}: ${server}`,
      summary:
        `${count(hits.length, 'query', 'queries')} to ${server} got no answer and went to ${next.join(', ')} only after the timeout: ` +
        `${formatMs(waitedMs)} of waiting, paid again by every lookup.`,
      evidence: evidenceFrames(hits.flatMap((h) => [h.tx.queryFrame, ...h.tx.retransmissionFrames, h.next.queryFrame])),
      impact: { queries: hits.reduce((n, h) => n + 1 + h.tx.retransmissionFrames.length, 0), ms: roundMs(waitedMs) },
      remedy: `Remove ${server} from the nameserver list, or find what drops its traffic.`,
      snippet: null,
    });
  }
  return out;
}
