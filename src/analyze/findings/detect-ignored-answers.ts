import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, countSeen } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * Answers that came from another address than their query went to, which the client did not take
 * (it asked again, or its socket refused them: see the `ignored-response` status). The capture
 * says "answered" where the application waited out its timeouts: what an incident review must not
 * read wrong.
 */
export class IgnoredAnswersDetector implements FindingDetector {
  private count = 0;
  /** "10.96.0.10:53 answered from 10.244.1.9:53", each pair once. */
  private readonly pairs = new DistinctNames();
  private readonly names = new DistinctNames();
  private readonly clients = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction): void {
    if (t.status !== 'ignored-response') return;
    this.count++;
    this.pairs.add(askedAndAnswered(t.server, t.natServer ?? '?'));
    this.names.add(t.name ?? '?');
    this.clients.add(t.clientHost);
    this.evidence.add(t.responseFrame);
  }

  finish(): Finding[] {
    if (this.count === 0) return [];
    return [
      {
        kind: 'ignored-answers',
        title: FINDING_KINDS['ignored-answers'].title,
        summary: ignoredAnswersSummary(this.count, this.pairs.list(3), this.names.list(), this.clients.size, this.clients.complete),
        evidence: this.evidence.list(),
        // The clients' waits are the unanswered queries' (their own finding): not counted twice.
        impact: { queries: this.count, ms: 0 },
        remedy: FINDING_KINDS['ignored-answers'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.pairs.size + this.names.size + this.clients.size + this.evidence.size;
  }
}

/** "asked 10.96.0.10:53, answered from 10.244.1.9:53". */
export function askedAndAnswered(asked: string, from: string): string {
  return `asked ${asked}, answered from ${from}`;
}

/** The finding's summary (shared with the oracle). */
export function ignoredAnswersSummary(count: number, pairs: string, names: string, clients: number, clientsComplete: boolean): string {
  const theirClients = countSeen(clients, clientsComplete, 'client');
  return (
    `${count} answer${count === 1 ? '' : 's'} (for ${names}) came from another address than the query went to (${pairs}), ` +
    `and the question was asked again: ${theirClients} did not take ${count === 1 ? 'it' : 'them'} (glibc and musl drop an answer from an address they did not ask, ` +
    "and the kernel hands Go's connected sockets none). " +
    'The capture shows these queries answered; the applications waited out their timeouts (see the unanswered queries).'
  );
}
