import type { Finding, Lookup, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { FINDING_KINDS } from './finding-kinds.js';
import type { FindingDetector } from './context.js';
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
  private readonly answers = new AnswersWithRcode();
  private readonly servers = new DistinctNames();
  /** The same servers' addresses, as a nameserver list names them. */
  private readonly serverHosts = new DistinctNames();
  private readonly clients = new DistinctNames();
  /** REFUSED answers whose question another nameserver answered in the same lookup, and those nameservers. */
  private answeredElsewhere = 0;
  private readonly otherServers = new DistinctNames();

  transaction(t: Transaction): void {
    if (t.rcode !== 'REFUSED') return;
    this.answers.add(t);
    this.servers.add(t.server);
    this.serverHosts.add(t.serverHost);
    this.clients.add(t.clientHost);
  }

  lookup(l: Lookup, _index: number, attemptTx: AttemptTransaction): void {
    if (!l.attempts.some((a) => a.rcode === 'REFUSED')) return;
    for (const refused of l.attempts) {
      if (refused.rcode !== 'REFUSED' || refused.queryFrame === null) continue;
      const server = attemptTx(refused.queryFrame, refused.type)?.server;
      const other = server === undefined ? undefined : answeringServer(l, refused.name, refused.type, server, attemptTx);
      if (other === undefined) continue;
      this.answeredElsewhere++;
      this.otherServers.add(other);
    }
  }

  finish(): Finding[] {
    if (this.answers.count === 0) return [];
    return [
      {
        kind: 'refused',
        title: FINDING_KINDS.refused.title,
        summary:
          `${this.answers.said('REFUSED')}; ${refusedBy(this.servers.list(), this.clients.size, this.clients.complete)}.` +
          answeredElsewhereSaid(this.answeredElsewhere, this.answers.count, this.otherServers.list()),
        evidence: this.answers.evidence.list(),
        impact: { queries: this.answers.count, ms: this.answers.ms },
        remedy: refusedRemedy(this.serverHosts.list(), this.answeredElsewhere),
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.answers.retained() + this.servers.size + this.serverHosts.size + this.clients.size + this.otherServers.size;
  }
}

/** A server other than `refusing` that answered `name`/`type` in `l` (an answer the client can use: neither REFUSED nor SERVFAIL). */
function answeringServer(l: Lookup, name: string, type: string, refusing: string, attemptTx: AttemptTransaction): string | undefined {
  for (const a of l.attempts) {
    if (a.name !== name || a.type !== type || a.queryFrame === null || !usableAnswer(a.rcode)) continue;
    const server = attemptTx(a.queryFrame, a.type)?.server;
    if (server !== undefined && server !== refusing) return server;
  }
  return undefined;
}

/** An answer a resolver takes and stops asking the question at. */
function usableAnswer(rcode: string | null): boolean {
  return rcode !== null && rcode !== 'REFUSED' && rcode !== 'SERVFAIL';
}

/** "refused by 127.0.0.10:53 to 1 client" (shared with the oracle). */
export function refusedBy(servers: string, clients: number, clientsComplete: boolean): string {
  return `refused by ${servers} to ${clientsComplete ? '' : 'at least '}${clients} client${clients === 1 ? '' : 's'}`;
}

/** What the clients did about it, when another nameserver answered (shared with the oracle). */
export function answeredElsewhereSaid(answeredElsewhere: number, refused: number, otherServers: string): string {
  if (answeredElsewhere === 0) return '';
  const which = answeredElsewhere === refused ? (refused === 1 ? 'that question' : 'every one of those questions') : `${answeredElsewhere} of those questions`;
  return ` Another nameserver answered ${which} (${otherServers}): the lookups went on around the refusal.`;
}

/** The remedy: with another nameserver answering, the refusing one (`hosts`: addresses) can come off the list (shared with the oracle). */
export function refusedRemedy(hosts: string, answeredElsewhere: number): string {
  if (answeredElsewhere === 0) return FINDING_KINDS.refused.remedy;
  return `Another nameserver answers these clients: take ${hosts} off their nameserver list (resolv.conf, the pod's dnsConfig, the node's), or make it serve them. ${FINDING_KINDS.refused.remedy}`;
}
