import type { Finding, Lookup, ResolverProfile, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { PerServer } from '../per-server.js';
import { MAX_REPORT_SERVERS } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, type Warn, count, roundMs } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';
import { forEachSentAlongside, sentAlongsideCount } from './sent-alongside.js';
import { SocketSpans } from './socket-spans.js';
import { formatMs } from '../../format-ms.js';

interface DeadServer {
  queries: number;
  icmp: boolean;
  /** Other hosts the client failed over to, in the order first seen. */
  next: Set<string>;
  /** Queries the client sent to this same server again (its only nameserver, or its next try). */
  askedAgain: number;
  /** Other hosts the same queries went to at the same moment (a client that asks every nameserver at once). */
  alongside: Set<string>;
  evidence: EvidenceFrames;
}

interface SilentServer {
  queries: number;
  sends: number;
  /** The client sockets' waits: the A and AAAA of a glibc pair wait out one timeout side by side, which the lookup pays once. */
  waits: SocketSpans;
  next: Set<string>;
  evidence: EvidenceFrames;
}

/** Client sockets whose last wait on a silent server is kept (the two of a pair settle a few transactions apart). */
const SOCKETS_KEPT = 1024;

/**
 * A dead nameserver answers with ICMP port unreachable and the client fails over at once; a silent
 * one says nothing, and the client waits its whole timeout before the next server, on every lookup.
 *
 * Per server host: counters of the queries that failed over (each handed on with its retry). "Silent" also needs the server never to have answered anything in the whole
 * capture, so silent candidates are counted per server and a server that answered once is left
 * out at the end.
 */
export class NameserverFailoverDetector implements FindingDetector {
  /** Server endpoints that answered, with their hosts. */
  private readonly answered = new PerServer((t) => t.serverHost);
  private readonly dead = new Map<string, DeadServer>();
  private readonly silent = new Map<string, SilentServer>();
  /**
   * Lookups that ended unreachable, by the server of their last query: lookups that failed at
   * once because the server was dead. Counted for the first MAX_REPORT_SERVERS servers.
   */
  private readonly failedLookups = new Map<string, number>();
  /** Queries about servers past MAX_REPORT_SERVERS. */
  private untracked = 0;
  /** Servers past MAX_REPORT_SERVERS answered: one of them may be called silent although it answered. */
  private answeredUntracked = false;

  transaction(t: Transaction, retry: Transaction | undefined): void {
    if (t.responseFrame !== null && t.queryFrame !== null && this.answered.entry(t) === undefined) this.answeredUntracked = true;
    if (t.retriedBy !== null || t.status === 'unreachable') this.judge(t, retry);
  }

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    // musl sends each query to every nameserver at once: off loopback a dead one's ICMP error
    // comes back after the other sends left, so no failover links them, yet the client did not
    // depend on the dead server alone.
    if (sentAlongsideCount(l) > 0) {
      forEachSentAlongside(l, attemptTx, (first, copy) => {
        if (first.icmpFrame !== null && copy.icmpFrame === null) this.deadEntry(first.serverHost)?.alongside.add(copy.serverHost);
        if (copy.icmpFrame !== null && first.icmpFrame === null) this.deadEntry(copy.serverHost)?.alongside.add(first.serverHost);
      }, true);
    }
    if (l.outcome !== 'unreachable') return;
    const last = l.attempts[l.attempts.length - 1];
    const tx = last.queryFrame === null ? undefined : attemptTx(last.queryFrame, last.type);
    if (tx === undefined) return;
    const n = this.failedLookups.get(tx.serverHost);
    if (n !== undefined) this.failedLookups.set(tx.serverHost, n + 1);
    else if (this.failedLookups.size < MAX_REPORT_SERVERS) this.failedLookups.set(tx.serverHost, 1);
  }

  finish(_resolvers: readonly ResolverProfile[], warn: Warn): Finding[] {
    if (this.untracked > 0) warn(`${count(this.untracked, 'query', 'queries')} that failed over went to servers past the first ${MAX_REPORT_SERVERS} and are not in the nameserver findings`);
    if (this.answeredUntracked && this.silent.size > 0) warn(`more than ${MAX_REPORT_SERVERS} servers answered: a silent-nameserver finding may name one that answered`);
    const answeredHosts = new Set(this.answered.values());
    const out: Finding[] = [];
    for (const [server, d] of this.dead) {
      out.push({
        kind: 'dead-nameserver',
        title: `${FINDING_KINDS['dead-nameserver'].title}: ${server}`,
        summary: deadServerSummary(server, d.queries, d.icmp, [...d.next], d.askedAgain, this.failedLookups.get(server) ?? 0, [...d.alongside].sort()),
        evidence: d.evidence.list(),
        impact: { queries: d.queries, ms: 0 },
        remedy:
          d.next.size > 0 || d.alongside.size > 0
            ? `Remove ${server} from the nameserver list, or bring its DNS server back.`
            : `Bring the DNS server at ${server} back, or list a nameserver that answers: it is the only one the client tried.`,
        snippet: null,
      });
    }
    for (const [server, s] of this.silent) {
      if (answeredHosts.has(server)) continue;
      const waitedMs = s.waits.totalUs / 1000;
      out.push({
        kind: 'silent-nameserver',
        title: `${FINDING_KINDS['silent-nameserver'].title}: ${server}`,
        summary:
          `${count(s.queries, 'query', 'queries')} to ${server} got no answer and went to ${[...s.next].join(', ')} only after the timeout: ` +
          `${formatMs(waitedMs)} of waiting, paid again by every lookup.`,
        evidence: s.evidence.list(),
        impact: { queries: s.sends, ms: roundMs(waitedMs) },
        remedy: `Remove ${server} from the nameserver list, or find what drops its traffic.`,
        snippet: null,
      });
    }
    return out;
  }

  retained(): number {
    let n = this.answered.size;
    for (const d of this.dead.values()) n += 1 + d.next.size + d.alongside.size + d.evidence.size;
    for (const s of this.silent.values()) n += 1 + s.next.size + s.evidence.size;
    return n;
  }

  /** Each transaction that failed over or was retried, with the transaction that retried it. */
  private judge(t: Transaction, retry: Transaction | undefined): void {
    const server = t.serverHost;
    const failedOver = t.status === 'unreachable' || retry?.retryReason === 'failover';
    if (failedOver && t.queryFrame !== null) {
      const d = this.deadEntry(server);
      if (!d) return;
      d.queries++;
      if (t.icmpFrame !== null) d.icmp = true;
      if (retry !== undefined) {
        if (retry.serverHost !== server) d.next.add(retry.serverHost);
        else d.askedAgain++;
      }
      d.evidence.add(t.queryFrame);
      d.evidence.add(t.icmpFrame);
    }
    if (t.status === 'unanswered' && !failedOver && retry && retry.serverHost !== server) {
      const s = this.entry(this.silent, server, () => ({ queries: 0, sends: 0, waits: new SocketSpans(SOCKETS_KEPT), next: new Set(), evidence: new EvidenceFrames() }));
      if (!s) return;
      s.queries++;
      s.sends += 1 + t.retransmissionFrames.length;
      s.waits.add(t.client, t.queryTimeUs as number, retry.queryTimeUs as number);
      s.next.add(retry.serverHost);
      s.evidence.add(t.queryFrame);
      s.evidence.addAll(t.retransmissionFrames);
      s.evidence.add(retry.queryFrame);
    }
  }

  private deadEntry(server: string): DeadServer | undefined {
    return this.entry(this.dead, server, () => ({ queries: 0, icmp: false, next: new Set(), askedAgain: 0, alongside: new Set(), evidence: new EvidenceFrames() }));
  }

  private entry<V>(map: Map<string, V>, server: string, create: () => V): V | undefined {
    let v = map.get(server);
    if (v === undefined) {
      if (map.size >= MAX_REPORT_SERVERS) {
        this.untracked++;
        return undefined;
      }
      map.set(server, (v = create()));
    }
    return v;
  }
}

/**
 * What the client did after a dead server's errors: failed over to other servers (the lookup
 * goes on at once), or, with none to go to, asked the dead one again, when its lookups fail.
 * Shared with the test oracle, which must say the same.
 */
export function deadServerSummary(server: string, queries: number, icmp: boolean, next: readonly string[], askedAgain: number, failedLookups: number, alongside: readonly string[]): string {
  const what = icmp ? 'drew ICMP port unreachable' : 'went unanswered and were sent again at once with the same id (a failover after an error such as ICMP port unreachable)';
  const after: string[] = [];
  if (alongside.length > 0) after.push(`the client had sent the same queries to ${alongside.join(', ')} at the same moment (it asks every nameserver at once)`);
  if (next.length > 0) after.push(`the client failed over at once to ${next.join(', ')}`);
  if (askedAgain > 0) after.push(`${count(askedAgain, 'query was', 'queries were')} sent to ${server} again${next.length === 0 ? ', and to no other nameserver' : ''}`);
  const failed = failedLookups > 0 ? ` ${count(failedLookups, 'lookup')} failed at once (outcome unreachable).` : '';
  return `${count(queries, 'query', 'queries')} to ${server} ${what}${after.length > 0 ? `; ${after.join('; ')}` : ''}.${failed}`;
}
