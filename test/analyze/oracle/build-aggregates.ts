import type { Aggregates, Lookup, Transaction } from '../../../src/model.js';
import { hostOf } from '../../../src/host-of-endpoint.js';
import { groupIdenticalWalks } from './group-identical-walks.js';
import { rankWastedNames } from './rank-wasted-names.js';
import { summarizeServerLatency } from './summarize-server-latency.js';

/** How many of the slowest lookups a report details (timelines). */
export const SLOWEST_LOOKUPS = 10;

/** The tables a report shows beside the raw lists, computed once here so renderers only format. */
export function buildAggregates(transactions: readonly Transaction[], lookups: readonly Lookup[], anomalyCounts: ReadonlyMap<string, number>): Aggregates {
  const slowest = lookups
    .map((l, i) => ({ ms: l.elapsedMs, i }))
    .sort((a, b) => b.ms - a.ms || a.i - b.i)
    .slice(0, SLOWEST_LOOKUPS)
    .map(({ i }) => ({
      lookup: i,
      offsetsMs: lookups[i].attempts.map((a) => a.offsetMs),
    }));
  const walkGroups = groupIdenticalWalks(lookups);
  const walk = lookups.findIndex((l) => l.kind === 'search-expansion' && l.outcome === 'answered');
  const externalName = lookups.findIndex((l) => l.kind === 'externalname');
  const direct = externalName >= 0 ? externalName : lookups.findIndex((l) => l.kind === 'autopath');
  const comparison = { walk: walk >= 0 ? walk : null, direct: direct >= 0 ? direct : null };
  const shown = new Set<number>([...walkGroups.map((g) => g.example), ...slowest.map((s) => s.lookup)]);
  if (comparison.walk !== null) shown.add(comparison.walk);
  if (comparison.direct !== null) shown.add(comparison.direct);
  return {
    clients: new Set(transactions.map((t) => hostOf(t.client))).size,
    servers: new Set(transactions.map((t) => t.server)).size,
    anomalyCounts: [...anomalyCounts.entries()]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    serverLatency: summarizeServerLatency(transactions),
    wastedNames: rankWastedNames(lookups),
    walkGroups,
    slowestLookups: slowest,
    comparison,
    shownLookups: [...shown].sort((a, b) => a - b).map((index) => ({ index, lookup: lookups[index] })),
  };
}
