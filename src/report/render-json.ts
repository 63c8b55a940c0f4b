import type { Lookup, Report, Transaction } from '../model.js';

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

/**
 * The JSON report (schemaVersion 1), written as the analysis runs: the head, then each
 * transaction as it is released, then the lookups, then the tail. A report of millions of
 * transactions is never one string (V8's longest is about 512 MB), nor one object in memory.
 *
 * The layout is a pretty skeleton, two spaces per level, with every element of a list on a line
 * of its own in compact JSON: `jq`, `grep` and a person can read it, and it is written at the
 * speed of JSON.stringify, with no re-indenting of each element. The same report always gives
 * the same bytes.
 *
 * The lookups are released interleaved with the transactions but written after all of them, so
 * the caller keeps their text apart (`lookupText`; the CLI spools it to a temporary file) and
 * copies it in between `endTransactions` and `end`.
 */
export class JsonReportWriter {
  private transactions = 0;
  private lookups = 0;

  constructor(private readonly write: (chunk: string) => void) {}

  begin(head: ReportHead): void {
    this.write(`{\n  "schemaVersion": ${JSON.stringify(head.schemaVersion)},\n  "transactions": [`);
  }

  transaction(tx: Transaction): void {
    this.write(`${this.transactions++ === 0 ? '' : ','}\n    ${JSON.stringify(tx)}`);
  }

  /** The text of the next lookup of the list, to be written after `endTransactions`. */
  lookupText(l: Lookup): string {
    return `${this.lookups++ === 0 ? '' : ','}\n    ${JSON.stringify(l)}`;
  }

  /** Closes the transactions and opens the lookups, whose texts come next. */
  endTransactions(): void {
    this.write(`${this.transactions > 0 ? '\n  ' : ''}],\n  "lookups": [`);
  }

  end(tail: ReportTail): void {
    this.write(`${this.lookups > 0 ? '\n  ' : ''}]`);
    for (const key of TAIL_KEYS) {
      const value = tail[key];
      if (value === undefined) continue;
      this.write(`,\n  ${JSON.stringify(key)}: `);
      writeValue(value, '  ', 1, this.write);
    }
    this.write('\n}\n');
  }
}

/** A whole Report as JSON, written in pieces: exactly the bytes the streamed writer gives. */
export function writeJson(report: Report, write: (chunk: string) => void): void {
  const w = new JsonReportWriter(write);
  w.begin(report);
  for (const tx of report.transactions) w.transaction(tx);
  w.endTransactions();
  for (const l of report.lookups) write(w.lookupText(l));
  w.end(report);
}

/** The report as one string, for reports that fit in one (tests, diff, small captures). */
export function renderJson(report: Report): string {
  const parts: string[] = [];
  writeJson(report, (c) => parts.push(c));
  return parts.join('');
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
