import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, roundMs } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/** Names a sentence shows: the first few in sorted order. */
const SHOWN = 5;

/** Client sockets whose last SERVFAIL span is kept (see spanEndBySocket). */
const SOCKETS_KEPT = 256;

export class ServfailDetector implements FindingDetector {
  private failed = 0;
  private ms = 0;
  /**
   * Where the last SERVFAIL span of each client socket ended (µs). A span runs from the
   * question's first send to this SERVFAIL: a retry's latency counts from the first send, so
   * the spans of one retry chain nest, and the A and AAAA of a pair overlap; the client waited
   * through them once. Cleared past SOCKETS_KEPT entries; a chain's answers settle close together.
   */
  private readonly spanEndBySocket = new Map<string, number>();
  private readonly names = new DistinctNames();
  /** The SHOWN smallest distinct names, sorted (the set above may stop growing; these never miss one). */
  private readonly smallest: string[] = [];
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction): void {
    if (t.rcode !== 'SERVFAIL') return;
    this.failed++;
    if (t.latencyMs !== null && t.responseTimeUs !== null) {
      const endUs = t.responseTimeUs;
      const before = this.spanEndBySocket.get(t.client) ?? Number.NEGATIVE_INFINITY;
      this.ms += Math.max(0, endUs - Math.max(endUs - t.latencyMs * 1000, before)) / 1000;
      if (this.spanEndBySocket.size >= SOCKETS_KEPT) this.spanEndBySocket.clear();
      this.spanEndBySocket.set(t.client, Math.max(before, endUs));
    }
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
        impact: { queries: failed, ms: roundMs(this.ms) },
        remedy: 'Look at the server: a zone that failed to load, an upstream that does not answer, or DNSSEC validation failures all show up as SERVFAIL.',
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.names.size + this.smallest.length + this.evidence.size + this.spanEndBySocket.size;
  }
}
