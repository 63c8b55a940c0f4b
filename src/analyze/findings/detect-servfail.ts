import type { Finding, Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { formatMs } from '../../format-ms.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, roundMs } from './context.js';
import { AnswersWithRcode } from './answers-with-rcode.js';

/**
 * A SERVFAIL this long after its query's last send came from a server that waited on something
 * before failing: an upstream timing out (BIND gives a silent forwarder 10 s; CoreDNS's forward
 * plugin seconds). A server that fails without asking anyone (a zone that did not load, DNSSEC,
 * a refused or unreachable upstream, a failure it cached) answers within a round trip.
 */
const SLOW_SERVFAIL_MS = 500;

/** How long the server took over the SERVFAIL'd query that took it longest, from its last send. */
export interface SlowestServfail {
  /** From the query's last send to the SERVFAIL. */
  fromLastMs: number;
  /** From its first send, when the client had sent it again before the answer; else null. */
  fromFirstMs: number | null;
}

/** The slower of `a` and the SERVFAIL'd `t`, by the time from the last send. */
function slowerServfail(a: SlowestServfail, t: Transaction): SlowestServfail {
  if (t.latencyFromLastMs === null || t.latencyFromLastMs <= a.fromLastMs) return a;
  const resent = t.retransmissionFrames.length > 0 && t.queryTimeUs !== null && t.responseTimeUs !== null;
  return { fromLastMs: t.latencyFromLastMs, fromFirstMs: resent ? roundMs(((t.responseTimeUs as number) - (t.queryTimeUs as number)) / 1000) : null };
}

const NO_SERVFAIL: SlowestServfail = { fromLastMs: 0, fromFirstMs: null };

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

/**
 * With another nameserver answering the questions a server failed (glibc asks its next nameserver
 * at once, musl asks them all: fixtures/servfail-first.pcap, musl-servfail-first.pcap), the
 * failing one is the one to mend or take off the list, before anything the timing says.
 */
export function servfailRemedy(timingRemedy: string, hosts: string, answeredElsewhere: number): string {
  if (answeredElsewhere === 0) return timingRemedy;
  return `Another nameserver answers these clients: mend ${hosts}, or take it off their nameserver list (resolv.conf, the pod's dnsConfig, the node's). ${timingRemedy}`;
}

export class ServfailDetector implements FindingDetector {
  private readonly answers = new AnswersWithRcode('SERVFAIL');
  private slowest = NO_SERVFAIL;

  transaction(t: Transaction): void {
    if (t.rcode !== 'SERVFAIL') return;
    this.answers.add(t);
    this.slowest = slowerServfail(this.slowest, t);
  }

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    this.answers.lookup(l, attemptTx);
  }

  finish(): Finding[] {
    const a = this.answers;
    if (a.count === 0) return [];
    const timing = servfailTiming(this.slowest);
    return [
      {
        kind: 'servfail',
        title: FINDING_KINDS.servfail.title,
        summary: `${a.said()}${timing.clause}.${a.aroundSaid('failure')}`,
        evidence: a.evidence.list(),
        impact: { queries: a.count, ms: a.ms },
        remedy: servfailRemedy(timing.remedy, a.serverHosts.list(), a.answeredElsewhere),
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.answers.retained();
  }
}
