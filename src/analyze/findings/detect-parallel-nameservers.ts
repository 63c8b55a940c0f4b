import type { Finding, Lookup } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { hostOf } from '../../host-of-endpoint.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count } from './context.js';
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

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    if (sentAlongsideCount(l) <= 0) return;
    let alongside = 0;
    forEachSentAlongside(l, attemptTx, (first, copy) => {
      alongside++;
      this.servers.add(hostOf(first.server));
      this.servers.add(hostOf(copy.server));
      this.evidence.add(first.queryFrame);
      this.evidence.add(copy.queryFrame);
    });
    if (alongside === 0) return;
    this.alongside += alongside;
    this.queries += l.queries;
    this.lookups++;
    this.clients.add(l.client);
  }

  finish(): Finding[] {
    if (this.alongside === 0) return [];
    const clients = this.clients.size;
    return [
      {
        kind: 'parallel-nameservers',
        title: FINDING_KINDS['parallel-nameservers'].title,
        summary:
          `${this.alongside} of the ${count(this.queries, 'query', 'queries')} of ${count(this.lookups, 'lookup')} were a query sent again to another nameserver at the same moment ` +
          `(${this.clients.complete ? '' : 'at least '}${count(clients, 'client')}: ${this.clients.list()}; nameservers ${this.servers.list()}): ` +
          'the client asks every nameserver at once and takes the first answer (musl does), so each nameserver carries its whole load.',
        evidence: this.evidence.list(),
        impact: { queries: this.alongside, ms: 0 },
        remedy: FINDING_KINDS['parallel-nameservers'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.clients.size + this.servers.size + this.evidence.size;
  }
}
