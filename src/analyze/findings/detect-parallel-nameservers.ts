import type { Finding, Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { hostOf } from '../../host-of-endpoint.js';
import { MAX_REPORT_SERVERS } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count, countSeen } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';
import { forEachSentAlongside, sentAlongsideCount } from './sent-alongside.js';

/**
 * Queries sent to several nameservers at once: the same socket, id and question to another
 * server within microseconds (musl asks every nameserver of resolv.conf at once and takes the
 * first answer; fixtures/musl-two-servers.pcap). No answer is wrong, but each nameserver carries
 * every client's whole load, which matters when the DNS servers are what is overloaded.
 *
 * Read from lookups (sent-alongside.ts): only a lookup with such sends has its transactions read.
 */
export class ParallelNameserversDetector implements FindingDetector {
  private alongside = 0;
  private queries = 0;
  private lookups = 0;
  private readonly clients = new DistinctNames();
  private readonly servers = new DistinctNames();
  private readonly evidence = new EvidenceFrames();
  /**
   * Per nameserver host, of the queries sent to several at once: how many it was sent and how
   * many it answered. A server that answered none is dead or silent, and the client never
   * waited for it (a capture of port 53 shows no ICMP error and no failover).
   */
  private readonly byServer = new Map<string, { sent: number; answered: number }>();

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    if (sentAlongsideCount(l) <= 0) return;
    let alongside = 0;
    const tallied = new Set<Transaction>();
    forEachSentAlongside(l, attemptTx, (first, copy) => {
      alongside++;
      for (const tx of [first, copy]) {
        this.servers.add(hostOf(tx.server));
        this.evidence.add(tx.queryFrame);
        if (!tallied.has(tx)) this.tally(tx);
        tallied.add(tx);
      }
    });
    if (alongside === 0) return;
    this.alongside += alongside;
    this.queries += l.queries;
    this.lookups++;
    this.clients.add(l.client);
  }

  private tally(tx: Transaction): void {
    const host = tx.serverHost;
    let e = this.byServer.get(host);
    if (e === undefined) {
      if (this.byServer.size >= MAX_REPORT_SERVERS) return;
      this.byServer.set(host, (e = { sent: 0, answered: 0 }));
    }
    e.sent++;
    if (tx.responseFrame !== null) e.answered++;
  }

  finish(): Finding[] {
    if (this.alongside === 0) return [];
    const clients = this.clients.size;
    const mute = [...this.byServer].filter(([, e]) => e.answered === 0).map(([host, e]) => `${host} answered none of the ${count(e.sent, 'query', 'queries')} sent to it`);
    return [
      {
        kind: 'parallel-nameservers',
        title: FINDING_KINDS['parallel-nameservers'].title,
        summary:
          `${this.alongside} of the ${count(this.queries, 'query', 'queries')} of ${count(this.lookups, 'lookup')} were a query sent again to another nameserver at the same moment ` +
          `(${countSeen(clients, this.clients.complete, 'client')}: ${this.clients.list()}; nameservers ${this.servers.list()}): ` +
          'the client asks every nameserver at once and takes the first answer (musl does), so each nameserver carries its whole load.' +
          (mute.length > 0 ? ` Of these, ${mute.join('; ')}: the client never waited for it, and no failover shows it.` : ''),
        evidence: this.evidence.list(),
        impact: { queries: this.alongside, ms: 0 },
        remedy: FINDING_KINDS['parallel-nameservers'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.clients.size + this.servers.size + this.evidence.size + this.byServer.size;
  }
}
