import type { Finding, Lookup, ResolverProfile, Transaction } from '../../model.js';
import type { AttemptTransaction } from '../attempt-transaction.js';

/** Whole lists at once (tests, `dnstrace diff`): detectFindings feeds them to the detectors one by one. */
export interface AnalysisContext {
  transactions: readonly Transaction[];
  lookups: readonly Lookup[];
  resolvers: readonly ResolverProfile[];
}

/** Says what a bound of report-limits.ts left out; it ends up in the report's warnings. */
export type Warn = (message: string) => void;

/**
 * One detector, fed as the capture streams by: each transaction as it completes, with the
 * transaction that retried it, and each lookup as it completes (`index` its place in
 * Report.lookups), with the transactions of its attempts; the two streams interleaved in any way.
 * It keeps counters and a bounded state (report-limits.ts), never the lists themselves, and
 * makes its findings at the end.
 */
export interface FindingDetector {
  transaction?(tx: Transaction, retry: Transaction | undefined): void;
  lookup?(l: Lookup, index: number, attemptTx: AttemptTransaction): void;
  finish(resolvers: readonly ResolverProfile[], warn: Warn): Finding[];
  /** Items held (names, frames, waiting transactions): what tests check stays bounded. */
  retained(): number;
}

/** "1 query", "2 queries". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** count() of a tally that may have stopped growing at its bound: "at least 3 clients" when not `complete`. */
export function countSeen(n: number, complete: boolean, one: string, many = `${one}s`): string {
  return `${complete ? '' : 'at least '}${count(n, one, many)}`;
}

/** Milliseconds rounded to the microsecond, for impact numbers. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Appends `note` to the summary of the last finding, if any (what a bound left out). */
export function noteOnLast(findings: Finding[], note: string | null): Finding[] {
  if (note !== null && findings.length > 0) findings[findings.length - 1].summary += ` ${note}`;
  return findings;
}
