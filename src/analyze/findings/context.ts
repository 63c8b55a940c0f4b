import type { Finding, Lookup, ResolverProfile, Transaction } from '../../model.js';

/** What every detector gets to look at. */
export interface AnalysisContext {
  transactions: readonly Transaction[];
  lookups: readonly Lookup[];
  resolvers: readonly ResolverProfile[];
}

export type Detector = (ctx: AnalysisContext) => Finding[];

/** Frame numbers for evidence: sorted, unique, at most `limit` (reports say how many more). */
export function evidenceFrames(frames: Iterable<number | null>, limit = 20): number[] {
  const set = new Set<number>();
  for (const f of frames) if (f !== null) set.add(f);
  return [...set].sort((a, b) => a - b).slice(0, limit);
}
