import type { Report } from './model.js';
import { type AnalyzeOptions, type RecordSink, type Source, analyze } from './pipeline.js';
import { JsonLinesWriter, writeJsonLinesEnd } from './report/json-lines-writer.js';
import { JsonReportWriter } from './report/render-json.js';
import { renderMarkdown } from './report/render-markdown.js';
import { renderText } from './report/render-text.js';

export type ReportFormat = 'markdown' | 'json' | 'jsonl' | 'text';

/** Where a report's bytes go: standard output, a file, a test's string. */
export interface ReportDestination {
  /** Takes the chunk at once (buffering what the other end has not taken yet). */
  write(chunk: string | Uint8Array): void;
  /** When the other end is full (a slow pipe), a promise that settles once it can take more. */
  ready(): Promise<void> | undefined;
  /** A binary chunk is written (or dropped) when write() returns, so the writer may reuse its buffer. */
  readonly synchronous?: boolean;
}

/**
 * Where the JSON report keeps the text of its lookups while the transactions, completing in
 * between, are still being written: the CLI uses a temporary file, so that it is not memory.
 */
export interface LookupSpool {
  /** Takes the bytes, which the writer does not touch again. */
  write(bytes: Uint8Array): void;
  /** The bytes written, in order and in pieces; read once, after the last write. */
  read(): Iterable<Uint8Array>;
  /** write() is done with the bytes when it returns, so the writer may reuse its buffer. */
  readonly synchronous?: boolean;
}

export interface RenderOptions {
  /** Rows of long tables before "and N more". */
  top: number;
  /** The terminal summary only. */
  color: boolean;
  width: number;
}

export interface WriteReportOptions {
  analyze: Partial<AnalyzeOptions>;
  render: RenderOptions;
  /** For JSON; without one, the lookups' text waits in memory (fine for small inputs and tests). */
  spool?: LookupSpool;
}

/**
 * Analyses `source` and writes its report to `dest`: the entry point of `dnstrace analyze`, and
 * of the golden tests, so that what they pin is what the CLI writes. JSON and JSON Lines write
 * each transaction and lookup as the analysis completes it and keep none; markdown and the
 * terminal summary are rendered at the end from the counts and aggregate tables. Returns the
 * Report, whose transaction and lookup lists are empty.
 */
export async function writeReport(source: Source, format: ReportFormat, dest: ReportDestination, opts: WriteReportOptions): Promise<Report> {
  if (format === 'jsonl') return writeJsonLinesReport(source, dest, opts);
  if (format === 'json') return writeJsonReport(source, dest, opts);
  const report = await analyze(source, opts.analyze, { transaction() {}, lookup() {} });
  dest.write(format === 'text' ? renderText(report, opts.render) : renderMarkdown(report, { top: opts.render.top }));
  return report;
}

async function writeJsonLinesReport(source: Source, dest: ReportDestination, opts: WriteReportOptions): Promise<Report> {
  const lines = new JsonLinesWriter((bytes) => dest.write(bytes), { sinkIsSynchronous: dest.synchronous });
  const sink: RecordSink = {
    transaction: (tx) => lines.transaction(tx),
    lookup: (l) => lines.lookup(l),
    ready: () => dest.ready(),
  };
  const report = await analyze(source, opts.analyze, sink);
  writeJsonLinesEnd(lines, report);
  return report;
}

async function writeJsonReport(source: Source, dest: ReportDestination, opts: WriteReportOptions): Promise<Report> {
  const spool = opts.spool ?? memorySpool();
  const json = new JsonReportWriter(
    (bytes) => dest.write(bytes),
    (bytes) => spool.write(bytes),
    { write: dest.synchronous, spool: spool.synchronous },
  );
  // Nothing is written before the first record: an input that turns out not to be a capture
  // leaves standard output (or -o's file) untouched, as its error is all the user should see.
  let begun = false;
  const begin = (): void => {
    if (!begun) json.begin({ schemaVersion: 1 });
    begun = true;
  };
  const sink: RecordSink = {
    transaction: (tx) => {
      begin();
      json.transaction(tx);
    },
    lookup: (l) => json.lookup(l),
    ready: () => dest.ready(),
  };
  const report = await analyze(source, opts.analyze, sink);
  begin();
  json.endTransactions();
  for (const piece of spool.read()) {
    dest.write(piece);
    const full = dest.ready();
    if (full) await full;
  }
  json.end(report);
  return report;
}

function memorySpool(): LookupSpool {
  const parts: Uint8Array[] = [];
  return { write: (bytes) => parts.push(bytes), read: () => parts };
}
