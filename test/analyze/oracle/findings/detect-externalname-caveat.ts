import type { Finding } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, evidenceFrames, pushTo } from './context.js';

/** An ExternalName answer: the application's HTTP Host and TLS SNI carry the Service name. */
export function detectExternalNameCaveat(ctx: AnalysisContext): Finding[] {
  const hits = ctx.lookups.filter((l) => l.kind === 'externalname');
  const byService = new Map<string, typeof hits>();
  for (const l of hits) {
    const key = `${l.name} ${l.cname}`;
    pushTo(byService, key, l);
  }
  return [...byService.values()].map((lookups) => {
    const l = lookups[0];
    return {
      kind: 'externalname-caveat',
      title: `${FINDING_KINDS['externalname-caveat'].title}: ${l.name} → ${l.cname}`,
      summary:
        `${l.name} was answered on the first search suffix as ${l.answeredName}, a CNAME to ${l.cname}` +
        `${l.addresses.length > 0 ? ` with ${l.addresses.length} address${l.addresses.length === 1 ? '' : 'es'}` : ''}: an ExternalName hit in one round trip. ` +
        `An HTTP client connecting this way sends Host: ${l.name} and TLS SNI ${l.name}, not ${l.cname}.`,
      evidence: evidenceFrames(lookups.flatMap((x) => x.attempts.flatMap((a) => [a.queryFrame, a.responseFrame]))),
      impact: { queries: 0, ms: 0 },
      remedy: `Make sure ${l.cname} accepts Host and SNI ${l.name} (or set the Host header and SNI to ${l.cname} in the client); certificates must cover the name the client sends.`,
      snippet: null,
    };
  });
}
