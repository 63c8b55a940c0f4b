import type { Finding, ResolverProfile, Transaction } from '../../model.js';
import { LatencyBudget } from '../latency-histogram.js';
import { PerServer } from '../per-server.js';
import { MAX_REPORT_SERVERS } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, type Warn, count } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

/** Shown in the summary: the slowest answers, with their frames as evidence. */
const SLOWEST = 5;

/** Percentiles of fewer answers say nothing the lookups table does not (p90 needs 10 at least). */
const MIN_ANSWERED = 10;

interface SlowAnswer {
  ms: number;
  name: string | null;
  type: string | null;
  queryFrame: number | null;
  responseFrame: number | null;
}

/**
 * Per server: answered transactions, p50/p90/p99 of the latency from the last send (what the
 * server took, not what the client waited across retries), and the slowest answers. Latencies
 * are counted per distinct value (LatencyHistogram), the slowest kept as a top 5.
 */
export class ServerLatencyDetector implements FindingDetector {
  private answered = 0;
  private readonly budget = new LatencyBudget();
  private readonly byServer = new PerServer(() => this.budget.histogram());
  /** Answers from servers past MAX_REPORT_SERVERS (in the count, not in a server's percentiles). */
  private untracked = 0;
  /** Slowest first; among equal latencies the one that came first (a stable sort's order). */
  private readonly slowest: SlowAnswer[] = [];

  transaction(t: Transaction): void {
    if (t.queryFrame === null || t.latencyFromLastMs === null) return;
    const ms = t.latencyFromLastMs;
    this.answered++;
    const h = this.byServer.entry(t);
    if (h === undefined) this.untracked++;
    else h.add(ms);
    const s = this.slowest;
    if (s.length === SLOWEST && ms <= s[SLOWEST - 1].ms) return;
    let at = s.length;
    while (at > 0 && ms > s[at - 1].ms) at--;
    s.splice(at, 0, { ms, name: t.name, type: t.type, queryFrame: t.queryFrame, responseFrame: t.responseFrame });
    if (s.length > SLOWEST) s.pop();
  }

  finish(_resolvers: readonly ResolverProfile[], warn: Warn): Finding[] {
    if (this.untracked > 0) warn(`${count(this.untracked, 'answer')} from servers past the first ${MAX_REPORT_SERVERS} are not in the server-latency finding's percentiles`);
    if (this.answered < MIN_ANSWERED) return [];
    const parts = [...this.byServer.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([server, h]) => {
        const [p50, p90, p99] = h.percentiles([50, 90, 99]);
        const within = h.precisionUs > 0 ? ` (to within ${h.precisionUs} µs: too many distinct latencies to keep)` : '';
        return `${server}: ${h.total} answered, p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms${within}`;
      });
    const evidence = new EvidenceFrames();
    for (const t of this.slowest) {
      evidence.add(t.queryFrame);
      evidence.add(t.responseFrame);
    }
    return [
      {
        kind: 'server-latency',
        title: FINDING_KINDS['server-latency'].title,
        summary: `${parts.join('; ')}. Slowest: ${this.slowest.map((t) => `${t.name} ${t.type} ${t.ms} ms`).join(', ')}.`,
        evidence: evidence.list(),
        impact: { queries: 0, ms: 0 },
        remedy: FINDING_KINDS['server-latency'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.byServer.size + this.budget.size + this.slowest.length;
  }
}
