import type { Finding, Lookup } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { formatMs } from '../../../../src/format-ms.js';
import { type StepFailure, describeWalks, searchPathRemedy } from '../../../../src/analyze/findings/detect-search-path-waste.js';
import { type AnalysisContext, evidenceFrames, roundMs } from './context.js';

/**
 * Lookups that walked the search list before the answer (or before failing). Grouped per
 * name so that a name looked up a thousand times is one finding with a thousand times the cost,
 * each with what the same lookups would have cost another way; plus one finding for the total.
 */
export function detectSearchPathWaste(ctx: AnalysisContext): Finding[] {
  const byName = new Map<string, Lookup[]>();
  for (const l of ctx.lookups) {
    if (l.wastedQueries === 0) continue;
    const list = byName.get(l.name);
    if (list) list.push(l);
    else byName.set(l.name, [l]);
  }
  const findings: Finding[] = [];
  for (const [name, lookups] of byName) {
    const wasted = lookups.reduce((n, l) => n + l.wastedQueries, 0);
    const queries = lookups.reduce((n, l) => n + l.queries, 0);
    const wastedMs = lookups.reduce((n, l) => n + l.wastedMs, 0);
    const perLookup = lookups.map((l) => [...new Set(l.attempts.filter((a) => a.wasted && a.suffix).map((a) => a.suffix as string))]);
    const suffixes = [...new Set(perLookup.flat())];
    const counts = perLookup.map((list) => list.length);
    const answered = lookups.filter((l) => l.outcome === 'answered');
    const failed = lookups.filter((l) => l.outcome !== 'answered');
    const endings: [string, number][] = [
      ...[...new Set(answered.map((l) => l.answeredName))].map((n): [string, number] => [`answered as ${n}`, answered.filter((l) => l.answeredName === n).length]),
      ...[...new Set(failed.map((l) => l.outcome))].map((o): [string, number] => [`ended ${o}`, failed.filter((l) => l.outcome === o).length]),
    ];
    findings.push({
      kind: 'search-path-waste',
      title: `${FINDING_KINDS['search-path-waste'].title}: ${name}`,
      summary:
        `${describeWalks(name, lookups.length, suffixes, Math.min(...counts), Math.max(...counts), endings)}: ${queries} queries of which ${wasted} wasted, ` +
        `${formatMs(wastedMs)} spent on suffixes that could not answer. ${whatIfs(name, lookups)}`,
      evidence: evidenceFrames(lookups.flatMap((l) => l.attempts.filter((a) => a.wasted).flatMap((a) => [a.queryFrame, a.responseFrame]))),
      impact: { queries: wasted, ms: roundMs(wastedMs) },
      ...searchPathRemedy(
        name,
        [...new Set(answered.map((l) => l.answeredName).filter((n): n is string => n !== null))],
        lookups.every((l) => l.outcome === 'answered' && l.suffix === null),
        stepFailures(failed),
      ),
    });
  }
  if (byName.size > 1) findings.push(total(ctx.lookups, byName));
  return findings.sort((a, b) => b.impact.queries - a.impact.queries || a.title.localeCompare(b.title));
}

/**
 * What failed on the steps of lookups that got no address, in the order met, the first four
 * distinct (the finding shows three and says when there were more): an rcode other than
 * NXDOMAIN (NOERROR there is NODATA) or no answer, and the suffix ('': as written).
 */
function stepFailures(failed: readonly Lookup[]): StepFailure[] {
  const all = failed.flatMap((l) =>
    l.attempts
      .filter((a) => a.rcode !== 'NXDOMAIN')
      .map((a) => `${a.rcode === null ? 'no answer' : a.rcode === 'NOERROR' ? 'NODATA' : a.rcode}\t${a.suffix === null ? '' : `.${a.suffix}`}`),
  );
  return [...new Set(all)].slice(0, 4).map((key) => {
    const [what, where] = key.split('\t');
    return { what, where };
  });
}

/**
 * The same lookups another way. A trailing dot asks the final name once. With ndots N in the
 * pod's dnsConfig a name with at least N dots is tried as written first (glibc, musl), which
 * helps only names that answer as written. CoreDNS autopath and an ExternalName Service both
 * answer the first suffix in one round trip per query type.
 */
function whatIfs(name: string, lookups: readonly Lookup[]): string {
  const queries = lookups.reduce((n, l) => n + l.queries, 0);
  const fqdnQ = lookups.reduce((n, l) => n + l.fqdnQueries, 0);
  const fqdnMs = lookups.every((l) => l.fqdnMs !== null) ? lookups.reduce((n, l) => n + (l.fqdnMs as number), 0) : null;
  const dots = name.split('.').length - 1;
  const answeredAsWritten = lookups.every((l) => l.outcome === 'answered' && l.suffix === null);
  const fqdnQueries = `${fqdnQ} quer${fqdnQ === 1 ? 'y' : 'ies'}`;
  const ndots = (n: number) =>
    dots >= n && answeredAsWritten ? fqdnQueries : dots >= n ? 'no better (it does not answer as written)' : `no change (${dots} dot${dots === 1 ? '' : 's'})`;
  return (
    `What if: with a trailing dot ${fqdnQueries}${fqdnMs !== null ? ` (${formatMs(fqdnMs)})` : ''} instead of ${queries}; ` +
    `ndots 2: ${ndots(2)}; ndots 1: ${ndots(1)}; CoreDNS autopath or an ExternalName Service: ${fqdnQueries}, one round trip each.`
  );
}

function total(all: readonly Lookup[], byName: Map<string, Lookup[]>): Finding {
  const walked = [...byName.values()].flat();
  const wasted = walked.reduce((n, l) => n + l.wastedQueries, 0);
  const wastedMs = walked.reduce((n, l) => n + l.wastedMs, 0);
  const queries = all.reduce((n, l) => n + l.queries, 0);
  const fqdn = walked.reduce((n, l) => n + l.fqdnQueries, 0) + all.filter((l) => l.wastedQueries === 0).reduce((n, l) => n + l.queries, 0);
  return {
    kind: 'search-path-waste-total',
    title: FINDING_KINDS['search-path-waste-total'].title,
    summary:
      `${walked.length} of ${all.length} lookups (${byName.size} names) walked the search list: ${wasted} of ${queries} queries were wasted ` +
      `(${Math.round((100 * wasted) / Math.max(1, queries))}%), ${formatMs(wastedMs)} in all. Fully qualified, the same lookups would have taken about ${fqdn} queries.`,
    evidence: [],
    impact: { queries: wasted, ms: roundMs(wastedMs) },
    remedy: FINDING_KINDS['search-path-waste-total'].remedy,
    snippet: null,
  };
}
