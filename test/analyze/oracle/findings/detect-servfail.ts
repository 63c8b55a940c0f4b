import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames } from './context.js';

export function detectServfail(ctx: AnalysisContext): Finding[] {
  const failed = ctx.transactions.filter((t) => t.rcode === 'SERVFAIL');
  if (failed.length === 0) return [];
  const names = [...new Set(failed.map((t) => t.name ?? '?'))].sort();
  return [
    {
      kind: 'servfail',
      title: FINDING_KINDS.servfail.title,
      summary: `${failed.length} response${failed.length === 1 ? ' was' : 's were'} SERVFAIL, for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`,
      evidence: evidenceFrames(failed.map((t) => t.responseFrame)),
      impact: { queries: failed.length, ms: failed.reduce((n, t) => n + (t.latencyMs ?? 0), 0) },
      remedy: 'Look at the server: a zone that failed to load, an upstream that does not answer, or DNSSEC validation failures all show up as SERVFAIL.',
      snippet: null,
    },
  ];
}
