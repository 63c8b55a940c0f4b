import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, roundMs } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';
import { SocketSpans } from './socket-spans.js';

/** Names a sentence shows: the first few in sorted order. */
const SHOWN = 5;

/** Client sockets whose last SERVFAIL span is kept (a chain's answers settle together). */
const SOCKETS_KEPT = 256;

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

  transaction(t: Transaction): void {
    if (t.rcode !== 'SERVFAIL') return;
    this.failed++;
    if (t.latencyMs !== null && t.responseTimeUs !== null) this.spans.add(t.client, t.responseTimeUs - t.latencyMs * 1000, t.responseTimeUs);
    this.evidence.add(t.responseFrame);
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
    return [
      {
        kind: 'servfail',
        title: FINDING_KINDS.servfail.title,
        summary: `${failed} response${failed === 1 ? ' was' : 's were'} SERVFAIL, for ${this.smallest.join(', ')}${more > 0 ? ` and ${this.names.complete ? '' : 'at least '}${more} more` : ''}.`,
        evidence: this.evidence.list(),
        impact: { queries: failed, ms: roundMs(this.spans.totalUs / 1000) },
        remedy: 'Look at the server: a zone that failed to load, an upstream that does not answer, or DNSSEC validation failures all show up as SERVFAIL.',
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.names.size + this.smallest.length + this.evidence.size + this.spans.size;
  }
}
