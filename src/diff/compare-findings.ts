import type { Finding } from '../model.js';
import type { FindingSummary, FindingsDiff } from './report-diff.js';

/**
 * Findings match by kind and title: a title names its subject ("…: blog.mosuke.tech"), so the
 * search-path waste of one name going away is not hidden by the same kind remaining for another.
 */
export function compareFindings(before: readonly Finding[], after: readonly Finding[]): FindingsDiff {
  const key = (f: Finding) => `${f.kind}\u0000${f.title}`;
  const afterByKey = new Map(after.map((f) => [key(f), f]));
  const beforeKeys = new Set(before.map(key));
  const out: FindingsDiff = { gone: [], new: [], remaining: [] };
  for (const f of before) {
    const still = afterByKey.get(key(f));
    if (still) out.remaining.push({ before: summaryOf(f), after: summaryOf(still) });
    else out.gone.push(summaryOf(f));
  }
  out.new = after.filter((f) => !beforeKeys.has(key(f))).map(summaryOf);
  return out;
}

function summaryOf(f: Finding): FindingSummary {
  return { kind: f.kind, title: f.title, summary: f.summary, impact: { queries: f.impact.queries, ms: f.impact.ms } };
}
