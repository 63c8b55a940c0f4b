import type { Finding, Lookup, LookupAttempt, ResolverProfile, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, type Warn, count, roundMs } from './context.js';
import { AttemptJoin } from './attempt-join.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/** What a lookup's attempt needs of its transaction here. */
interface Brief {
  type: string | null;
  client: string;
  /** Answered at once: no resend, no retry. */
  clean: boolean;
  /** Sent again over UDP (kept whole: rare, and its frames are the evidence). */
  resent: Transaction | null;
}

/**
 * The conntrack race: of an A/AAAA pair sent together on one socket, one answer came back and
 * the other query had to be sent again after the resolver's timeout (glibc: same id, same socket,
 * 5 s later). Found per lookup step: one type answered without resend, another type resent.
 *
 * Only a lookup with retries can show it (a resent query is a send beyond one per attempt), so
 * only those wait for their transactions (AttemptJoin); the transactions are held as briefs.
 */
export class FiveSecondDelayDetector implements FindingDetector {
  private readonly join = new AttemptJoin<Brief>((l, briefOf) => this.check(l, briefOf));
  private hits = 0;
  private firstDelayMs = 0;
  private totalMs = 0;
  private queries = 0;
  private readonly names = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction): void {
    const clean = t.responseFrame !== null && t.retransmissionFrames.length === 0 && t.retryOf === null;
    const resent = t.retransmissionFrames.length > 0 && t.transport === 'udp';
    this.join.transaction(t, clean || resent ? { type: t.type, client: t.client, clean, resent: resent ? t : null } : null);
  }

  lookup(l: Lookup): void {
    if (l.retries === 0) return this.join.lookup(l, null);
    const frames: number[] = [];
    for (const attempts of stepsOf(l).values()) {
      if (new Set(attempts.map((a) => a.type)).size < 2) continue;
      for (const a of attempts) if (a.queryFrame !== null) frames.push(a.queryFrame);
    }
    this.join.lookup(l, frames);
  }

  finish(_resolvers: readonly ResolverProfile[], warn: Warn): Finding[] {
    this.join.finish();
    if (this.join.incomplete > 0) {
      const one = this.join.incomplete === 1;
      warn(`${count(this.join.incomplete, 'lookup')} could not be checked for the 5-second conntrack race: ${one ? 'its' : 'their'} transactions came too long before ${one ? 'it' : 'them'}`);
    }
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
    return this.join.retained() + this.names.size + this.evidence.size;
  }

  private check(l: Lookup, briefOf: (frame: number) => Brief | undefined): void {
    for (const [name, attempts] of stepsOf(l)) {
      if (new Set(attempts.map((a) => a.type)).size < 2) continue;
      const txs = attempts.map((a) => (a.queryFrame !== null ? briefOf(a.queryFrame) : undefined)).filter((t): t is Brief => t !== undefined);
      const clean = txs.filter((t) => t.clean);
      for (const t of txs) {
        const r = t.resent;
        if (r === null || !clean.some((c) => c.type !== r.type && c.client === r.client)) continue;
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
