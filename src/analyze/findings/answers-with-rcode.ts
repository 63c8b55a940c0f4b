import type { Transaction } from '../../model.js';
import { roundMs } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';
import { SocketSpans } from './socket-spans.js';

/** Names a sentence shows: the first few in sorted order. */
const SHOWN = 5;

/** Client sockets whose last span is kept (a chain's answers settle together). */
const SOCKETS_KEPT = 256;

/**
 * The answers of one rcode (SERVFAIL, REFUSED) a finding reports: how many, for which names, the
 * frames, and what they cost the clients: from each question's first send to each such answer,
 * per client socket, counted once where they overlap (a retry's latency counts from the first
 * send, so the spans of one retry chain nest, and the A and AAAA of a pair overlap).
 */
export class AnswersWithRcode {
  count = 0;
  private readonly spans = new SocketSpans(SOCKETS_KEPT);
  private readonly names = new DistinctNames();
  /** The SHOWN smallest distinct names, sorted (the set above may stop growing; these never miss one). */
  private readonly smallest: string[] = [];
  readonly evidence = new EvidenceFrames();

  /** `t` was answered with the rcode. */
  add(t: Transaction): void {
    this.count++;
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

  /** "12 responses were RCODE, for a, b and 3 more". */
  said(rcode: string): string {
    const n = this.count;
    const more = this.names.size - SHOWN;
    return `${n} response${n === 1 ? ' was' : 's were'} ${rcode}, for ${this.smallest.join(', ')}${more > 0 ? ` and ${this.names.complete ? '' : 'at least '}${more} more` : ''}`;
  }

  /** The clients' time, in milliseconds (see the class). */
  get ms(): number {
    return roundMs(this.spans.totalUs / 1000);
  }

  retained(): number {
    return this.names.size + this.smallest.length + this.evidence.size + this.spans.size;
  }
}
