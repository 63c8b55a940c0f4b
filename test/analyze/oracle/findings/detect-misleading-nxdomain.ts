import type { Finding, Lookup, Transaction } from '../../../../src/model.js';
import { FINDING_KINDS } from '../../../../src/analyze/findings/finding-kinds.js';
import { type AnalysisContext, count, evidenceFrames, roundMs } from './context.js';

/**
 * glibc after a timeout (two sends unanswered) abandons the remaining suffixes and still tries the
 * name as written; after SERVFAIL it moves on. When that last try is NXDOMAIN, getaddrinfo says
 * "Name or service not known" (EAI_NONAME) although the suffix that failed may well have existed.
 */
export function detectMisleadingNxdomain(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const l of ctx.lookups) {
    if (l.outcome !== 'nxdomain') continue;
    // A step's attempt counts only as its last of that type: one retried elsewhere and answered did not fail.
    const failed = l.attempts.filter(
      (a, i) => a.wasted && (a.rcode === null || a.rcode === 'SERVFAIL') && !l.attempts.slice(i + 1).some((b) => b.name === a.name && b.type === a.type),
    );
    if (failed.length === 0) continue;
    // Measured in the fixture lab (glibc 2.36): after SERVFAIL an A-only getaddrinfo says
    // EAI_NONAME, but an A+AAAA one says EAI_AGAIN ("try again"), which is not misleading. Go,
    // whose A and AAAA leave from two sockets at once, says "no such host" (go-servfail's calls).
    if (!failed.some((a) => a.rcode === null) && l.types.includes('AAAA') && !sentFromTwoSocketsAtOnce(l, failed[0].name, ctx.transactions)) continue;
    const steps = [...new Set(failed.map((a) => a.name))];
    const how = failed.some((a) => a.rcode === null) ? 'timed out' : 'answered SERVFAIL';
    const skipped = failed.some((a) => a.rcode === null) ? ' The resolver then gave up the rest of the search list.' : '';
    out.push({
      kind: 'misleading-nxdomain',
      title: `${FINDING_KINDS['misleading-nxdomain'].title}: ${l.name}`,
      summary:
        `The lookup of ${l.name} ended NXDOMAIN on ${l.attempts[l.attempts.length - 1].name} after ${steps.join(', ')} ${how}.${skipped} ` +
        `The application was told the name does not exist (${count(l.queries, 'query', 'queries')}, ${roundMs(l.elapsedMs)} ms), although ${steps[0]} may exist.`,
      evidence: evidenceFrames(l.attempts.flatMap((a) => [a.queryFrame, a.responseFrame])),
      impact: { queries: l.wastedQueries, ms: roundMs(l.wastedMs) },
      remedy: `Find out why ${steps[0]} ${how} (server logs, a silent or failing upstream); the "name not found" in the application is a consequence.`,
      snippet: null,
    });
  }
  return out;
}

/** The step's first A and AAAA queries came from different client sockets, the later one sent while the earlier was still unanswered. */
function sentFromTwoSocketsAtOnce(l: Lookup, step: string, transactions: readonly Transaction[]): boolean {
  const first = (type: string) => {
    const a = l.attempts.find((x) => x.name === step && x.type === type);
    return a ? transactions.find((t) => t.queryFrame === a.queryFrame && t.type === type) : undefined;
  };
  const pair = [first('A'), first('AAAA')];
  if (pair.some((t) => t === undefined || t.queryTimeUs === null)) return false;
  const [early, late] = (pair as Transaction[]).sort((x, y) => (x.queryTimeUs as number) - (y.queryTimeUs as number));
  if (early.client === late.client) return false;
  return early.responseTimeUs === null || (late.queryTimeUs as number) < early.responseTimeUs;
}
