import type { Anomaly, Finding, Lookup, Report, ResolverProfile, Transaction } from '../model.js';
import { type ByteSink, JsonBytes, type JsonBytesOptions } from './json-bytes.js';
import { lookupFrame, writeLookup } from './lookup-json.js';
import { transactionFrame, writeTransaction } from './transaction-json.js';

/** The `record` values, one spelling everywhere (README, schema, tests). */
export type JsonLinesRecord = 'transaction' | 'lookup' | 'finding' | 'resolver' | 'anomaly' | 'summary';

const TRANSACTION = transactionFrame('{"record":"transaction",', '}\n');
const LOOKUP = lookupFrame('{"record":"lookup",', '}\n');

/**
 * JSON Lines for jq, DuckDB or ClickHouse: one object per line, its kind first in `record`.
 * The writer takes records one at a time, so a streaming analysis hands it transactions and
 * lookups as they complete (interleaved, a lookup after its transactions); then come the findings,
 * resolvers and anomalies, and `end` writes the one summary line, last, and hands on the rest.
 *
 * Each line is exactly JSON.stringify({ record, ...body }) and a newline. Transactions and lookups,
 * nearly all of the text, are written by hand into large buffers of UTF-8 (`json-bytes.ts`); the
 * rest by JSON.stringify. Either escapes every control character and lone surrogate, so a hostile
 * name can never split a line. The sink gets the bytes in large pieces that need not end at a line.
 */
export class JsonLinesWriter {
  private readonly out: JsonBytes;

  constructor(sink: ByteSink, opts: Pick<JsonBytesOptions, 'sinkIsSynchronous'> = {}) {
    this.out = new JsonBytes(sink, opts);
  }

  transaction(tx: Transaction): void {
    writeTransaction(this.out, tx, TRANSACTION);
  }

  lookup(lookup: Lookup): void {
    writeLookup(this.out, lookup, LOOKUP);
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

  /** The closing line: what the whole input was, with the counts and aggregate tables. Hands on all that is left. */
  end(report: Pick<Report, 'schemaVersion' | 'input' | 'summary' | 'aggregates' | 'warnings'>): void {
    this.emit('summary', { schemaVersion: report.schemaVersion, input: report.input, summary: report.summary, aggregates: report.aggregates, warnings: report.warnings });
    this.out.flush();
  }

  /** Exactly JSON.stringify({ record, ...body }), without copying the body into a new object first. */
  private emit(record: JsonLinesRecord, body: object): void {
    const json = JSON.stringify(body);
    this.out.text(`{"record":"${record}"${json.length > 2 ? ',' : ''}${json.slice(1)}\n`);
  }
}

/** A finished Report as JSON Lines: transactions, lookups, then what follows them (`writeJsonLinesEnd`). */
export function writeJsonLines(report: Report, sink: ByteSink): void {
  const w = new JsonLinesWriter(sink);
  for (const tx of report.transactions) w.transaction(tx);
  for (const l of report.lookups) w.lookup(l);
  writeJsonLinesEnd(w, report);
}

/** A finished Report as JSON Lines in one string, for reports that fit in one (tests, small captures). */
export function renderJsonLines(report: Report): string {
  const pieces: Uint8Array[] = [];
  writeJsonLines(report, (bytes) => pieces.push(bytes));
  return Buffer.concat(pieces).toString('utf8');
}

/** The lines after the transactions and lookups: findings, resolvers, anomalies, then the summary. */
export function writeJsonLinesEnd(w: JsonLinesWriter, report: Report): void {
  for (const f of report.findings) w.finding(f);
  for (const p of report.resolvers) w.resolver(p);
  for (const a of report.anomalies) w.anomaly(a);
  w.end(report);
}
