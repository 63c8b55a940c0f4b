import type { AaaaMode, Diagnostics, Lookup, Transaction } from '../model.js';
import type { AttemptTransaction } from './attempt-transaction.js';
import { MAX_OPEN_LOOKUPS, STEP_GAP_US } from './analysis-limits.js';
import { LookupIndex, type NameLists, SKIP_A, SKIP_AAAA, SKIP_ANSWERED, entryCount, lookupAt, mayTake, skipAt } from './lookup-index.js';
import { LookupsByFrame } from './lookups-by-frame.js';
import { BARE, type OpenLookup, type Step, addStep, addToStep, answeredStepOf, newOpenLookup, newStep } from './open-lookup.js';
import { OpenQueue } from './open-queue.js';
import { NameDecompositions } from './name-decompositions.js';
import { commonLabelPrefix, countDots, isLabelExtension } from './name-labels.js';
import type { ResolverProfileInferrer } from './resolver-profile-inferrer.js';
import { readStepModes } from './read-step-modes.js';
import { summariseLookup } from './summarise-lookup.js';
import { acceptingStep, hasClient, stepNamed, transactionIn } from './walk-steps.js';

export interface LookupOptions {
  timeoutMs: number;
}

/** Lookups are checked for closing this often (capture time). */
const SWEEP_INTERVAL_US = 100_000;

/** Positions of suffixes not (yet) on the known search list: after any real list (glibc allows 6 entries, musl more). */
const UNKNOWN_SUFFIX_POS = 1000;

/**
 * Rebuilds what the application asked from the resolver's walk, as queries stream in. A lookup is
 * a client's run of steps for one base name: `base.s1`, `base.s2`, ..., `base` (a name with at
 * least ndots dots is tried as written first). Attempts of concurrent lookups interleave (threads,
 * processes), so a query joins an open lookup of its own client and base name whose walk it
 * continues, never simply the previous query. Queries arrive as live transactions from the
 * TransactionPairer; a lookup closes once all its transactions settled and no step followed for
 * STEP_GAP_US, and is handed on through `emit`, with its transactions.
 */
export class LookupBuilder {
  /** Lookups closed early because MAX_OPEN_LOOKUPS was reached. */
  evicted = 0;
  /** In creation order: the first is the oldest, evicted first. */
  private readonly open = new OpenQueue<OpenLookup>();
  private readonly index = new LookupIndex(new NameDecompositions());
  /** The lookup of each transaction the pairer has not settled. */
  private readonly byQueryFrame = new LookupsByFrame();
  private clockUs = -Infinity;
  private nextSweepUs = -Infinity;
  /** The best lookup for the query being placed (see `consider`), and where in its walk the query goes. */
  private best: OpenLookup | null = null;
  private bestPos = 0;
  private bestSameSocket = false;
  /** The step of `best` named as the query (undefined: the query starts a new step). */
  private bestStep: Step | undefined = undefined;
  /** What readStepModes found of the lookup closing (kept: one list for all). */
  private readonly modes: AaaaMode[] = [];
  /** The clock of the sweep under way. */
  private sweepUs = -Infinity;
  /**
   * Made once: a closure made in `advance` would have V8 allocate its context on every call,
   * sweep or not (about 90 bytes a message).
   */
  private readonly closeIdle = (l: OpenLookup): void => {
    if (l.unsettled === 0 && this.sweepUs - l.lastEventUs > STEP_GAP_US) this.close(l);
  };

  constructor(
    private readonly opts: LookupOptions,
    private readonly profiles: ResolverProfileInferrer,
    private readonly emit: (l: Lookup, attemptTx: AttemptTransaction) => void,
    private readonly diag?: Diagnostics,
  ) {}

  /** A new query (a live transaction), in capture order. */
  addQuery(tx: Transaction): void {
    if (tx.name === null || tx.queryTimeUs === null || tx.queryFrame === null) return;
    this.advance(tx.queryTimeUs);
    const client = tx.clientHost;
    const name = tx.name;
    const search = this.profiles.searchList(client);
    const c = this.index.ofClient(client);
    const lists = this.index.listsFor(c, name, search);
    if (tx.retryOf !== null) {
      // The query retried is usually still open (a failover follows its ICMP error at once):
      // its lookup is at hand; else it is looked for among the lookups of the name's first label.
      const retried = this.byQueryFrame.get(tx.retryOf) ?? lookupWithQuery(lists, tx.retryOf);
      const step = retried && stepNamed(retried, name);
      if (retried && step) {
        this.join(retried, step, tx);
        return;
      }
    }

    this.best = null;
    this.bestSameSocket = false;
    const bases = lists.bases;
    const typeBit = tx.type === 'A' ? SKIP_A : tx.type === 'AAAA' ? SKIP_AAAA : 0;
    // The decomposition (each list's walk position) is read only for a lookup that may take the query.
    for (let i = 0; i < bases.length; i++) {
      const list = bases[i];
      if (!mayTake(list, typeBit)) continue;
      const n = entryCount(list);
      for (let j = typeBit === 0 ? 0 : list.scanFrom; j < n; j++) {
        if ((skipAt(list, j) & typeBit) !== 0) continue;
        const l = lookupAt(list, j);
        this.consider(l, lists.d.cands[i].pos, tx, search.length);
        // Answered, and every response in: what it takes no more stays so until a transaction joins.
        if (l.unresponded === 0 && l.answered !== undefined && (l.answered.typeMask & (SKIP_A | SKIP_AAAA)) !== 0) {
          this.index.skipInBase(l, j, l.answered.typeMask & (SKIP_A | SKIP_AAAA));
        }
      }
    }
    // Only a name with no suffix of the known list can carry one the list does not know yet. Read
    // as an unknown suffix of a shorter base, a name with a known suffix would join whatever walk
    // of its first label is still waiting for an answer (`api.segment.io.ns.svc.cluster.local`,
    // or `api.segment.io.<node domain>`, as a step of `api`); it starts or continues its own.
    if (this.best === null && lists.d.cands[0].pos === BARE) this.considerUnknownSuffix(lists, tx, search.length);
    const best = this.best as OpenLookup | null;
    const bestStep = this.bestStep;
    this.best = null;
    this.bestStep = undefined;
    if (best !== null) {
      this.join(best, bestStep ?? newStepOf(best, name, this.bestPos), tx);
      return;
    }
    // A new lookup: glibc, musl and dig start a walk at the first suffix, so only a name carrying
    // the first suffix is read as expanded; anything else is the name as the application wrote it.
    const first = lists.d.first;
    const l = newOpenLookup(client, first.base, first.pos === 0 || search.length > 0, tx.queryTimeUs);
    this.open.add(l, idleSince(l));
    this.index.add(c, l, bases[lists.d.cands.indexOf(first)], lists.firstLabel);
    this.join(l, newStepOf(l, name, first.pos), tx);
    if (this.open.size > MAX_OPEN_LOOKUPS) this.evictOldest();
  }

  /** The pairer is done with `tx`. */
  settled(tx: Transaction): void {
    if (tx.queryFrame === null) return;
    const l = this.byQueryFrame.get(tx.queryFrame);
    if (!l) return;
    this.byQueryFrame.delete(tx.queryFrame);
    l.unsettled--;
    l.lastEventUs = Math.max(l.lastEventUs, tx.responseTimeUs ?? 0, tx.lastSendUs ?? 0);
    // While a transaction is open the queue's number stays Infinity (idleSince).
    if (l.unsettled <= 0) this.open.setKey(l, idleSince(l));
  }

  advance(nowUs: number): void {
    if (nowUs > this.clockUs) this.clockUs = nowUs;
    if (this.clockUs < this.nextSweepUs) return;
    this.nextSweepUs = this.clockUs + SWEEP_INTERVAL_US;
    this.sweepUs = this.clockUs;
    this.open.sweepIdle(this.sweepUs, STEP_GAP_US, this.closeIdle);
  }

  /** Closes every open lookup (call after the pairer's finish, so that all transactions settled). */
  finish(): void {
    this.open.sweepAll((l) => this.close(l));
  }

  private joinable(l: OpenLookup): boolean {
    return l.unsettled > 0 || this.clockUs - l.lastEventUs <= STEP_GAP_US;
  }

  /**
   * Keeps `l` as the best lookup for `tx` (at walk position `pos`) if it may take it and beats the
   * best so far. `longerBaseWins`: for a suffix the list does not know, where every walk of the
   * name's first label is a candidate, the walk with the longer base beats the one found first.
   */
  private consider(l: OpenLookup, pos: number, tx: Transaction, searchLength: number, longerBaseWins = false): void {
    if (!this.joinable(l)) return;
    const step = acceptingStep(l, tx.name as string, pos, tx, searchLength, this.clockUs);
    if (step === null) return;
    // A lookup whose step already went out on this socket (glibc's A and AAAA) beats another.
    if (this.best !== null && this.bestSameSocket) return;
    const sameSocket = step !== undefined && hasClient(step.txs, tx.client);
    if (this.best === null || sameSocket || (longerBaseWins && l.base.length > this.best.base.length)) {
      this.best = l;
      this.bestPos = pos;
      this.bestStep = step;
      this.bestSameSocket = sameSocket;
    }
  }

  /**
   * A suffix the search list does not know yet (a node domain after the pod's three, or any
   * suffix of a client whose list has not shown itself): the name continues a walk of the same
   * client that has not been answered, and shares its first labels.
   */
  private considerUnknownSuffix(lists: NameLists, tx: Transaction, searchLength: number): void {
    const name = tx.name as string;
    const list = lists.firstLabel;
    if (list.unskipped === 0) return;
    const n = entryCount(list);
    for (let j = list.scanFrom; j < n; j++) {
      if (skipAt(list, j) !== 0) continue;
      const l = lookupAt(list, j);
      // Cheap test first: most of a busy client's open lookups are idle past the step gap.
      if (!this.joinable(l)) continue;
      if (answeredStepOf(l)) {
        if (l.unresponded === 0) this.index.skipInLabel(l, j, SKIP_ANSWERED);
        continue;
      }
      const pos = UNKNOWN_SUFFIX_POS + l.unknownSuffixes;
      if (l.baseKnown) {
        // `api.segment.io.<node domain>` continues the walk of api.segment.io, not one of api.
        if (isLabelExtension(name, l.base)) this.consider(l, pos, tx, searchLength, true);
        continue;
      }
      const first = l.steps[0].name;
      const base = isLabelExtension(first, name) ? name : commonLabelPrefix(name, first);
      if (base === null || base === first) continue;
      // Re-key the lookup under the base its two names share: `x.a.com` and `x.b.com` are a walk
      // of `x`, and its first name, taken for the name as written, was the first suffix step.
      this.index.rebase(l, base);
      l.baseKnown = true;
      for (const s of l.steps) s.pos = UNKNOWN_SUFFIX_POS;
      l.unknownSuffixes = 1;
      l.walkPos = UNKNOWN_SUFFIX_POS;
      l.bareSeen = false;
      l.bareFirst = false;
      this.consider(l, base === name ? BARE : UNKNOWN_SUFFIX_POS + 1, tx, searchLength, true);
    }
  }

  private join(l: OpenLookup, step: Step, tx: Transaction): void {
    this.index.unskip(l);
    if (addStep(l, step)) {
      if (step.pos === BARE) {
        l.bareSeen = true;
        if (l.steps.length === 1) l.bareFirst = true;
      } else {
        if (step.pos >= UNKNOWN_SUFFIX_POS) l.unknownSuffixes++;
        l.walkPos = Math.max(l.walkPos, step.pos);
      }
    }
    // Each query of the step: the profile's entry for the name may be the AAAA's, not the A's.
    if (step.pos === BARE && !l.bareFirst) this.profiles.observeWalkEnd(tx);
    addToStep(l, step, tx);
    l.lastEventUs = Math.max(l.lastEventUs, tx.queryTimeUs as number);
    // With a transaction open already, the queue's number is Infinity (idleSince) and stays so.
    if (l.unsettled++ <= 0) this.open.setKey(l, idleSince(l));
    this.byQueryFrame.set(tx.queryFrame as number, l);
  }

  private close(l: OpenLookup): void {
    this.open.close(l);
    this.index.remove(l);
    // Transactions still open (an evicted lookup, or the capture's end) are forgotten with it.
    if (l.unsettled > 0) for (const s of l.steps) for (const tx of s.txs) this.byQueryFrame.delete(tx.queryFrame as number);
    const n = readStepModes(l, this.modes);
    for (let i = 0; i < n; i++) this.profiles.observeStep(l.client, this.modes[i]);
    const steps = l.steps;
    // An unanswered last step ends when the client stopped waiting: its own timeout after the last
    // send when its resends showed it (musl resends after 2.5 s and gives up 2.5 s later), else --timeout.
    const timeoutMs = this.profiles.timeoutMs(l.client) ?? this.opts.timeoutMs;
    const lookup = summariseLookup(l, timeoutMs, this.isWrittenFqdn(l), this.profiles.searchList(l.client));
    this.emit(lookup, (frame, type) => transactionIn(steps, frame, type));
  }

  /**
   * The name as written went first although it has fewer dots than ndots: glibc, musl and dig
   * then skip the search list only for a trailing dot (or the capture began mid-walk). Needs a
   * search list and an ndots the profile knows.
   */
  private isWrittenFqdn(l: OpenLookup): boolean {
    // The step whose first query left first (the earliest joined among equals).
    let first = l.steps[0];
    for (const s of l.steps) if ((s.txs[0].queryTimeUs as number) < (first.txs[0].queryTimeUs as number)) first = s;
    if (first.pos !== BARE || this.profiles.searchList(l.client).length === 0) return false;
    // A suffix tried after the name as written proves there was no trailing dot (it disables the search).
    for (const s of l.steps) if (s.pos !== BARE) return false;
    const ndots = this.profiles.ndots(l.client);
    return ndots !== null && countDots(l.base) < ndots;
  }

  private evictOldest(): void {
    const oldest = this.open.oldest() as OpenLookup;
    if (this.evicted === 0) this.diag?.warn(`more than ${MAX_OPEN_LOOKUPS} lookups were open at once; the oldest were closed early and may be split`);
    this.evicted++;
    this.close(oldest);
  }
}

/**
 * The open lookup holding the query sent in frame `queryFrame`, which a retry of it names: the
 * same client host and question, so it is filed under the first label of the retry's name.
 */
function lookupWithQuery(lists: NameLists, queryFrame: number): OpenLookup | undefined {
  const list = lists.firstLabel;
  for (let k = 0; k < entryCount(list); k++) {
    const l = lookupAt(list, k);
    for (const s of l.steps) for (const t of s.txs) if (t.queryFrame === queryFrame) return l;
  }
  return undefined;
}

/** What the open queue keeps for `l`: when it went idle, or never while a transaction is open (see `advance`). */
function idleSince(l: OpenLookup): number {
  return l.unsettled === 0 ? l.lastEventUs : Number.POSITIVE_INFINITY;
}

/** A new step of `l` for `name`, which `l` has no step for, at walk position `pos`. */
function newStepOf(l: OpenLookup, name: string, pos: number): Step {
  return newStep(name, pos >= 0 && pos < UNKNOWN_SUFFIX_POS ? pos : pos === BARE ? BARE : UNKNOWN_SUFFIX_POS + l.unknownSuffixes);
}
