import type { Finding, Transaction } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import type { FindingDetector } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

/** Responses that answer no query seen, and second, different responses to one query. */
export class UnexpectedResponsesDetector implements FindingDetector {
  private unsolicited = 0;
  private duplicates = 0;
  private readonly evidence = new EvidenceFrames();

  transaction(t: Transaction): void {
    if (t.status === 'unsolicited-response') {
      this.unsolicited++;
      this.evidence.add(t.responseFrame);
    }
    if (t.duplicateResponseFrames.length > 0) {
      this.duplicates += t.duplicateResponseFrames.length;
      this.evidence.addAll(t.duplicateResponseFrames);
    }
  }

  finish(): Finding[] {
    const { unsolicited, duplicates } = this;
    if (unsolicited === 0 && duplicates === 0) return [];
    return [
      {
        kind: 'unexpected-responses',
        title: FINDING_KINDS['unexpected-responses'].title,
        summary: `${unsolicited} response${unsolicited === 1 ? '' : 's'} matched no query seen, and ${duplicates} further response${duplicates === 1 ? '' : 's'} came for queries already answered.`,
        evidence: this.evidence.list(),
        impact: { queries: 0, ms: 0 },
        remedy: FINDING_KINDS['unexpected-responses'].remedy,
        snippet: null,
      },
    ];
  }

  retained(): number {
    return this.evidence.size;
  }
}
