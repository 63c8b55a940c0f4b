import type { Aggregates, Lookup, Transaction } from '../model.js';
import type { Warn } from './findings/context.js';
import { feedWholeLists } from './feed-whole-lists.js';
import { WalkGrouping } from './group-identical-walks.js';
import { PerServer } from './per-server.js';
import { WastedNameRanking } from './rank-wasted-names.js';
import { MAX_REPORT_CLIENTS, MAX_REPORT_NAMES, MAX_REPORT_SERVERS, MAX_WALK_CLIENT_PAIRS, MAX_WALK_GROUPS } from './report-limits.js';
import { SlowestLookups } from './slowest-lookups.js';
import { ServerLatencySummary } from './summarize-server-latency.js';

/** How many of the slowest lookups a report details (timelines). */
export const SLOWEST_LOOKUPS = 10;

/**
 * The tables a report shows beside the raw lists, computed here so renderers only format; fed
 * one transaction and one lookup at a time (as they complete), keeping counters per server,
 * name and walk, and only the lookups the tables point at.
 */
export class AggregatesAccumulator {
  private readonly clients = new Set<string>();
  private clientsOverflow = false;
  private readonly servers = new PerServer(() => true);
  private serversOverflow = false;
  private readonly latency = new ServerLatencySummary();
  private readonly wastedNames = new WastedNameRanking();
  private readonly walks = new WalkGrouping();
  private readonly slowest = new SlowestLookups(SLOWEST_LOOKUPS);
  private walk: { index: number; lookup: Lookup } | null = null;
  private externalName: { index: number; lookup: Lookup } | null = null;
  private autopath: { index: number; lookup: Lookup } | null = null;

  transaction(t: Transaction): void {
    const host = t.clientHost;
    if (!this.clients.has(host)) {
      if (this.clients.size < MAX_REPORT_CLIENTS) this.clients.add(host);
      else this.clientsOverflow = true;
    }
    if (this.servers.entry(t) === undefined) this.serversOverflow = true;
    this.latency.transaction(t);
  }

  lookup(l: Lookup, index: number): void {
    this.wastedNames.lookup(l);
    this.walks.lookup(l, index);
    this.slowest.lookup(l, index);
    if (this.walk === null && l.kind === 'search-expansion' && l.outcome === 'answered') this.walk = { index, lookup: l };
    if (this.externalName === null && l.kind === 'externalname') this.externalName = { index, lookup: l };
    if (this.autopath === null && l.kind === 'autopath') this.autopath = { index, lookup: l };
  }

  /** `anomalyCounts`: every anomaly of the input by code, listed or not. */
  finish(anomalyCounts: ReadonlyMap<string, number>, warn: Warn = () => {}): Aggregates {
    const { groups, examples } = this.walks.finish();
    const slowest = this.slowest.finish();
    const direct = this.externalName ?? this.autopath;
    const shown = new Map<number, Lookup>(examples);
    for (const s of slowest) shown.set(s.index, s.lookup);
    if (this.walk) shown.set(this.walk.index, this.walk.lookup);
    if (direct) shown.set(direct.index, direct.lookup);
    this.warnLimits(warn);
    return {
      clients: this.clients.size,
      servers: this.servers.size,
      anomalyCounts: [...anomalyCounts.entries()]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
      serverLatency: this.latency.finish(),
      wastedNames: this.wastedNames.finish(),
      walkGroups: groups,
      slowestLookups: slowest.map((s) => ({ lookup: s.index, offsetsMs: s.lookup.attempts.map((a) => a.offsetMs) })),
      comparison: { walk: this.walk?.index ?? null, direct: direct?.index ?? null },
      shownLookups: [...shown.entries()].sort((a, b) => a[0] - b[0]).map(([index, lookup]) => ({ index, lookup })),
    };
  }

  retained(): number {
    return this.clients.size + this.servers.size + this.latency.retained() + this.wastedNames.retained() + this.walks.retained() + this.slowest.retained() + 3;
  }

  private warnLimits(warn: Warn): void {
    if (this.clientsOverflow) warn(`more than ${MAX_REPORT_CLIENTS} client hosts: the report counts the first ${MAX_REPORT_CLIENTS}`);
    if (this.serversOverflow) warn(`more than ${MAX_REPORT_SERVERS} servers: the report counts the first ${MAX_REPORT_SERVERS}`);
    if (this.latency.untracked > 0) warn(`${this.latency.untracked} transactions to servers past the first ${MAX_REPORT_SERVERS} are not in the server latency table`);
    for (const c of this.latency.coarsened()) warn(`latency percentiles of ${c.server} are to within ${c.precisionUs} µs: too many distinct latencies to keep each`);
    if (this.wastedNames.untracked > 0) warn(`${this.wastedNames.untracked} walked lookups of names past the first ${MAX_REPORT_NAMES} are not in the wasted-names table`);
    if (this.walks.untracked > 0) warn(`${this.walks.untracked} lookups whose walk came past the first ${MAX_WALK_GROUPS} distinct walks are not in the walk table`);
    if (this.walks.uncountedClients) warn(`more than ${MAX_WALK_CLIENT_PAIRS} walk and client pairs: client counts of the walk table are lower bounds`);
  }
}

/** The tables for whole lists (tests, `dnstrace diff`): a thin wrapper over AggregatesAccumulator. */
export function buildAggregates(transactions: readonly Transaction[], lookups: readonly Lookup[], anomalyCounts: ReadonlyMap<string, number>): Aggregates {
  const acc = new AggregatesAccumulator();
  feedWholeLists(transactions, lookups, acc);
  return acc.finish(anomalyCounts);
}
