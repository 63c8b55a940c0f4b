import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { answeredElsewhereSaid } from '../../../../src/analyze/findings/answers-with-rcode.js';
import { refusedBy, refusedRemedy } from '../../../../src/analyze/findings/detect-refused.js';
import { type AnalysisContext, answeredElsewhere, coveredUsBySocket, evidenceFrames, listNames } from './context.js';

export function detectRefused(ctx: AnalysisContext): Finding[] {
  const refused = ctx.transactions.filter((t) => t.rcode === 'REFUSED');
  if (refused.length === 0) return [];
  const names = [...new Set(refused.map((t) => t.name ?? '?'))].sort();
  const servers = [...new Set(refused.map((t) => t.server))];
  const clients = new Set(refused.map((t) => t.clientHost));
  // As for SERVFAIL: from each question's first send to each REFUSED answer, overlaps on a socket once.
  const spans = refused.filter((t) => t.latencyMs !== null && t.responseTimeUs !== null);
  const spentUs = coveredUsBySocket(spans.map((t) => [t.client, (t.responseTimeUs as number) - (t.latencyMs as number) * 1000, t.responseTimeUs as number] as const));
  const around = answeredElsewhere(ctx, 'REFUSED');
  return [
    {
      kind: 'refused',
      title: FINDING_KINDS.refused.title,
      summary:
        `${refused.length} response${refused.length === 1 ? ' was' : 's were'} REFUSED, for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}; ` +
        `${refusedBy(listNames(servers), clients.size, true)}.` +
        answeredElsewhereSaid(around.count, refused.length, listNames(around.servers), 'refusal'),
      evidence: evidenceFrames(refused.map((t) => t.responseFrame)),
      impact: { queries: refused.length, ms: Math.round(spentUs) / 1000 },
      remedy: refusedRemedy(listNames([...new Set(refused.map((t) => t.serverHost))]), around.count),
      snippet: null,
    },
  ];
}
