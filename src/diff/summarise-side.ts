import type { Report } from '../model.js';
import { round3 } from './pick-percentile.js';
import type { SideTotals } from './report-diff.js';

/** The totals of one side, from the Report's JSON contract only. */
export function summariseSide(r: Report): SideTotals {
  const asked = r.transactions.filter((t) => t.queryFrame !== null);
  const responses = asked.filter((t) => t.rcode !== null).length;
  const nxdomain = asked.filter((t) => t.rcode === 'NXDOMAIN').length;
  return {
    dnsMessages: r.summary.dnsMessages,
    queries: r.summary.queries,
    lookups: r.summary.lookups,
    messagesPerLookup: r.summary.lookups > 0 ? round3(r.summary.dnsMessages / r.summary.lookups) : null,
    wastedQueries: r.summary.wastedQueries,
    responses,
    nxdomain,
    nxdomainShare: responses > 0 ? round3(nxdomain / responses) : null,
    unanswered: r.summary.unanswered,
    malformed: r.summary.malformed,
    icmpUnreachable: r.icmpUnreachable?.length ?? 0,
  };
}
