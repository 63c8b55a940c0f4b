import type { Aggregates, Report } from '../model.js';

/** What a report without aggregates (a JSON report from before they existed) shows: no tables. */
const NO_AGGREGATES: Aggregates = {
  clients: 0,
  servers: 0,
  anomalyCounts: [],
  serverLatency: [],
  wastedNames: [],
  walkGroups: [],
  slowestLookups: [],
};

/** The report's aggregate tables, or empty ones; renderers never compute them (DESIGN.md). */
export function aggregatesOf(r: Report): Aggregates {
  return r.aggregates ?? NO_AGGREGATES;
}
