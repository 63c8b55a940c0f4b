import type { Finding, Transaction } from '../../model.js';
import { formatMs } from '../../format-ms.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, roundMs } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';
import { SocketSpans } from './socket-spans.js';

/** Names a sentence shows: the first few in sorted order. */
const SHOWN = 5;

/** Client sockets whose last SERVFAIL span is kept (a chain's answers settle together). */
const SOCKETS_KEPT = 256;

/**
 * A SERVFAIL this long after its query's last send came from a server that waited on something
 * before failing: an upstream timing out (BIND gives a silent forwarder 10 s; CoreDNS's forward
 * plugin seconds). A server that fails without asking anyone (a zone that did not load, DNSSEC,
 * a refused or unreachable upstream, a failure it cached) answers within a round trip.
 */
export const SLOW_SERVFAIL_MS = 500;

/** How long the server took over the SERVFAIL'd query that took it longest, from its last send. */
export interface SlowestServfail {
  /** From the query's last send to the SERVFAIL. */
  fromLastMs: number;
  /** From its first send, when the client had sent it again before the answer; else null. */
  fromFirstMs: number | null;
}

/** The slower of `a` and the SERVFAIL'd `t`, by the time from the last send. */
export function slowerServfail(a: SlowestServfail, t: Transaction): SlowestServfail {
  if (t.latencyFromLastMs === null || t.latencyFromLastMs <= a.fromLastMs) return a;
  const resent = t.retransmissionFrames.length > 0 && t.queryTimeUs !== null && t.responseTimeUs !== null;
  return { fromLastMs: t.latencyFromLastMs, fromFirstMs: resent ? roundMs(((t.responseTimeUs as number) - (t.queryTimeUs as number)) / 1000) : null };
}

export const NO_SERVFAIL: SlowestServfail = { fromLastMs: 0, fromFirstMs: null };

/**
 * The summary's clause on how long the server took, and the remedy that follows from it. One
 * text for the detector and its oracle.
 */
export function servfailTiming(slowest: SlowestServfail): { clause: string; remedy: string } {
  const slowestMs = slowest.fromLastMs;
  const first = slowest.fromFirstMs === null ? '' : ` (${formatMs(slowest.fromFirstMs)} after its first send)`;
  const clause = `; the slowest came ${formatMs(slowestMs)} after its query was last sent${first}`;
  if (slowestMs >= SLOW_SERVFAIL_MS) {
    return {
      clause,
      remedy:
        'The server waited before failing: most often an upstream that does not answer (a forward or stub domain timing out). ' +
        "Look at the server's upstreams and their health; a timeout longer than the client's own makes the client send again first.",
    };
  }
  return {
    clause,
    remedy:
      'The server failed at once, without waiting on an upstream: look at the server for a zone that failed to load, ' +
      'an upstream that refused or is unreachable, DNSSEC validation failures, or a failure it cached.',
  };
}

export class ServfailDetector implements FindingDetector {
  private failed = 0;
  /**
   * From each question's first send to each of its SERVFAIL answers: a retry's latency counts from
   * the first send, so the spans of one retry chain nest, and the A and AAAA of a pair overlap.
   */
  private readonly spans = new SocketSpans(SOCKETS_KEPT);
  private readonly names = new DistinctNames();
  /** The SHOWN smallest distinct names, sorted (the set above may stop growing; these never miss one). */
  private readonly smallest: string[] = [];
  private readonly evidence = new EvidenceFrames();
  private slowest = NO_SERVFAIL;

  transaction(t: Transaction): void {
    if (t.rcode !== 'SERVFAIL') return;
    this.failed++;
    if (t.latencyMs !== null && t.responseTimeUs !== null) this.spans.add(t.client, t.responseTimeUs - t.latencyMs * 1000, t.responseTimeUs);
    this.evidence.add(t.responseFrame);
    this.slowest = slowerServfail(this.slowest, t);
    const name = t.name ?? '?';
    this.names.add(name);
    const s = this.smallest;
    if (s.includes(name) || (s.length === SHOWN && name >= s[SHOWN - 1])) return;
    let at = s.length;
    while (at > 0 && name < s[at - 1]) at--;
    s.splice(at, 0, name);
    if (s.length > SHOWN) s.pop();
  }

  finish(): Finding[] {
    if (this.failed === 0) return [];
    const failed = this.failed;
    const more = this.names.size - SHOWN;
    const timing = servfailTiming(this.slowest);
    return [
      {
        kind: 'servfail',
        title: FINDING_KINDS.servfail.title,
        summary: `${failed} response${failed === 1 ? ' was' : 's were'} SERVFAIL, for ${this.smallest.join(', ')}${more > 0 ? ` and ${this.names.complete ? '' : 'at least '}${more} more` : ''}${timing.clause}.`,
        evidence: this.evidence.list(),
        impact: { queries: failed, ms: roundMs(this.spans.totalUs / 1000) },
        remedy: timing.remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.names.size + this.smallest.length + this.evidence.size + this.spans.size;
  }
}
