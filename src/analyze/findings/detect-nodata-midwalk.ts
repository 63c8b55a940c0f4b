import type { Finding, Lookup, LookupAttempt } from '../../model.js';
import { MAX_REPORT_NAMES } from '../report-limits.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { type FindingDetector, count, noteOnLast, roundMs } from './context.js';
import { EvidenceFrames } from './evidence-frames.js';

interface NodataStep {
  lookups: number;
  stopped: number;
  evidence: EvidenceFrames;
  ms: number;
  queries: number;
}

/**
 * A search suffix that answered NOERROR with no records (NODATA). glibc goes on to the next suffix;
 * musl and dig stop there, and the application gets no address (RESOLVERS.md).
 */
export class NodataMidwalkDetector implements FindingDetector {
  private readonly byStep = new Map<string, NodataStep>();
  /** Lookups that met NODATA on steps past MAX_REPORT_NAMES. */
  private untracked = 0;

  lookup(l: Lookup): void {
    // Most lookups have none: the list is only made for those that do.
    if (!l.attempts.some((a) => isNodataStep(l, a))) return;
    const nodata = l.attempts.filter((a) => isNodataStep(l, a));
    for (const name of new Set(nodata.map((a) => a.name))) {
      let e = this.byStep.get(name);
      if (!e) {
        if (this.byStep.size >= MAX_REPORT_NAMES) {
          this.untracked++;
          continue;
        }
        e = { lookups: 0, stopped: 0, evidence: new EvidenceFrames(), ms: 0, queries: 0 };
        this.byStep.set(name, e);
      }
      const attempts = nodata.filter((a) => a.name === name);
      e.lookups++;
      if (l.outcome === 'nodata' && l.attempts[l.attempts.length - 1].name === name) e.stopped++;
      for (const a of attempts) {
        e.evidence.add(a.queryFrame);
        e.evidence.add(a.responseFrame);
      }
      e.ms += attempts.reduce((n, a) => n + (a.latencyMs ?? 0), 0);
      e.queries += attempts.length;
    }
  }

  finish(): Finding[] {
    const findings = [...this.byStep.entries()].map(
      ([name, e]): Finding => ({
        kind: 'nodata-midwalk',
        title: `${FINDING_KINDS['nodata-midwalk'].title}: ${name}`,
        summary:
          `${name} exists but had no record of the type asked (NODATA) in ${e.lookups} lookup${e.lookups === 1 ? '' : 's'}: ` +
          (e.stopped > 0
            ? `${e.stopped} stopped there with no address (musl and dig stop on NODATA).`
            : 'the resolver went on to the next suffix (glibc does; musl and dig would have stopped there with no address).'),
        evidence: e.evidence.list(),
        impact: { queries: e.queries, ms: roundMs(e.ms) },
        remedy: FINDING_KINDS['nodata-midwalk'].remedy,
        snippet: null,
      }),
    );
    const note = this.untracked > 0 ? `(${count(this.untracked, 'more lookup')} met NODATA on names past the first ${MAX_REPORT_NAMES}, not listed.)` : null;
    return noteOnLast(findings, note);
  }

  retained(): number {
    let n = this.byStep.size;
    for (const e of this.byStep.values()) n += e.evidence.size;
    return n;
  }
}

/** A search step (not the name as written) that answered NOERROR without being the lookup's answer. */
function isNodataStep(l: Lookup, a: LookupAttempt): boolean {
  return a.suffix !== null && a.rcode === 'NOERROR' && l.answeredName !== a.name;
}
