import type { Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { takenAnswer } from '../rcode-rules.js';
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
  /** The addresses of the servers that gave the rcode, as a nameserver list names them. */
  readonly serverHosts = new DistinctNames();
  /** Answers with the rcode whose question another server answered in the same lookup, and those servers. */
  answeredElsewhere = 0;
  readonly otherServers = new DistinctNames();

  constructor(private readonly rcode: string) {}

  /** `t` was answered with the rcode. */
  add(t: Transaction): void {
    this.count++;
    this.serverHosts.add(t.serverHost);
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

  /**
   * A lookup, with its transactions: each of its answers with the rcode whose question (name and
   * type) another server answered with an answer a resolver takes (neither SERVFAIL nor REFUSED)
   * is one the client went around (glibc's next nameserver, musl's send to every one).
   */
  lookup(l: Lookup, attemptTx: AttemptTransaction): void {
    const attempts = l.attempts;
    let any = false;
    for (let i = 0; i < attempts.length && !any; i++) any = attempts[i].rcode === this.rcode;
    if (!any) return;
    for (const a of attempts) {
      if (a.rcode !== this.rcode || a.queryFrame === null) continue;
      const server = attemptTx(a.queryFrame, a.type)?.server;
      const other = server === undefined ? undefined : answeringServer(l, a.name, a.type, server, attemptTx);
      if (other === undefined) continue;
      this.answeredElsewhere++;
      this.otherServers.add(other);
    }
  }

  /** "12 responses were RCODE, for a, b and 3 more". */
  said(): string {
    const n = this.count;
    const rcode = this.rcode;
    const more = this.names.size - SHOWN;
    return `${n} response${n === 1 ? ' was' : 's were'} ${rcode}, for ${this.smallest.join(', ')}${more > 0 ? ` and ${this.names.complete ? '' : 'at least '}${more} more` : ''}`;
  }

  /** The clients' time, in milliseconds (see the class). */
  get ms(): number {
    return roundMs(this.spans.totalUs / 1000);
  }

  /** The sentence on the questions another server answered ('' for none; shared with the oracles). */
  aroundSaid(what: string): string {
    return answeredElsewhereSaid(this.answeredElsewhere, this.count, this.otherServers.list(), what);
  }

  retained(): number {
    return this.names.size + this.smallest.length + this.evidence.size + this.spans.size + this.serverHosts.size + this.otherServers.size;
  }
}

/** A server other than `failing` that answered `name`/`type` in `l` with an answer a resolver takes. */
function answeringServer(l: Lookup, name: string, type: string, failing: string, attemptTx: AttemptTransaction): string | undefined {
  for (const a of l.attempts) {
    if (a.name !== name || a.type !== type || a.queryFrame === null || !takenAnswer(a.rcode)) continue;
    const server = attemptTx(a.queryFrame, a.type)?.server;
    if (server !== undefined && server !== failing) return server;
  }
  return undefined;
}

/**
 * "Another nameserver answered every one of those questions (s): the lookups went on around the
 * `what`." ('' when none was; shared with the oracles.)
 */
export function answeredElsewhereSaid(answeredElsewhere: number, answers: number, otherServers: string, what: string): string {
  if (answeredElsewhere === 0) return '';
  const which = answeredElsewhere === answers ? (answers === 1 ? 'that question' : 'every one of those questions') : `${answeredElsewhere} of those questions`;
  return ` Another nameserver answered ${which} (${otherServers}): the lookups went on around the ${what}.`;
}
