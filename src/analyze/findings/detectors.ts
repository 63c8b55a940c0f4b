import type { Finding, Lookup, ResolverProfile, Transaction } from '../../model.js';
import type { AnalysisContext, FindingDetector, Warn } from './context.js';
import type { AttemptTransaction } from '../attempt-transaction.js';
import { feedWholeLists } from '../feed-whole-lists.js';
import { ExternalNameCaveatDetector } from './detect-externalname-caveat.js';
import { FiveSecondDelayDetector } from './detect-five-second-delay.js';
import { IgnoredAnswersDetector } from './detect-ignored-answers.js';
import { MisleadingNxdomainDetector } from './detect-misleading-nxdomain.js';
import { NameserverFailoverDetector } from './detect-nameserver-failover.js';
import { NodataMidwalkDetector } from './detect-nodata-midwalk.js';
import { ParallelNameserversDetector } from './detect-parallel-nameservers.js';
import { RefusedDetector } from './detect-refused.js';
import { SearchPathWasteDetector } from './detect-search-path-waste.js';
import { ServerLatencyDetector } from './detect-server-latency.js';
import { ServfailDetector } from './detect-servfail.js';
import { TruncatedTcpDetector } from './detect-truncated-tcp.js';
import { UnansweredDetector } from './detect-unanswered.js';
import { UnexpectedResponsesDetector } from './detect-unexpected-responses.js';

/**
 * The one ordered registry of detectors, one of each (the order breaks ties between findings of
 * equal impact), by name: FindingsAccumulator calls each by name, so that every call is a call
 * site of its own that V8 can inline. Called through one loop over a list, each call went to any
 * of a dozen classes: a megamorphic call per detector and record, which no engine inlines.
 */
function makeDetectors() {
  return {
    // A lookup that failed for the application before the queries it wasted: a misleading
    // "not found" is what an incident review is after, where one lookup's two findings weigh the same.
    misleadingNxdomain: new MisleadingNxdomainDetector(),
    searchPathWaste: new SearchPathWasteDetector(),
    fiveSecondDelay: new FiveSecondDelayDetector(),
    nameserverFailover: new NameserverFailoverDetector(),
    parallelNameservers: new ParallelNameserversDetector(),
    externalNameCaveat: new ExternalNameCaveatDetector(),
    unanswered: new UnansweredDetector(),
    servfail: new ServfailDetector(),
    refused: new RefusedDetector(),
    ignoredAnswers: new IgnoredAnswersDetector(),
    truncatedTcp: new TruncatedTcpDetector(),
    nodataMidwalk: new NodataMidwalkDetector(),
    unexpectedResponses: new UnexpectedResponsesDetector(),
    serverLatency: new ServerLatencyDetector(),
  } satisfies Record<string, FindingDetector>;
}

/**
 * Every detector of the registry, fed one transaction and one lookup at a time (see
 * FindingDetector for the order); findings ranked by impact (wasted queries, then milliseconds),
 * the registry order breaking ties. A detector with a `transaction` or `lookup` method is called
 * below by name (`test/analyze/findings-accumulator.test.ts` checks that none is left out).
 */
export class FindingsAccumulator {
  /** By name, for the calls below; `detectors` holds the same in the registry's order. */
  readonly byName = makeDetectors();
  readonly detectors: readonly FindingDetector[] = Object.values(this.byName);

  transaction(tx: Transaction, retry: Transaction | undefined): void {
    const d = this.byName;
    d.nameserverFailover.transaction(tx, retry);
    d.unanswered.transaction(tx, retry);
    d.servfail.transaction(tx);
    d.refused.transaction(tx);
    d.ignoredAnswers.transaction(tx);
    d.truncatedTcp.transaction(tx, retry);
    d.unexpectedResponses.transaction(tx);
    d.serverLatency.transaction(tx);
  }

  lookup(l: Lookup, index: number, attemptTx: AttemptTransaction): void {
    const d = this.byName;
    d.searchPathWaste.lookup(l);
    d.fiveSecondDelay.lookup(l, index, attemptTx);
    d.misleadingNxdomain.lookup(l, index, attemptTx);
    d.externalNameCaveat.lookup(l);
    d.nodataMidwalk.lookup(l);
    d.nameserverFailover.lookup(l, index, attemptTx);
    d.parallelNameservers.lookup(l, index, attemptTx);
    d.servfail.lookup(l, index, attemptTx);
    d.refused.lookup(l, index, attemptTx);
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
