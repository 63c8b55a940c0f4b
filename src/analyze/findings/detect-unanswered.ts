import type { Finding, Transaction } from '../../model.js';
import { MAX_REPORT_SERVERS } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import type { FindingDetector } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * Queries that never got a response before the deadline, except those the client then sent to
 * another server (its retry tells): the dead- and silent-nameserver findings explain those.
 */
export class UnansweredDetector implements FindingDetector {
  private lost = 0;
  private sends = 0;
  private readonly servers = new DistinctNames(MAX_REPORT_SERVERS);
  private readonly names = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction, retry: Transaction | undefined): void {
    if (t.status === 'unanswered') this.judge(t, retry);
  }

  finish(): Finding[] {
    if (this.lost === 0) return [];
    const lost = this.lost;
    const sends = this.sends;
    const servers = this.servers.values().sort().join(', ') + (this.servers.complete ? '' : ' and more');
    return [
      {
        kind: 'unanswered-queries',
        title: FINDING_KINDS['unanswered-queries'].title,
        summary: `${lost} quer${lost === 1 ? 'y' : 'ies'} to ${servers} got no response, in ${sends} send${sends === 1 ? '' : 's'} (${this.names.list()}).`,
        evidence: this.evidence.list(),
        impact: { queries: sends, ms: 0 },
        remedy: 'Check that the server is reachable and answering (conntrack drops, a silent nameserver, packet loss); a resolver pays its full timeout for each lost query.',
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.servers.size + this.names.size + this.evidence.size;
  }

  private judge(t: Transaction, retry: Transaction | undefined): void {
    const movedOn = t.retriedBy !== null && retry?.server !== t.server;
    if (movedOn) return;
    this.lost++;
    this.sends += 1 + t.retransmissionFrames.length;
    this.servers.add(t.server);
    this.names.add(`${t.name} ${t.type}`);
    this.evidence.add(t.queryFrame);
    this.evidence.addAll(t.retransmissionFrames);
  }
}
