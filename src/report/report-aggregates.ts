import type { Aggregates, Lookup, Report } from '../model.js';

/** What a report without aggregates (a JSON report from before they existed) shows: no tables. */
const NO_AGGREGATES: Aggregates = {
  clients: 0,
  servers: 0,
  anomalyCounts: [],
  serverLatency: [],
  wastedNames: [],
  walkGroups: [],
  slowestLookups: [],
  comparison: { walk: null, direct: null },
  shownLookups: [],
};

/** The report's aggregate tables, or empty ones; renderers never compute them (DESIGN.md). */
export function aggregatesOf(r: Report): Aggregates {
  return r.aggregates ?? NO_AGGREGATES;
}

/**
 * The lookup at `index` in Report.lookups: from the aggregates' shown lookups (a streamed report
 * keeps only those), else from the list (a JSON report written before they existed).
 */
export function lookupAt(r: Report, index: number): Lookup {
  const shown = r.aggregates?.shownLookups.find((s) => s.index === index);
  const l = shown?.lookup ?? r.lookups[index];
  if (l === undefined) throw new Error(`report has no lookup ${index}`);
  return l;
}

/**
 * The lookups of the side-by-side comparison: from the aggregates, else (a JSON report written
 * before the aggregates had them) the first matching lookups of the list.
 */
export function comparisonOf(r: Report): Aggregates['comparison'] {
  if (r.aggregates?.comparison) return r.aggregates.comparison;
  const walk = r.lookups.findIndex((l) => l.kind === 'search-expansion' && l.outcome === 'answered');
  const externalName = r.lookups.findIndex((l) => l.kind === 'externalname');
  const direct = externalName >= 0 ? externalName : r.lookups.findIndex((l) => l.kind === 'autopath');
  return { walk: walk >= 0 ? walk : null, direct: direct >= 0 ? direct : null };
}

/**
 * How many anomalies the input had: the report lists only the first ones (a capture of a million
 * damaged packets), the aggregates count every one; a report without aggregates listed them all.
 */
export function anomalyTotal(r: Report): number {
  return r.aggregates ? r.aggregates.anomalyCounts.reduce((n, a) => n + a.count, 0) : r.anomalies.length;
}
