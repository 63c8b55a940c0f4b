import type { Finding, Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, countSeen } from './context.js';
import { AnswersWithRcode } from './answers-with-rcode.js';
import { DistinctNames } from './distinct-names.js';

/**
 * Servers that refused to answer: policy, not failure (an ACL or a view that leaves the client
 * out), and what clients do about it differs more than for any other answer: glibc asks its next
 * nameserver (fixtures/refused-first.pcap), and with none left asks once more and gives the
 * search list up for the name as written (fixtures/refused.pcap); musl asks every nameserver at
 * once and takes another's answer (fixtures/musl-refused-first.pcap), and with none ignores the
 * answer and waits its whole timeout (fixtures/musl-refused.pcap). Where another nameserver
 * answered the question, the lookups went on: the refusing server is one to take off the list.
 */
export class RefusedDetector implements FindingDetector {
  private readonly answers = new AnswersWithRcode('REFUSED');
  private readonly servers = new DistinctNames();
  private readonly clients = new DistinctNames();

  transaction(t: Transaction): void {
    if (t.rcode !== 'REFUSED') return;
    this.answers.add(t);
    this.servers.add(t.server);
    this.clients.add(t.clientHost);
  }

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    this.answers.lookup(l, attemptTx);
  }

  finish(): Finding[] {
    const a = this.answers;
    if (a.count === 0) return [];
    return [
      {
        kind: 'refused',
        title: FINDING_KINDS.refused.title,
        summary: `${a.said()}; ${refusedBy(this.servers.list(), this.clients.size, this.clients.complete)}.${a.aroundSaid('refusal')}`,
        evidence: a.evidence.list(),
        impact: { queries: a.count, ms: a.ms },
        remedy: refusedRemedy(a.serverHosts.list(), a.answeredElsewhere),
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.answers.retained() + this.servers.size + this.clients.size;
  }
}

/** "refused by 127.0.0.10:53 to 1 client" (shared with the oracle). */
export function refusedBy(servers: string, clients: number, clientsComplete: boolean): string {
  return `refused by ${servers} to ${countSeen(clients, clientsComplete, 'client')}`;
}

/** The remedy: with another nameserver answering, the refusing one (`hosts`: addresses) can come off the list (shared with the oracle). */
export function refusedRemedy(hosts: string, answeredElsewhere: number): string {
  if (answeredElsewhere === 0) return FINDING_KINDS.refused.remedy;
  return `Another nameserver answers these clients: take ${hosts} off their nameserver list (resolv.conf, the pod's dnsConfig, the node's), or make it serve them. ${FINDING_KINDS.refused.remedy}`;
}
