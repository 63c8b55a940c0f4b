import type { Diagnostics, DnsMessage, IcmpUnreachable, Lookup, ResolverProfile, Transaction } from '../model.js';
import type { AttemptTransaction } from './attempt-transaction.js';
import { LookupBuilder } from './lookup-builder.js';
import { type ResolverOverrides, ResolverProfileInferrer } from './resolver-profile-inferrer.js';
import { type PairingStats, TransactionPairer } from './transaction-pairer.js';

export interface AnalyzerOptions {
  /** glibc's default: a query unanswered after this long is lost. */
  timeoutMs: number;
  resolver: ResolverOverrides;
  /** See PairingOptions.copiesAcrossServers. */
  copiesAcrossServers?: () => boolean;
}

/**
 * Where completed results go, each as it completes: a transaction once it settled (answered and
 * quiet, or past its deadline), a lookup once all its transactions settled and its walk went
 * quiet, so a lookup comes after its transactions (unless MAX_OPEN_LOOKUPS closed it early). With each, what the analysis alone
 * can tell of its links: the transaction that retried this one, and the transactions of a
 * lookup's attempts. Without a sink the analyzer collects them for `finish()`.
 */
export interface AnalyzerSink {
  transaction(tx: Transaction, retry: Transaction | undefined): void;
  lookup(l: Lookup, attemptTx: AttemptTransaction): void;
}

export interface AnalysisResult {
  /** In the order they settled (empty when a sink took them). */
  transactions: Transaction[];
  /** In the order they closed (empty when a sink took them). */
  lookups: Lookup[];
  resolvers: ResolverProfile[];
  pairing: PairingStats;
}

/**
 * The analysis stage as one push-based object: DnsMessages (and ICMP unreachables) in, in capture
 * order; transactions and lookups out as they complete; resolver profiles at the end. Nothing
 * waits to be put in order, so memory is what is still open (see analysis-limits.ts), not the
 * capture's size, nor how long a lost query stays open.
 */
export class DnsAnalyzer {
  private readonly pairer: TransactionPairer;
  private readonly builder: LookupBuilder;
  private readonly profiles: ResolverProfileInferrer;
  private readonly transactions: Transaction[] = [];
  private readonly lookups: Lookup[] = [];

  constructor(opts: AnalyzerOptions, private readonly diag?: Diagnostics, sink?: AnalyzerSink) {
    const out: AnalyzerSink = sink ?? { transaction: (tx) => this.transactions.push(tx), lookup: (l) => this.lookups.push(l) };
    this.profiles = new ResolverProfileInferrer(opts.resolver);
    this.builder = new LookupBuilder({ timeoutMs: opts.timeoutMs }, this.profiles, (l, attemptTx) => out.lookup(l, attemptTx), diag);
    this.pairer = new TransactionPairer(
      { timeoutMs: opts.timeoutMs, copiesAcrossServers: opts.copiesAcrossServers },
      {
        opened: (tx) => {
          // The profile first: the builder reads the search list this very query may reveal.
          this.profiles.observeQuery(tx);
          this.builder.addQuery(tx);
        },
        settled: (tx, retry) => {
          // Before the lookup can close: a lookup comes after its transactions.
          out.transaction(tx, retry);
          this.builder.settled(tx);
        },
        resent: (tx, gapUs, sends) => this.profiles.observeResend(tx.clientHost, gapUs, sends),
      },
      diag,
    );
  }

  add(m: DnsMessage): void {
    this.pairer.add(m);
    this.builder.advance(m.timeUs);
  }

  addIcmp(u: IcmpUnreachable): void {
    this.pairer.addIcmp(u);
    this.builder.advance(u.timeUs);
  }

  /** The capture ended at `captureEndUs`: closes everything still open. */
  finish(captureEndUs: number): AnalysisResult {
    this.pairer.finish(captureEndUs);
    this.builder.finish();
    const s = this.pairer.stats;
    if (s.copies > 0) {
      this.diag?.warn(
        `${s.copies} packet${s.copies === 1 ? ' was' : 's were'} seen twice (an -i any capture sees the veth and eth0 copies` +
          `${s.natCopies > 0 ? `; ${s.natCopies} before and after DNAT to a Service IP` : ''}) and counted once`,
      );
    }
    if (this.profiles.untracked > 0) this.diag?.warn(`${this.profiles.untracked} queries came from clients beyond the first 50000; their resolver profiles are not shown`);
    return {
      transactions: this.transactions,
      lookups: this.lookups,
      resolvers: this.profiles.profiles(),
      pairing: { ...s },
    };
  }
}

/**
 * Feeds messages and ICMP errors collected apart (the decoder keeps them in two lists) in frame
 * order, so that an ICMP error meets the query it quotes while that query is still open.
 */
export function feedInFrameOrder(analyzer: DnsAnalyzer, messages: readonly DnsMessage[], icmp: readonly IcmpUnreachable[]): void {
  let j = 0;
  for (const m of messages) {
    while (j < icmp.length && icmp[j].frame < m.frame) analyzer.addIcmp(icmp[j++]);
    analyzer.add(m);
  }
  while (j < icmp.length) analyzer.addIcmp(icmp[j++]);
}
