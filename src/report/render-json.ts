import type { Lookup, Report, Transaction } from '../model.js';
import { type ByteSink, JsonBytes } from './json-bytes.js';
import { lookupFrame, writeLookup } from './lookup-json.js';
import { transactionFrame, writeTransaction } from './transaction-json.js';

/** What a JSON report starts with, before anything is read. */
export type ReportHead = Pick<Report, 'schemaVersion'>;

/**
 * What only the end of the input tells: everything but the head and the two long lists. Even
 * `input`: a pcapng file may add an interface, with its link type, on its last block.
 */
export type ReportTail = Omit<Report, 'schemaVersion' | 'transactions' | 'lookups'>;

/** The tail's keys in the order they are written. */
const TAIL_KEYS: readonly (keyof ReportTail)[] = ['input', 'summary', 'aggregates', 'findings', 'resolvers', 'anomalies', 'warnings', 'icmpUnreachable'];

/** Objects this deep are written one key per line; deeper ones are compact. */
const KEY_PER_LINE_DEPTH = 2;
/** Arrays this deep are written one compact element per line; deeper ones are compact. */
const ELEMENT_PER_LINE_DEPTH = 3;

const FIRST_LOOKUP = lookupFrame('\n    {', '}');
const NEXT_LOOKUP = lookupFrame(',\n    {', '}');
const FIRST_TRANSACTION = transactionFrame('\n    {', '}');
const NEXT_TRANSACTION = transactionFrame(',\n    {', '}');

/**
 * The JSON report (schemaVersion 1), written as the analysis runs: the head, then each
 * transaction as it completes, then the lookups, then the tail. A report of millions of
 * transactions is never one string (V8's longest is about 512 MB), nor one object in memory.
 *
 * The layout is a pretty skeleton, two spaces per level, with every element of a list on a line
 * of its own in compact JSON, exactly as JSON.stringify writes it: `jq`, `grep` and a person can
 * read it, and no element is re-indented. Transactions and lookups, nearly all of the text, are
 * written by hand into large buffers of UTF-8 (`json-bytes.ts`); the skeleton and the tail by
 * JSON.stringify. The same report always gives the same bytes.
 *
 * The lookups complete interleaved with the transactions but are written after all of them, so
 * their bytes go to a sink of their own (the CLI spools them to a temporary file), which the
 * caller copies to the output between `endTransactions` and `end`.
 */
export class JsonReportWriter {
  private transactions = 0;
  private lookups = 0;
  private readonly out: JsonBytes;
  private readonly lookupOut: JsonBytes;

  /**
   * `write`: the report's output; `spool`: where the lookups' text waits meanwhile; `synchronous`:
   * whether each is done with the bytes when it returns (see JsonBytesOptions).
   */
  constructor(write: ByteSink, spool: ByteSink, synchronous: { write?: boolean; spool?: boolean } = {}) {
    this.out = new JsonBytes(write, { sinkIsSynchronous: synchronous.write });
    this.lookupOut = new JsonBytes(spool, { sinkIsSynchronous: synchronous.spool });
  }

  begin(head: ReportHead): void {
    this.out.text(`{\n  "schemaVersion": ${JSON.stringify(head.schemaVersion)},\n  "transactions": [`);
  }

  transaction(tx: Transaction): void {
    writeTransaction(this.out, tx, this.transactions++ === 0 ? FIRST_TRANSACTION : NEXT_TRANSACTION);
  }

  /** The next lookup of the list, to the spool. */
  lookup(l: Lookup): void {
    writeLookup(this.lookupOut, l, this.lookups++ === 0 ? FIRST_LOOKUP : NEXT_LOOKUP);
  }

  /** Closes the transactions and opens the lookups, and hands on all of both written so far: the spooled lookups come next. */
  endTransactions(): void {
    this.out.text(`${this.transactions > 0 ? '\n  ' : ''}],\n  "lookups": [`);
    this.out.flush();
    this.lookupOut.flush();
  }

  end(tail: ReportTail): void {
    const write = (chunk: string): void => this.out.text(chunk);
    write(`${this.lookups > 0 ? '\n  ' : ''}]`);
    for (const key of TAIL_KEYS) {
      const value = tail[key];
      if (value === undefined) continue;
      write(`,\n  ${JSON.stringify(key)}: `);
      writeValue(value, '  ', 1, write);
    }
    write('\n}\n');
    this.out.flush();
  }
}

/** A whole Report as JSON, written in pieces: exactly the bytes the streamed writer gives. */
export function writeJson(report: Report, write: ByteSink): void {
  const spooled: Uint8Array[] = [];
  const w = new JsonReportWriter(write, (bytes) => spooled.push(bytes));
  w.begin(report);
  for (const tx of report.transactions) w.transaction(tx);
  for (const l of report.lookups) w.lookup(l);
  w.endTransactions();
  for (const piece of spooled) write(piece);
  w.end(report);
}

/** The report as one string, for reports that fit in one (tests, diff, small captures). */
export function renderJson(report: Report): string {
  const parts: Uint8Array[] = [];
  writeJson(report, (c) => parts.push(c));
  return Buffer.concat(parts).toString('utf8');
}

function writeValue(value: unknown, indent: string, depth: number, write: (chunk: string) => void): void {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (depth >= ELEMENT_PER_LINE_DEPTH || value.length === 0) return write(JSON.stringify(value));
    write('[');
    value.forEach((element, i) => write(`${i === 0 ? '' : ','}\n${inner}${JSON.stringify(element ?? null)}`));
    write(`\n${indent}]`);
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= KEY_PER_LINE_DEPTH) return write(JSON.stringify(value));
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return write('{}');
  write('{');
  entries.forEach(([key, v], i) => {
    write(`${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
    writeValue(v, inner, depth + 1, write);
  });
  write(`\n${indent}}`);
}
