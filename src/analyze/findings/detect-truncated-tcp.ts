import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count, roundMs } from './context.js';
import { DistinctNames } from './distinct-names.js';
import { EvidenceFrames } from './evidence-frames.js';

/**
 * A UDP answer with TC set, and the TCP retry the client made for it (RFC 1035 §4.2.1, RFC 7766):
 * the retry handed on with the truncated transaction tells whether it went over TCP.
 */
export class TruncatedTcpDetector implements FindingDetector {
  private truncated = 0;
  private retried = 0;
  private extraMs = 0;
  private readonly names = new DistinctNames();
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction, retry: Transaction | undefined): void {
    if (t.transport === 'udp' && t.flags?.tc === true && t.queryFrame !== null) this.judge(t, retry);
  }

  finish(): Finding[] {
    if (this.truncated === 0) return [];
    const { truncated, retried } = this;
    return [
      {
        kind: 'truncated-tcp',
        title: FINDING_KINDS['truncated-tcp'].title,
        summary:
          `${count(truncated, 'UDP answer')} came back truncated (${this.names.list()}); ` +
          `${retried} ${retried === 1 ? 'was' : 'were'} asked again over TCP, adding ${roundMs(this.extraMs)} ms` +
          `${retried < truncated ? `; ${truncated - retried} never were` : ''}.`,
        evidence: this.evidence.list(),
        impact: { queries: retried, ms: roundMs(this.extraMs) },
        remedy: FINDING_KINDS['truncated-tcp'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.names.size + this.evidence.size;
  }

  private judge(t: Transaction, retry: Transaction | undefined): void {
    this.truncated++;
    this.names.add(`${t.name} ${t.type}`);
    this.evidence.add(t.responseFrame);
    this.evidence.add(t.retriedBy);
    if (t.retriedBy === null || retry?.transport !== 'tcp') return;
    this.retried++;
    this.extraMs += retry.responseTimeUs !== null && t.responseTimeUs !== null ? (retry.responseTimeUs - t.responseTimeUs) / 1000 : 0;
  }
}
