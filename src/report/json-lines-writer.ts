import type { Anomaly, Finding, Lookup, Report, ResolverProfile, Transaction } from '../model.js';

/** Where the writer puts each line as it is produced (stdout, a file, a test's array). */
export type LineSink = (line: string) => void;

/** The `record` values, one spelling everywhere (README, schema, tests). */
export type JsonLinesRecord = 'transaction' | 'lookup' | 'finding' | 'resolver' | 'anomaly' | 'summary';

/**
 * JSON Lines for jq, DuckDB or ClickHouse: one object per line, its kind first in `record`.
 * The writer takes records one at a time and writes each at once, so a streaming analysis hands
 * it transactions and lookups as they complete (interleaved, a lookup after its transactions);
 * then come the findings, resolvers and anomalies, and `end` writes the one summary line, last.
 * JSON.stringify escapes every control character and lone surrogate, so a hostile name can
 * never split a line.
 */
export class JsonLinesWriter {
  constructor(private readonly sink: LineSink) {}

  transaction(tx: Transaction): void {
    this.emit('transaction', tx);
  }

  lookup(lookup: Lookup): void {
    this.emit('lookup', lookup);
  }

  finding(finding: Finding): void {
    this.emit('finding', finding);
  }

  resolver(profile: ResolverProfile): void {
    this.emit('resolver', profile);
  }

  anomaly(anomaly: Anomaly): void {
    this.emit('anomaly', anomaly);
  }

  /** The closing line: what the whole input was, with the counts and aggregate tables. */
  end(report: Pick<Report, 'schemaVersion' | 'input' | 'summary' | 'aggregates' | 'warnings'>): void {
    this.emit('summary', { schemaVersion: report.schemaVersion, input: report.input, summary: report.summary, aggregates: report.aggregates, warnings: report.warnings });
  }

  /** Exactly JSON.stringify({ record, ...body }), without copying the body into a new object first. */
  private emit(record: JsonLinesRecord, body: object): void {
    const json = JSON.stringify(body);
    this.sink(`{"record":"${record}"${json.length > 2 ? ',' : ''}${json.slice(1)}\n`);
  }
}

/** A finished Report as JSON Lines: transactions, lookups, then what follows them (`writeJsonLinesEnd`). */
export function writeJsonLines(report: Report, sink: LineSink): void {
  const w = new JsonLinesWriter(sink);
  for (const tx of report.transactions) w.transaction(tx);
  for (const l of report.lookups) w.lookup(l);
  writeJsonLinesEnd(w, report);
}

/** The lines after the transactions and lookups: findings, resolvers, anomalies, then the summary. */
export function writeJsonLinesEnd(w: JsonLinesWriter, report: Report): void {
  for (const f of report.findings) w.finding(f);
  for (const p of report.resolvers) w.resolver(p);
  for (const a of report.anomalies) w.anomaly(a);
  w.end(report);
}
