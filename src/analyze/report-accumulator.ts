import type { Aggregates, Finding, Lookup, ResolverProfile, Transaction } from '../model.js';
import { buildAggregates } from './build-aggregates.js';
import { detectFindings } from './findings/detectors.js';

/** What the accumulator makes of everything it was given. */
export interface AccumulatedReport {
  findings: Finding[];
  aggregates: Aggregates;
}

/**
 * The findings and aggregate tables of a report, fed one transaction and one lookup at a time in
 * report order (transactions by first frame, lookups by start), so that a report needs neither
 * list in memory. The i-th lookup given is Report.lookups[i].
 */
export class ReportAccumulator {
  private readonly transactions: Transaction[] = [];
  private readonly lookups: Lookup[] = [];

  transaction(tx: Transaction): void {
    this.transactions.push(tx);
  }

  lookup(l: Lookup): void {
    this.lookups.push(l);
  }

  /** `anomalyCounts`: every anomaly of the input by code, listed or not. */
  finish(resolvers: readonly ResolverProfile[], anomalyCounts: ReadonlyMap<string, number>): AccumulatedReport {
    return {
      findings: detectFindings({ transactions: this.transactions, lookups: this.lookups, resolvers }),
      aggregates: buildAggregates(this.transactions, this.lookups, anomalyCounts),
    };
  }
}
