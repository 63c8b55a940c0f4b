import type { Finding, Lookup } from '../../model.js';
import { MAX_REPORT_NAMES } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count, noteOnLast } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

/** One ExternalName Service as its first hit showed it, and the frames of all its hits. */
interface ServiceHits {
  name: string;
  cname: string | null;
  answeredName: string | null;
  addresses: number;
  evidence: EvidenceFrames;
}

/** An ExternalName answer: the application's HTTP Host and TLS SNI carry the Service name. */
export class ExternalNameCaveatDetector implements FindingDetector {
  private readonly byService = new Map<string, ServiceHits>();
  /** Hits of Services past MAX_REPORT_NAMES. */
  private untracked = 0;

  lookup(l: Lookup): void {
    if (l.kind !== 'externalname') return;
    const key = `${l.name} ${l.cname}`;
    let s = this.byService.get(key);
    if (!s) {
      if (this.byService.size >= MAX_REPORT_NAMES) {
        this.untracked++;
        return;
      }
      s = { name: l.name, cname: l.cname, answeredName: l.answeredName, addresses: l.addresses.length, evidence: new EvidenceFrames() };
      this.byService.set(key, s);
    }
    for (const a of l.attempts) {
      s.evidence.add(a.queryFrame);
      s.evidence.add(a.responseFrame);
    }
  }

  finish(): Finding[] {
    const findings = [...this.byService.values()].map(
      (l): Finding => ({
        kind: 'externalname-caveat',
        title: `${FINDING_KINDS['externalname-caveat'].title}: ${l.name} → ${l.cname}`,
        summary:
          `${l.name} was answered on the first search suffix as ${l.answeredName}, a CNAME to ${l.cname}` +
          `${l.addresses > 0 ? ` with ${l.addresses} address${l.addresses === 1 ? '' : 'es'}` : ''}: an ExternalName hit in one round trip. ` +
          `An HTTP client connecting this way sends Host: ${l.name} and TLS SNI ${l.name}, not ${l.cname}.`,
        evidence: l.evidence.list(),
        impact: { queries: 0, ms: 0 },
        remedy: `Make sure ${l.cname} accepts Host and SNI ${l.name} (or set the Host header and SNI to ${l.cname} in the client); certificates must cover the name the client sends.`,
        snippet: null,
      }),
    );
    const note = this.untracked > 0 ? `(${count(this.untracked, 'more ExternalName hit')} of Services past the first ${MAX_REPORT_NAMES} ${this.untracked === 1 ? 'is' : 'are'} not listed.)` : null;
    return noteOnLast(findings, note);
  }

  retained(): number {
    let n = this.byService.size;
    for (const s of this.byService.values()) n += s.evidence.size;
    return n;
  }
}
