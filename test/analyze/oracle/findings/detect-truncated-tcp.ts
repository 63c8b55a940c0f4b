import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, count, evidenceFrames, listNames, roundMs } from './context.js';

/** A UDP answer with TC set, and the TCP retry the client made for it (RFC 1035 §4.2.1, RFC 7766). */
export function detectTruncatedTcp(ctx: AnalysisContext): Finding[] {
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  const truncated = ctx.transactions.filter((t) => t.transport === 'udp' && t.flags?.tc === true && t.queryFrame !== null);
  if (truncated.length === 0) return [];
  const retried = truncated.filter((t) => t.retriedBy !== null && byFrame.get(`${t.retriedBy} ${t.type}`)?.transport === 'tcp');
  const extraMs = retried.reduce((n, t) => {
    const tcp = byFrame.get(`${t.retriedBy} ${t.type}`) as Transaction;
    return n + (tcp.responseTimeUs !== null && t.responseTimeUs !== null ? (tcp.responseTimeUs - t.responseTimeUs) / 1000 : 0);
  }, 0);
  const names = [...new Set(truncated.map((t) => `${t.name} ${t.type}`))];
  return [
    {
      kind: 'truncated-tcp',
      title: FINDING_KINDS['truncated-tcp'].title,
      summary:
        `${count(truncated.length, 'UDP answer')} came back truncated (${listNames(names)}); ` +
        `${retried.length} ${retried.length === 1 ? 'was' : 'were'} asked again over TCP, adding ${roundMs(extraMs)} ms` +
        `${retried.length < truncated.length ? `; ${truncated.length - retried.length} never were` : ''}.`,
      evidence: evidenceFrames(truncated.flatMap((t) => [t.responseFrame, t.retriedBy])),
      impact: { queries: retried.length, ms: roundMs(extraMs) },
      remedy: FINDING_KINDS['truncated-tcp'].remedy,
      snippet: null,
    },
  ];
}
