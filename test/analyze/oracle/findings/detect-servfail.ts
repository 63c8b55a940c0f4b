import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, coveredUsBySocket, evidenceFrames } from './context.js';

export function detectServfail(ctx: AnalysisContext): Finding[] {
  const failed = ctx.transactions.filter((t) => t.rcode === 'SERVFAIL');
  if (failed.length === 0) return [];
  const names = [...new Set(failed.map((t) => t.name ?? '?'))].sort();
  // Each SERVFAIL's span, from its question's first send (its latency counts from there) to the
  // answer; a client socket's spans that overlap (a retry chain, an A and AAAA pair) count once.
  const spans = failed.filter((t) => t.latencyMs !== null && t.responseTimeUs !== null);
  const spentUs = coveredUsBySocket(spans.map((t) => [t.client, (t.responseTimeUs as number) - (t.latencyMs as number) * 1000, t.responseTimeUs as number] as const));
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
