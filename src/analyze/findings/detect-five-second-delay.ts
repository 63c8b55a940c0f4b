import type { Finding, Lookup, LookupAttempt, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count, roundMs } from './context.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * The conntrack race: of an A/AAAA pair sent together on one socket, one answer came back and
 * the other query had to be sent again after the resolver's timeout (glibc: same id, same socket,
 * 5 s later). Found per lookup step: one type answered without resend, another type resent.
 *
 * Only a lookup with retries can show it (a resent query is a send beyond one per attempt); its
 * attempts' transactions come with it.
 */
export class FiveSecondDelayDetector implements FindingDetector {
  private hits = 0;
  private firstDelayMs = 0;
  private totalMs = 0;
  private queries = 0;
  private readonly names = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    if (l.retries > 0) this.check(l, attemptTx);
  }

  finish(): Finding[] {
    if (this.hits === 0) return [];
    return [
      {
        kind: 'five-second-delay',
        title: FINDING_KINDS['five-second-delay'].title,
        summary:
          `${count(this.hits, 'query', 'queries')} of an A/AAAA pair lost one answer and were sent again ` +
          `${Math.round(this.firstDelayMs)} ms later on the same socket (${this.names.list()}), while the other type was answered at once: ` +
          `${roundMs(this.totalMs / 1000)} s of waiting in all.`,
        evidence: this.evidence.list(),
        impact: { queries: this.queries, ms: roundMs(this.totalMs) },
        remedy: FINDING_KINDS['five-second-delay'].remedy,
        snippet: ['# pod spec', 'dnsConfig:', '  options:', '    - name: single-request-reopen'].join('\n'),
      },
    ];
  }

  retained(): number {
    return this.names.size + this.evidence.size;
  }

  private check(l: Lookup, attemptTx: AttemptTransaction): void {
    for (const [name, attempts] of stepsOf(l)) {
      if (new Set(attempts.map((a) => a.type)).size < 2) continue;
      const txs = attempts.map((a) => (a.queryFrame !== null ? attemptTx(a.queryFrame, a.type) : undefined)).filter((t): t is Transaction => t !== undefined);
      // Answered at once (no resend, no retry), and resent over UDP.
      const clean = txs.filter((t) => t.responseFrame !== null && t.retransmissionFrames.length === 0 && t.retryOf === null);
      for (const r of txs) {
        if (r.retransmissionFrames.length === 0 || r.transport !== 'udp') continue;
        if (!clean.some((c) => c.type !== r.type && c.client === r.client)) continue;
        const delayMs = r.lastSendUs !== null && r.queryTimeUs !== null ? (r.lastSendUs - r.queryTimeUs) / 1000 : 0;
        if (this.hits++ === 0) this.firstDelayMs = delayMs;
        this.totalMs += delayMs;
        this.queries += r.retransmissionFrames.length;
        this.names.add(`${name} ${r.type}`);
        this.evidence.add(r.queryFrame);
        this.evidence.addAll(r.retransmissionFrames);
        this.evidence.add(r.responseFrame);
      }
    }
  }
}

/** A lookup's attempts by step name, in the order first tried. */
function stepsOf(l: Lookup): Map<string, LookupAttempt[]> {
  const byName = new Map<string, LookupAttempt[]>();
  for (const a of l.attempts) {
    const list = byName.get(a.name);
    if (list) list.push(a);
    else byName.set(a.name, [a]);
  }
  return byName;
}
