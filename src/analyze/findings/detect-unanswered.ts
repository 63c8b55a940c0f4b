import type { Finding } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type AnalysisContext, evidenceFrames } from './context.js';

/** Queries that never got a response before the deadline. */
export function detectUnanswered(ctx: AnalysisContext): Finding[] {
  const lost = ctx.transactions.filter((t) => t.status === 'unanswered');
  if (lost.length === 0) return [];
  const servers = [...new Set(lost.map((t) => t.server))].sort();
  return [
    {
      kind: 'unanswered-queries',
      title: FINDING_KINDS['unanswered-queries'].title,
      summary: `${lost.length} quer${lost.length === 1 ? 'y' : 'ies'} to ${servers.join(', ')} got no response.`,
      evidence: evidenceFrames(lost.map((t) => t.queryFrame)),
      impact: { queries: lost.length, ms: 0 },
      remedy: 'Check that the server is reachable and answering (conntrack drops, a silent nameserver, packet loss); a resolver pays its full timeout for each lost query.',
      snippet: null,
    },
  ];
}
