import type { Finding } from '../../model.js';
import type { AnalysisContext, Detector } from './context.js';
import { detectExternalNameCaveat } from './detect-externalname-caveat.js';
import { detectSearchPathWaste } from './detect-search-path-waste.js';
import { detectServfail } from './detect-servfail.js';
import { detectUnanswered } from './detect-unanswered.js';

/** The one ordered registry of detectors. */
export const DETECTORS: readonly Detector[] = [detectSearchPathWaste, detectExternalNameCaveat, detectUnanswered, detectServfail];

/** Runs every detector; findings ranked by impact (wasted queries, then milliseconds). */
export function detectFindings(ctx: AnalysisContext): Finding[] {
  return DETECTORS.flatMap((d) => d(ctx)).sort((a, b) => b.impact.queries - a.impact.queries || b.impact.ms - a.impact.ms);
}
