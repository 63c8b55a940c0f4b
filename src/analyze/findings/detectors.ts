import type { Finding, Lookup, ResolverProfile, Transaction } from '../../model.js';
import type { AnalysisContext, FindingDetector, Warn } from './context.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { feedWholeLists } from '../feed-whole-lists.js';
import { ExternalNameCaveatDetector } from './detect-externalname-caveat.js';
import { FiveSecondDelayDetector } from './detect-five-second-delay.js';
import { MisleadingNxdomainDetector } from './detect-misleading-nxdomain.js';
import { NameserverFailoverDetector } from './detect-nameserver-failover.js';
import { NodataMidwalkDetector } from './detect-nodata-midwalk.js';
import { SearchPathWasteDetector } from './detect-search-path-waste.js';
import { ServerLatencyDetector } from './detect-server-latency.js';
import { ServfailDetector } from './detect-servfail.js';
import { TruncatedTcpDetector } from './detect-truncated-tcp.js';
import { UnansweredDetector } from './detect-unanswered.js';
import { UnexpectedResponsesDetector } from './detect-unexpected-responses.js';

/** The one ordered registry of detectors (the order breaks ties between findings of equal impact). */
export const DETECTORS: readonly (new () => FindingDetector)[] = [
  SearchPathWasteDetector,
  FiveSecondDelayDetector,
  MisleadingNxdomainDetector,
  NameserverFailoverDetector,
  ExternalNameCaveatDetector,
  UnansweredDetector,
  ServfailDetector,
  TruncatedTcpDetector,
  NodataMidwalkDetector,
  UnexpectedResponsesDetector,
  ServerLatencyDetector,
];

/**
 * Every detector of the registry, fed one transaction and one lookup at a time (see
 * FindingDetector for the order); findings ranked by impact (wasted queries, then milliseconds),
 * the registry order breaking ties.
 */
export class FindingsAccumulator {
  private readonly detectors = DETECTORS.map((D) => new D());
  private readonly onTransaction = this.detectors.filter((d) => d.transaction !== undefined);
  private readonly onLookup = this.detectors.filter((d) => d.lookup !== undefined);

  transaction(tx: Transaction, retry: Transaction | undefined): void {
    for (const d of this.onTransaction) d.transaction?.(tx, retry);
  }

  lookup(l: Lookup, index: number, attemptTx: AttemptTransaction): void {
    for (const d of this.onLookup) d.lookup?.(l, index, attemptTx);
  }

  finish(resolvers: readonly ResolverProfile[], warn: Warn): Finding[] {
    return this.detectors.flatMap((d) => d.finish(resolvers, warn)).sort((a, b) => b.impact.queries - a.impact.queries || b.impact.ms - a.impact.ms);
  }

  retained(): number {
    return this.detectors.reduce((n, d) => n + d.retained(), 0);
  }
}

/** Runs every detector over whole lists (tests, `dnstrace diff`): a thin wrapper over FindingsAccumulator. */
export function detectFindings(ctx: AnalysisContext, warn: Warn = () => {}): Finding[] {
  const acc = new FindingsAccumulator();
  feedWholeLists(ctx.transactions, ctx.lookups, acc);
  return acc.finish(ctx.resolvers, warn);
}
