import type { Finding, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { answeredElsewhereSaid } from '../../../../src/analyze/findings/answers-with-rcode.js';
import { servfailRemedy, servfailTiming } from '../../../../src/analyze/findings/detect-servfail.js';
import { type AnalysisContext, answeredElsewhere, coveredUsBySocket, evidenceFrames, listNames } from './context.js';

export function detectServfail(ctx: AnalysisContext): Finding[] {
  const failed = ctx.transactions.filter((t) => t.rcode === 'SERVFAIL');
  if (failed.length === 0) return [];
  const names = [...new Set(failed.map((t) => t.name ?? '?'))].sort();
  // Each SERVFAIL's span, from its question's first send (its latency counts from there) to the
  // answer; a client socket's spans that overlap (a retry chain, an A and AAAA pair) count once.
  const spans = failed.filter((t) => t.latencyMs !== null && t.responseTimeUs !== null);
  const spentUs = coveredUsBySocket(spans.map((t) => [t.client, (t.responseTimeUs as number) - (t.latencyMs as number) * 1000, t.responseTimeUs as number] as const));
  // How long the server took: from each SERVFAIL'd query's last send to its answer, the longest.
  // The first of the slowest, in the order they settled; its time from its first send when resent.
  let slowest: Transaction | null = null;
  for (const t of failed) if (t.latencyFromLastMs !== null && t.latencyFromLastMs > (slowest?.latencyFromLastMs ?? 0)) slowest = t;
  const timing = servfailTiming({
    fromLastMs: slowest?.latencyFromLastMs ?? 0,
    fromFirstMs:
      slowest !== null && slowest.retransmissionFrames.length > 0 ? Math.round((slowest.responseTimeUs as number) - (slowest.queryTimeUs as number)) / 1000 : null,
  });
  const around = answeredElsewhere(ctx, 'SERVFAIL');
  return [
    {
      kind: 'servfail',
      title: FINDING_KINDS.servfail.title,
      summary: `${failed.length} response${failed.length === 1 ? ' was' : 's were'} SERVFAIL, for ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}${timing.clause}.` + answeredElsewhereSaid(around.count, failed.length, listNames(around.servers), 'failure'),
      evidence: evidenceFrames(failed.map((t) => t.responseFrame)),
      impact: { queries: failed.length, ms: Math.round(spentUs) / 1000 },
      remedy: servfailRemedy(timing.remedy, listNames([...new Set(failed.map((t) => t.serverHost))]), around.count),
      snippet: null,
    },
  ];
}
