import type { Finding, Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { hostOf } from '../../host-of-endpoint.js';
import { sameSendElsewhere } from '../same-send-elsewhere.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * Queries sent to several nameservers at once: the same socket, id and question to another
 * server within microseconds (musl asks every nameserver of resolv.conf at once and takes the
 * first answer; fixtures/musl-two-servers.pcap). No answer is wrong, but each nameserver carries
 * every client's whole load, which matters when the DNS servers are what is overloaded.
 *
 * Read from lookups: a lookup's queries beyond its distinct questions and its retries were sent
 * alongside (summariseLookup counts them so), and only such a lookup's transactions are read.
 */
export class ParallelNameserversDetector implements FindingDetector {
  private alongside = 0;
  private queries = 0;
  private lookups = 0;
  private readonly clients = new DistinctNames();
  private readonly servers = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    // Its sends beyond its questions and retries (one comparison of names and types per pair of attempts).
    if (l.queries - l.retries - distinctQuestions(l) <= 0) return;
    const txs: Transaction[] = [];
    for (const a of l.attempts) {
      const tx = a.queryFrame === null ? undefined : attemptTx(a.queryFrame, a.type);
      if (tx !== undefined) txs.push(tx);
    }
    let alongside = 0;
    for (let j = 1; j < txs.length; j++) {
      for (let i = 0; i < j; i++) {
        if (!sameSendElsewhere(txs[i], txs[j])) continue;
        alongside++;
        this.servers.add(hostOf(txs[i].server));
        this.servers.add(hostOf(txs[j].server));
        this.evidence.add(txs[i].queryFrame);
        this.evidence.add(txs[j].queryFrame);
        break;
      }
    }
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

/** The lookup's distinct questions: its attempts' distinct names and types. */
function distinctQuestions(l: Lookup): number {
  const attempts = l.attempts;
  let n = 0;
  for (let j = 0; j < attempts.length; j++) {
    let seen = false;
    for (let i = 0; i < j && !seen; i++) seen = attempts[i].name === attempts[j].name && attempts[i].type === attempts[j].type;
    if (!seen) n++;
  }
  return n;
}
