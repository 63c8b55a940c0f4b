import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { askedAndAnswered, ignoredAnswersSummary } from '../../../../src/analyze/findings/detect-ignored-answers.js';
import { type AnalysisContext, evidenceFrames, listNames } from './context.js';

export function detectIgnoredAnswers(ctx: AnalysisContext): Finding[] {
  const ignored = ctx.transactions.filter((t) => t.status === 'ignored-response');
  if (ignored.length === 0) return [];
  const pairs = [...new Set(ignored.map((t) => askedAndAnswered(t.server, t.natServer ?? '?')))];
  const names = [...new Set(ignored.map((t) => t.name ?? '?'))];
  const clients = new Set(ignored.map((t) => t.clientHost));
  return [
    {
      kind: 'ignored-answers',
      title: FINDING_KINDS['ignored-answers'].title,
      summary: ignoredAnswersSummary(ignored.length, listNames(pairs, 3), listNames(names), clients.size, true),
      evidence: evidenceFrames(ignored.map((t) => t.responseFrame)),
      impact: { queries: ignored.length, ms: 0 },
      remedy: FINDING_KINDS['ignored-answers'].remedy,
      snippet: null,
    },
  ];
}
