import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, count, evidenceFrames, listNames, roundMs, pushTo } from './context.js';

/**
 * The conntrack race: of an A/AAAA pair sent together on one socket, one answer came back and
 * the other query had to be sent again after the resolver's timeout (glibc: same id, same socket,
 * 5 s later). Found per lookup step: one type answered without resend, another type resent.
 */
export function detectFiveSecondDelay(ctx: AnalysisContext): Finding[] {
  const hits: { name: string; resent: Transaction; delayMs: number }[] = [];
  const byFrame = new Map<string, Transaction>();
  for (const t of ctx.transactions) if (t.queryFrame !== null) byFrame.set(`${t.queryFrame} ${t.type}`, t);
  for (const l of ctx.lookups) {
    const byName = new Map<string, typeof l.attempts>();
    for (const a of l.attempts) pushTo(byName, a.name, a);
    for (const [name, attempts] of byName) {
      const types = new Set(attempts.map((a) => a.type));
      if (types.size < 2) continue;
      const txs = attempts.map((a) => (a.queryFrame !== null ? byFrame.get(`${a.queryFrame} ${a.type}`) : undefined)).filter((t): t is Transaction => t !== undefined);
      const clean = txs.filter((t) => t.responseFrame !== null && t.retransmissionFrames.length === 0 && t.retryOf === null);
      const resent = txs.filter((t) => t.retransmissionFrames.length > 0 && t.transport === 'udp');
      for (const r of resent) {
        if (!clean.some((c) => c.type !== r.type && c.client === r.client)) continue;
        const delayMs = r.lastSendUs !== null && r.queryTimeUs !== null ? (r.lastSendUs - r.queryTimeUs) / 1000 : 0;
        hits.push({ name, resent: r, delayMs });
      }
    }
  }
  if (hits.length === 0) return [];
  const totalMs = hits.reduce((n, h) => n + h.delayMs, 0);
  const names = [...new Set(hits.map((h) => `${h.name} ${h.resent.type}`))];
  return [
    {
      kind: 'five-second-delay',
      title: FINDING_KINDS['five-second-delay'].title,
      summary:
        `${count(hits.length, 'query', 'queries')} of an A/AAAA pair lost one answer and were sent again ` +
        `${Math.round(hits[0].delayMs)} ms later on the same socket (${listNames(names)}), while the other type was answered at once: ` +
        `${roundMs(totalMs / 1000)} s of waiting in all.`,
      evidence: evidenceFrames(hits.flatMap((h) => [h.resent.queryFrame, ...h.resent.retransmissionFrames, h.resent.responseFrame])),
      impact: { queries: hits.reduce((n, h) => n + h.resent.retransmissionFrames.length, 0), ms: roundMs(totalMs) },
      remedy: FINDING_KINDS['five-second-delay'].remedy,
      snippet: ['# pod spec', 'dnsConfig:', '  options:', '    - name: single-request-reopen'].join('\n'),
    },
  ];
}
