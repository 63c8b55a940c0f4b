import type { Aggregates, Finding, Lookup, ResolverProfile, Transaction } from '../model.js';
import { AggregatesAccumulator } from './build-aggregates.js';
import { FindingsAccumulator } from './findings/detectors.js';
import type { AttemptTransaction } from './attempt-transaction.js';

/** What the accumulator makes of everything it was given. */
export interface AccumulatedReport {
  findings: Finding[];
  aggregates: Aggregates;
  /** What a bound of report-limits.ts left out of the findings or tables (for Report.warnings); usually none. */
  warnings: string[];
}

/**
 * The findings and aggregate tables of a report, fed one transaction and one lookup at a time as
 * they complete, each with its links (see AnalyzerSink), so that a report needs neither list in
 * memory. The i-th lookup given is
 * Report.lookups[i]. It keeps counters per name, walk, server and client, each bounded
 * (report-limits.ts), and only the lookups the tables show.
 */
export class ReportAccumulator {
  private readonly findings = new FindingsAccumulator();
  private readonly aggregates = new AggregatesAccumulator();
  private lookups = 0;

  transaction(tx: Transaction, retry: Transaction | undefined): void {
    this.findings.transaction(tx, retry);
    this.aggregates.transaction(tx);
  }

  lookup(l: Lookup, attemptTx: AttemptTransaction): void {
    const index = this.lookups++;
    this.findings.lookup(l, index, attemptTx);
    this.aggregates.lookup(l, index);
  }

  /** `anomalyCounts`: every anomaly of the input by code, listed or not. */
  finish(resolvers: readonly ResolverProfile[], anomalyCounts: ReadonlyMap<string, number>): AccumulatedReport {
    const warnings: string[] = [];
    const warn = (w: string) => warnings.push(w);
    const findings = this.findings.finish(resolvers, warn);
    return { findings, aggregates: this.aggregates.finish(anomalyCounts, warn), warnings };
  }

  /** Items held (names, walks, frames, waiting transactions, kept lookups): bounded, whatever the number fed. */
  retained(): number {
    return this.findings.retained() + this.aggregates.retained();
  }
}
