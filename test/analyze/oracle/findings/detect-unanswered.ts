import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames, listNames } from './context.js';

/**
 * Queries that never got a response before the deadline, except those the client then sent to
 * another server: the dead- and silent-nameserver findings explain those.
 */
export function detectUnanswered(ctx: AnalysisContext): Finding[] {
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  const movedOn = (t: Transaction) => t.retriedBy !== null && byFrame.get(`${t.retriedBy} ${t.type}`)?.server !== t.server;
  const lost = ctx.transactions.filter((t) => t.status === 'unanswered' && !movedOn(t));
  if (lost.length === 0) return [];
  const servers = [...new Set(lost.map((t) => t.server))].sort();
  const names = [...new Set(lost.map((t) => `${t.name} ${t.type}`))];
  const sends = lost.reduce((n, t) => n + 1 + t.retransmissionFrames.length, 0);
  return [
    {
      kind: 'unanswered-queries',
      title: FINDING_KINDS['unanswered-queries'].title,
      summary: `${lost.length} quer${lost.length === 1 ? 'y' : 'ies'} to ${servers.join(', ')} got no response, in ${sends} send${sends === 1 ? '' : 's'} (${listNames(names)}).`,
      evidence: evidenceFrames(lost.flatMap((t) => [t.queryFrame, ...t.retransmissionFrames])),
      impact: { queries: sends, ms: 0 },
      remedy: 'Check that the server is reachable and answering (conntrack drops, a silent nameserver, packet loss); a resolver pays its full timeout for each lost query.',
      snippet: null,
    },
  ];
}
