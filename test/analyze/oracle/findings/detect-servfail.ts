import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames } from './context.js';

export function detectServfail(ctx: AnalysisContext): Finding[] {
  const failed = ctx.transactions.filter((t) => t.rcode === 'SERVFAIL');
  if (failed.length === 0) return [];
  const names = [...new Set(failed.map((t) => t.name ?? '?'))].sort();
  // Each SERVFAIL's span, from its question's first send (its latency counts from there) to the
  // answer; a client socket's spans that overlap (a retry chain, an A and AAAA pair) count once.
  const bySocket = new Map<string, [number, number][]>();
  for (const t of failed) {
    if (t.latencyMs === null || t.responseTimeUs === null) continue;
    const spans = bySocket.get(t.client) ?? [];
    spans.push([t.responseTimeUs - t.latencyMs * 1000, t.responseTimeUs]);
    bySocket.set(t.client, spans);
  }
  let spentUs = 0;
  for (const spans of bySocket.values()) {
    let end = Number.NEGATIVE_INFINITY;
    for (const [from, to] of spans.sort((a, b) => a[0] - b[0])) {
      spentUs += Math.max(0, to - Math.max(from, end));
      end = Math.max(end, to);
    }
  }
  return [
    {
      kind: 'servfail',
      title: FINDING_KINDS.servfail.title,
      summary: `${failed.length} response${failed.length === 1 ? ' was' : 's were'} SERVFAIL, for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`,
      evidence: evidenceFrames(failed.map((t) => t.responseFrame)),
      impact: { queries: failed.length, ms: Math.round(spentUs) / 1000 },
      remedy: 'Look at the server: a zone that failed to load, an upstream that does not answer, or DNSSEC validation failures all show up as SERVFAIL.',
      snippet: null,
    },
  ];
}
