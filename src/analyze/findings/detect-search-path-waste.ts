import type { Finding } from '../../model.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { formatMs } from '../../format-ms.js';
import { type AnalysisContext, evidenceFrames } from './context.js';

/**
 * Lookups that walked the search list before the answer (or before failing). Grouped per
 * name so that a name looked up a thousand times is one finding with a thousand times the cost.
 */
export function detectSearchPathWaste(ctx: AnalysisContext): Finding[] {
  const byName = new Map<string, typeof ctx.lookups[number][]>();
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
    const first = lookups[0];
    const suffixes = [...new Set(first.attempts.filter((a) => a.wasted && a.suffix).map((a) => a.suffix as string))];
    const times = lookups.length === 1 ? 'once' : `${lookups.length} times`;
    const answeredAs = first.outcome === 'answered' ? `before ${first.answeredName} answered` : `and still ended ${first.outcome}`;
    findings.push({
      kind: 'search-path-waste',
      title: `${FINDING_KINDS['search-path-waste'].title}: ${name}`,
      summary:
        `${name} was looked up ${times} and each lookup walked ${suffixes.length} search suffix${suffixes.length === 1 ? '' : 'es'} ` +
        `(${suffixes.map((s) => `.${s}`).join(', ')}) ${answeredAs}: ${queries} queries of which ${wasted} wasted, ` +
        `${formatMs(wastedMs)} spent on suffixes that could not answer.`,
      evidence: evidenceFrames(lookups.flatMap((l) => l.attempts.filter((a) => a.wasted).flatMap((a) => [a.queryFrame, a.responseFrame]))),
      impact: { queries: wasted, ms: Math.round(wastedMs * 1000) / 1000 },
      remedy:
        `Write the name fully qualified with a trailing dot (${name}.) so the resolver asks it once; or lower ndots in the pod's dnsConfig so names with dots are tried as written first; ` +
        `or, inside Kubernetes, point the application at an ExternalName Service in its own namespace, which is answered on the first suffix in one round trip.`,
      snippet: ['# pod spec', 'dnsConfig:', '  options:', '    - name: ndots', '      value: "2"', `# or in the application's configuration: ${name}.`].join('\n'),
    });
  }
  return findings.sort((a, b) => b.impact.queries - a.impact.queries || a.title.localeCompare(b.title));
}
