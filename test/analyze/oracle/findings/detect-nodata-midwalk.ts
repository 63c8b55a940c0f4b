import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames, roundMs } from './context.js';

/**
 * A search suffix that answered NOERROR with no records (NODATA). glibc goes on to the next suffix;
 * musl and dig stop there, and the application gets no address (RESOLVERS.md).
 */
export function detectNodataMidwalk(ctx: AnalysisContext): Finding[] {
  const byStep = new Map<string, { lookups: number; stopped: number; frames: (number | null)[]; ms: number; queries: number }>();
  for (const l of ctx.lookups) {
    const nodata = l.attempts.filter((a) => a.suffix !== null && a.rcode === 'NOERROR' && l.answeredName !== a.name);
    for (const name of new Set(nodata.map((a) => a.name))) {
      const attempts = nodata.filter((a) => a.name === name);
      const e = byStep.get(name) ?? { lookups: 0, stopped: 0, frames: [], ms: 0, queries: 0 };
      e.lookups++;
      if (l.outcome === 'nodata' && l.attempts[l.attempts.length - 1].name === name) e.stopped++;
      e.frames.push(...attempts.flatMap((a) => [a.queryFrame, a.responseFrame]));
      e.ms += attempts.reduce((n, a) => n + (a.latencyMs ?? 0), 0);
      e.queries += attempts.length;
      byStep.set(name, e);
    }
  }
  return [...byStep.entries()].map(([name, e]) => ({
    kind: 'nodata-midwalk',
    title: `${FINDING_KINDS['nodata-midwalk'].title}: ${name}`,
    summary:
      `${name} exists but had no record of the type asked (NODATA) in ${e.lookups} lookup${e.lookups === 1 ? '' : 's'}: ` +
      (e.stopped > 0
        ? `${e.stopped} stopped there with no address (musl and dig stop on NODATA).`
        : 'the resolver went on to the next suffix (glibc does; musl and dig would have stopped there with no address).'),
    evidence: evidenceFrames(e.frames),
    impact: { queries: e.queries, ms: roundMs(e.ms) },
    remedy: FINDING_KINDS['nodata-midwalk'].remedy,
    snippet: null,
  }));
}
