import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames } from './context.js';

/** Responses that answer no query seen, and second, different responses to one query. */
export function detectUnexpectedResponses(ctx: AnalysisContext): Finding[] {
  const unsolicited = ctx.transactions.filter((t) => t.status === 'unsolicited-response');
  const duplicated = ctx.transactions.filter((t) => t.duplicateResponseFrames.length > 0);
  if (unsolicited.length === 0 && duplicated.length === 0) return [];
  const dupCount = duplicated.reduce((n, t) => n + t.duplicateResponseFrames.length, 0);
  return [
    {
      kind: 'unexpected-responses',
      title: FINDING_KINDS['unexpected-responses'].title,
      summary: `${unsolicited.length} response${unsolicited.length === 1 ? '' : 's'} matched no query seen, and ${dupCount} further response${dupCount === 1 ? '' : 's'} came for queries already answered.`,
      evidence: evidenceFrames([...unsolicited.map((t) => t.responseFrame), ...duplicated.flatMap((t) => t.duplicateResponseFrames)]),
      impact: { queries: 0, ms: 0 },
      remedy: FINDING_KINDS['unexpected-responses'].remedy,
      snippet: null,
    },
  ];
}
