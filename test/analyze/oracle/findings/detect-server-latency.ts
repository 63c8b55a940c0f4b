import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames, pushTo } from './context.js';
import { pickNearestRank } from '../summarize-server-latency.js';

/** Shown in the summary: the slowest answers, with their frames as evidence. */
const SLOWEST = 5;

/** Percentiles of fewer answers say nothing the lookups table does not (p90 needs 10 at least). */
const MIN_ANSWERED = 10;

/**
 * Per server: answered transactions, p50/p90/p99 of the latency from the last send (what the
 * server took, not what the client waited across retries), and the slowest answers.
 */
export function detectServerLatency(ctx: AnalysisContext): Finding[] {
  const answered = ctx.transactions.filter((t) => t.queryFrame !== null && t.latencyFromLastMs !== null);
  if (answered.length < MIN_ANSWERED) return [];
  const byServer = new Map<string, number[]>();
  for (const t of answered) pushTo(byServer, t.server, t.latencyFromLastMs as number);
  const parts = [...byServer.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([server, ms]) => {
      ms.sort((a, b) => a - b);
      return `${server}: ${ms.length} answered, p50 ${pickNearestRank(ms, 50)} ms, p90 ${pickNearestRank(ms, 90)} ms, p99 ${pickNearestRank(ms, 99)} ms`;
    });
  const slowest = [...answered].sort((a, b) => (b.latencyFromLastMs as number) - (a.latencyFromLastMs as number)).slice(0, SLOWEST);
  return [
    {
      kind: 'server-latency',
      title: FINDING_KINDS['server-latency'].title,
      summary: `${parts.join('; ')}. Slowest: ${slowest.map((t) => `${t.name} ${t.type} ${t.latencyFromLastMs} ms`).join(', ')}.`,
      evidence: evidenceFrames(slowest.flatMap((t) => [t.queryFrame, t.responseFrame])),
      impact: { queries: 0, ms: 0 },
      remedy: FINDING_KINDS['server-latency'].remedy,
      snippet: null,
    },
  ];
}
