import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import type { FindingDetector } from './context.js';
import { AnswersWithRcode } from './answers-with-rcode.js';
import { DistinctNames } from './distinct-names.js';

/**
 * Servers that refused to answer: policy, not failure (an ACL or a view that leaves the client
 * out), and what clients do about it differs more than for any other answer: glibc asks once
 * more and gives the search list up for the name as written (fixtures/refused.pcap), musl ignores
 * the answer and waits its whole timeout (fixtures/musl-refused.pcap).
 */
export class RefusedDetector implements FindingDetector {
  private readonly answers = new AnswersWithRcode();
  private readonly servers = new DistinctNames();
  private readonly clients = new DistinctNames();

  transaction(t: Transaction): void {
    if (t.rcode !== 'REFUSED') return;
    this.answers.add(t);
    this.servers.add(t.server);
    this.clients.add(t.clientHost);
  }

  finish(): Finding[] {
    if (this.answers.count === 0) return [];
    return [
      {
        kind: 'refused',
        title: FINDING_KINDS.refused.title,
        summary: `${this.answers.said('REFUSED')}; ${refusedBy(this.servers.list(), this.clients.size, this.clients.complete)}.`,
        evidence: this.answers.evidence.list(),
        impact: { queries: this.answers.count, ms: this.answers.ms },
        remedy: FINDING_KINDS.refused.remedy,
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
  return `refused by ${servers} to ${clientsComplete ? '' : 'at least '}${clients} client${clients === 1 ? '' : 's'}`;
}
