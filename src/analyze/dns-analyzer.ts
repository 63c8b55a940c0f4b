import type { Diagnostics, DnsMessage, IcmpUnreachable, Lookup, ResolverProfile, Transaction } from '../model.js';
import { hostOf } from './endpoints.js';
import { InOrderRelease, MAX_HELD_LOOKUPS, MAX_HELD_TRANSACTIONS } from './in-order-release.js';
import { LookupBuilder } from './lookup-builder.js';
import { type ResolverOverrides, ResolverProfileInferrer } from './resolver-profile-inferrer.js';
import { type PairingStats, TransactionPairer } from './transaction-pairer.js';

export interface AnalyzerOptions {
  /** glibc's default: a query unanswered after this long is lost. */
  timeoutMs: number;
  resolver: ResolverOverrides;
}

/**
 * Where completed results go, in report order (transactions by first frame, lookups by start and
 * first frame), each as soon as nothing still open can come before it. Without a sink the
 * analyzer collects them for `finish()`.
 */
export interface AnalyzerSink {
  transaction(tx: Transaction): void;
  lookup(l: Lookup): void;
}

export interface AnalysisResult {
  /** In order of first frame (empty when a sink took them). */
  transactions: Transaction[];
  /** In order of start (empty when a sink took them). */
  lookups: Lookup[];
  resolvers: ResolverProfile[];
  pairing: PairingStats;
}

/**
 * The analysis stage as one push-based object: DnsMessages (and ICMP unreachables) in, in capture
 * order; transactions and lookups out in report order as they complete; resolver profiles at the
 * end. Memory is what is still open (see analysis-limits.ts), and what completed behind it (see
 * in-order-release.ts), not the capture's size.
 */
export class DnsAnalyzer {
  private readonly pairer: TransactionPairer;
  private readonly builder: LookupBuilder;
  private readonly profiles: ResolverProfileInferrer;
  private readonly transactions: Transaction[] = [];
  private readonly lookups: Lookup[] = [];
  private readonly heldTransactions: InOrderRelease<Transaction>;
  private readonly heldLookups: InOrderRelease<Lookup>;
  /** The last frame and the latest time given: nothing given later comes before them (unless the clock goes backwards). */
  private lastFrame = -Infinity;
  private clockUs = -Infinity;
  /** Set by finish: no message comes any more, and what closes now is released at once (not piled up). */
  private finishing = false;

  constructor(opts: AnalyzerOptions, private readonly diag?: Diagnostics, sink?: AnalyzerSink) {
    const out: AnalyzerSink = sink ?? { transaction: (tx) => this.transactions.push(tx), lookup: (l) => this.lookups.push(l) };
    this.heldTransactions = new InOrderRelease((tx) => out.transaction(tx), MAX_HELD_TRANSACTIONS);
    this.heldLookups = new InOrderRelease((l) => out.lookup(l), MAX_HELD_LOOKUPS);
    this.profiles = new ResolverProfileInferrer(opts.resolver);
    this.builder = new LookupBuilder({ timeoutMs: opts.timeoutMs }, this.profiles, (l) => {
      this.heldLookups.hold(l, l.startUs, l.firstFrame ?? 0);
      if (this.finishing) this.releaseInOrder();
    }, diag);
    this.pairer = new TransactionPairer(
      { timeoutMs: opts.timeoutMs },
      {
        opened: (tx) => {
          // The profile first: the builder reads the search list this very query may reveal.
          this.profiles.observeQuery(tx);
          this.builder.addQuery(tx);
        },
        settled: (tx) => {
          this.builder.settled(tx);
          this.heldTransactions.hold(tx, tx.queryFrame ?? tx.responseFrame ?? 0, 0);
          if (this.finishing) this.releaseInOrder();
        },
        resent: (tx, gapUs, sends) => this.profiles.observeResend(hostOf(tx.client), gapUs, sends),
      },
      diag,
    );
  }

  add(m: DnsMessage): void {
    this.pairer.add(m);
    this.builder.advance(m.timeUs);
    if (m.frame > this.lastFrame) this.lastFrame = m.frame;
    if (m.timeUs > this.clockUs) this.clockUs = m.timeUs;
    this.releaseInOrder();
  }

  addIcmp(u: IcmpUnreachable): void {
    this.pairer.addIcmp(u);
    this.builder.advance(u.timeUs);
  }

  /** See TransactionPairer.oldestOpenQueryFrame and LookupBuilder.oldestOpenStartUs. */
  oldestOpen(): { queryFrame: number | null; lookupStartUs: number | null } {
    return { queryFrame: this.pairer.oldestOpenQueryFrame(), lookupStartUs: this.builder.oldestOpenStartUs() };
  }

  /** Transactions and lookups completed but not handed on yet, waiting for an older one still open. */
  held(): { transactions: number; lookups: number } {
    return { transactions: this.heldTransactions.size, lookups: this.heldLookups.size };
  }

  /**
   * Hands on what nothing can come before any more. A transaction still open, or one a later
   * message opens, has a first frame no smaller than the oldest open query's and the last frame
   * given; one of equal frame settles later, and goes after, as a stable sort puts it. A lookup
   * still open, or one a later query opens, starts no earlier than the oldest open lookup and the
   * clock; at an equal start the first frame decides, unknown yet, so those wait. The bounds move
   * only when something completes, so nothing is checked on other messages. Once the capture has
   * ended, only what is still open holds anything back.
   */
  private releaseInOrder(): void {
    if (this.heldTransactions.changed) {
      const open = this.pairer.oldestOpenQueryFrame() ?? Infinity;
      // Frames are whole numbers: below bound + 1 is "up to the bound".
      this.heldTransactions.releaseBelow(Math.min(open, this.finishing ? Infinity : this.lastFrame) + 1);
    }
    if (this.heldLookups.changed) {
      const open = this.builder.oldestOpenStartUs() ?? Infinity;
      this.heldLookups.releaseBelow(Math.min(open, this.finishing ? Infinity : this.clockUs));
    }
  }

  /** The capture ended at `captureEndUs`: closes everything still open. */
  finish(captureEndUs: number): AnalysisResult {
    this.finishing = true;
    this.pairer.finish(captureEndUs);
    this.builder.finish();
    this.heldTransactions.releaseAll();
    this.heldLookups.releaseAll();
    this.warnOfOrder('transactions', this.heldTransactions, MAX_HELD_TRANSACTIONS);
    this.warnOfOrder('lookups', this.heldLookups, MAX_HELD_LOOKUPS);
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

  private warnOfOrder(what: string, held: { forced: number; outOfOrder: number }, cap: number): void {
    if (held.outOfOrder === 0) return;
    if (held.forced > 0) {
      this.diag?.warn(`more than ${cap} ${what} waited behind an older one still open (a query lost on a busy capture, or resent without end) and were written before it: ${what} are listed in approximate order (${held.outOfOrder} out of place)`);
    } else {
      this.diag?.warn(`the capture's clock went backwards (merged interfaces?): ${what} are listed in approximate order (${held.outOfOrder} out of place)`);
    }
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
