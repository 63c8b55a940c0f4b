import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { answeredElsewhereSaid, refusedBy, refusedRemedy } from '../../../../src/analyze/findings/detect-refused.js';
import { type AnalysisContext, coveredUsBySocket, evidenceFrames, listNames } from './context.js';

export function detectRefused(ctx: AnalysisContext): Finding[] {
  const refused = ctx.transactions.filter((t) => t.rcode === 'REFUSED');
  if (refused.length === 0) return [];
  const names = [...new Set(refused.map((t) => t.name ?? '?'))].sort();
  const servers = [...new Set(refused.map((t) => t.server))];
  const clients = new Set(refused.map((t) => t.clientHost));
  // As for SERVFAIL: from each question's first send to each REFUSED answer, overlaps on a socket once.
  const spans = refused.filter((t) => t.latencyMs !== null && t.responseTimeUs !== null);
  const spentUs = coveredUsBySocket(spans.map((t) => [t.client, (t.responseTimeUs as number) - (t.latencyMs as number) * 1000, t.responseTimeUs as number] as const));
  // A refused question another server answered, with an rcode a resolver stops at, in the same lookup.
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  let elsewhere = 0;
  const others: string[] = [];
  for (const l of ctx.lookups) {
    const txs = l.attempts.map((a) => (a.queryFrame === null ? undefined : byFrame.get(`${a.queryFrame} ${a.type}`))).filter((t): t is Transaction => t !== undefined);
    for (const r of txs.filter((t) => t.rcode === 'REFUSED')) {
      const answer = txs.find((t) => t.name === r.name && t.type === r.type && t.server !== r.server && t.rcode !== null && !['REFUSED', 'SERVFAIL'].includes(t.rcode));
      if (!answer) continue;
      elsewhere++;
      if (!others.includes(answer.server)) others.push(answer.server);
    }
  }
  return [
    {
      kind: 'refused',
      title: FINDING_KINDS.refused.title,
      summary:
        `${refused.length} response${refused.length === 1 ? ' was' : 's were'} REFUSED, for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}; ` +
        `${refusedBy(listNames(servers), clients.size, true)}.` +
        answeredElsewhereSaid(elsewhere, refused.length, listNames(others)),
      evidence: evidenceFrames(refused.map((t) => t.responseFrame)),
      impact: { queries: refused.length, ms: Math.round(spentUs) / 1000 },
      remedy: refusedRemedy(listNames([...new Set(refused.map((t) => t.serverHost))]), elsewhere),
      snippet: null,
    },
  ];
}
