import type { Finding } from '../../../../src/model.js';
import type { AnalysisContext, Detector } from './context.js';
import { detectExternalNameCaveat } from './detect-externalname-caveat.js';
import { detectFiveSecondDelay } from './detect-five-second-delay.js';
import { detectIgnoredAnswers } from './detect-ignored-answers.js';
import { detectMisleadingNxdomain } from './detect-misleading-nxdomain.js';
import { detectNameserverFailover } from './detect-nameserver-failover.js';
import { detectNodataMidwalk } from './detect-nodata-midwalk.js';
import { detectParallelNameservers } from './detect-parallel-nameservers.js';
import { detectRefused } from './detect-refused.js';
import { detectSearchPathWaste } from './detect-search-path-waste.js';
import { detectServerLatency } from './detect-server-latency.js';
import { detectServfail } from './detect-servfail.js';
import { detectTruncatedTcp } from './detect-truncated-tcp.js';
import { detectUnanswered } from './detect-unanswered.js';
import { detectUnexpectedResponses } from './detect-unexpected-responses.js';

/** The one ordered registry of detectors. */
export const DETECTORS: readonly Detector[] = [
  detectMisleadingNxdomain,
  detectSearchPathWaste,
  detectFiveSecondDelay,
  detectNameserverFailover,
  detectParallelNameservers,
  detectExternalNameCaveat,
  detectUnanswered,
  detectServfail,
  detectRefused,
  detectIgnoredAnswers,
  detectTruncatedTcp,
  detectNodataMidwalk,
  detectUnexpectedResponses,
  detectServerLatency,
];

/** Runs every detector; findings ranked by impact (wasted queries, then milliseconds), the registry order breaking ties. */
export function detectFindings(ctx: AnalysisContext): Finding[] {
  return DETECTORS.flatMap((d) => d(ctx)).sort((a, b) => b.impact.queries - a.impact.queries || b.impact.ms - a.impact.ms);
}
