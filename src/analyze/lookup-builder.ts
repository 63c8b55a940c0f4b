import type { Diagnostics, Lookup, Transaction } from '../model.js';
import { MAX_OPEN_LOOKUPS, RETRY_MIN_GAP_US, STEP_GAP_US } from './analysis-limits.js';
import { hostOf } from './endpoints.js';
import type { ResolverProfileInferrer } from './resolver-profile-inferrer.js';
import { readStepModes } from './read-step-modes.js';
import { type OpenLookup, type Step, BARE, answeredStepOf, summariseLookup } from './summarise-lookup.js';

export interface LookupOptions {
  timeoutMs: number;
}

/** Lookups are checked for closing this often (capture time). */
const SWEEP_INTERVAL_US = 100_000;

/**
 * Rebuilds what the application asked from the resolver's walk, as queries stream in. A lookup is
 * a client's run of steps for one base name: `base.s1`, `base.s2`, ..., `base` (a name with at
 * least ndots dots is tried as written first). Attempts of concurrent lookups interleave (threads,
 * processes), so a query joins an open lookup of its own client and base name whose walk it
 * continues, never simply the previous query. Queries arrive as live transactions from the
 * TransactionPairer; a lookup closes once all its transactions settled and no step followed for
 * STEP_GAP_US, and is handed on through `emit`.
 */
export class LookupBuilder {
  /** Lookups closed early because MAX_OPEN_LOOKUPS was reached. */
  evicted = 0;
  private readonly open = new Set<OpenLookup>();
  private readonly byBase = new Map<string, OpenLookup[]>();
  /**
   * Open lookups by client and first label: a name continues only a walk whose names share its
   * first label, so a busy client's other walks are never scanned.
   */
  private readonly byFirstLabel = new Map<string, Set<OpenLookup>>();
  private readonly byTx = new Map<Transaction, OpenLookup>();
  private readonly byQueryFrame = new Map<number, OpenLookup>();
  private clockUs = -Infinity;
  private nextSweepUs = -Infinity;

  constructor(
    private readonly opts: LookupOptions,
    private readonly profiles: ResolverProfileInferrer,
    private readonly emit: (l: Lookup) => void,
    private readonly diag?: Diagnostics,
  ) {}

  /** A new query (a live transaction), in capture order. */
  addQuery(tx: Transaction): void {
    if (tx.name === null || tx.queryTimeUs === null || tx.queryFrame === null) return;
    this.advance(tx.queryTimeUs);
    const retried = tx.retryOf !== null ? this.byQueryFrame.get(tx.retryOf) : undefined;
    if (retried) {
      const step = retried.steps.find((s) => s.name === tx.name);
      if (step) {
        this.join(retried, step, tx);
        return;
      }
    }
    const client = hostOf(tx.client);
    const name = tx.name;
    const search = this.profiles.searchList(client);
    const cands = decompositions(name, search);

    let best: { l: OpenLookup; pos: number } | null = null;
    let bestSameSocket = false;
    const consider = (l: OpenLookup, pos: number) => {
      if (!this.joinable(l) || !accepts(l, name, pos, tx, search.length, this.clockUs)) return;
      const sameSocket = l.steps.some((s) => s.name === name && s.txs.some((t) => t.client === tx.client));
      if (!best || (sameSocket && !bestSameSocket)) {
        best = { l, pos };
        bestSameSocket = sameSocket;
      }
    };
    for (const c of cands) for (const l of this.byBase.get(`${client} ${c.base}`) ?? []) consider(l, c.pos);
    if (!best) this.considerUnknownSuffix(client, tx, consider);
    if (best) {
      const { l, pos } = best as { l: OpenLookup; pos: number };
      this.join(l, stepFor(l, name, pos), tx);
      return;
    }
    // A new lookup: glibc, musl and dig start a walk at the first suffix, so only a name carrying
    // the first suffix is read as expanded; anything else is the name as the application wrote it.
    const first = cands.find((c) => c.pos === 0) ?? { base: name, pos: BARE };
    const l: OpenLookup = {
      client,
      base: first.base,
      baseKnown: first.pos === 0 || search.length > 0,
      steps: [],
      walkPos: -1,
      bareSeen: false,
      bareFirst: false,
      unknownSuffixes: 0,
      lastEventUs: tx.queryTimeUs,
      unsettled: 0,
    };
    this.index(l);
    this.join(l, stepFor(l, name, first.pos), tx);
    if (this.open.size > MAX_OPEN_LOOKUPS) this.evictOldest();
  }

  /** The pairer is done with `tx`. */
  settled(tx: Transaction): void {
    const l = this.byTx.get(tx);
    if (!l) return;
    this.byTx.delete(tx);
    l.unsettled--;
    l.lastEventUs = Math.max(l.lastEventUs, tx.responseTimeUs ?? 0, tx.lastSendUs ?? 0);
  }

  advance(nowUs: number): void {
    if (nowUs > this.clockUs) this.clockUs = nowUs;
    if (this.clockUs < this.nextSweepUs) return;
    this.nextSweepUs = this.clockUs + SWEEP_INTERVAL_US;
    for (const l of this.open) if (l.unsettled === 0 && this.clockUs - l.lastEventUs > STEP_GAP_US) this.close(l);
  }

  /**
   * Start of the oldest lookup still open, or null when none is: lookups closed from now on
   * start no earlier (or later than the capture clock), so a report can write lookups in start
   * order as they close. `open` is in creation order, and a lookup starts with its first query.
   */
  oldestOpenStartUs(): number | null {
    for (const l of this.open) return l.steps[0].txs[0].queryTimeUs;
    return null;
  }

  /** Closes every open lookup (call after the pairer's finish, so that all transactions settled). */
  finish(): void {
    for (const l of this.open) this.close(l);
  }

  private joinable(l: OpenLookup): boolean {
    return l.unsettled > 0 || this.clockUs - l.lastEventUs <= STEP_GAP_US;
  }

  /**
   * A suffix the search list does not know yet (a node domain after the pod's three, or any
   * suffix of a client whose list has not shown itself): the name continues a walk of the same
   * client that has not been answered, and shares its first labels.
   */
  private considerUnknownSuffix(client: string, tx: Transaction, consider: (l: OpenLookup, pos: number) => void): void {
    const name = tx.name as string;
    for (const l of this.byFirstLabel.get(firstLabelKey(client, name)) ?? []) {
      // Cheap test first: most of a busy client's open lookups are idle past the step gap.
      if (!this.joinable(l) || answeredStepOf(l)) continue;
      const pos = UNKNOWN_SUFFIX_POS + l.unknownSuffixes;
      if (l.baseKnown) {
        if (name.startsWith(`${l.base}.`)) consider(l, pos);
        continue;
      }
      const first = l.steps[0].name;
      const base = first.startsWith(`${name}.`) ? name : commonLabelPrefix(name, first);
      if (base === null || base === first) continue;
      if (!this.joinable(l)) continue;
      // Re-key the lookup under the base its two names share: `x.a.com` and `x.b.com` are a walk
      // of `x`, and its first name, taken for the name as written, was the first suffix step.
      this.unindexBase(l);
      l.base = base;
      l.baseKnown = true;
      this.indexBase(l);
      for (const s of l.steps) s.pos = UNKNOWN_SUFFIX_POS;
      l.unknownSuffixes = 1;
      l.walkPos = UNKNOWN_SUFFIX_POS;
      l.bareSeen = false;
      l.bareFirst = false;
      consider(l, base === name ? BARE : UNKNOWN_SUFFIX_POS + 1);
    }
  }

  private join(l: OpenLookup, step: Step, tx: Transaction): void {
    if (!l.steps.includes(step)) {
      l.steps.push(step);
      if (step.pos === BARE) {
        l.bareSeen = true;
        if (l.steps.length === 1) l.bareFirst = true;
      } else {
        if (step.pos >= UNKNOWN_SUFFIX_POS) l.unknownSuffixes++;
        l.walkPos = Math.max(l.walkPos, step.pos);
      }
    }
    step.txs.push(tx);
    l.unsettled++;
    l.lastEventUs = Math.max(l.lastEventUs, tx.queryTimeUs as number);
    this.byTx.set(tx, l);
    this.byQueryFrame.set(tx.queryFrame as number, l);
  }

  private close(l: OpenLookup): void {
    this.open.delete(l);
    this.unindexBase(l);
    const key = firstLabelKey(l.client, l.base);
    this.byFirstLabel.get(key)?.delete(l);
    if (this.byFirstLabel.get(key)?.size === 0) this.byFirstLabel.delete(key);
    for (const s of l.steps) {
      for (const tx of s.txs) {
        this.byTx.delete(tx);
        this.byQueryFrame.delete(tx.queryFrame as number);
      }
    }
    for (const mode of readStepModes(l)) this.profiles.observeStep(l.client, mode);
    this.emit(summariseLookup(l, this.opts.timeoutMs, this.isWrittenFqdn(l)));
  }

  /**
   * The name as written went first although it has fewer dots than ndots: glibc, musl and dig
   * then skip the search list only for a trailing dot (or the capture began mid-walk). Needs a
   * search list and an ndots the profile knows.
   */
  private isWrittenFqdn(l: OpenLookup): boolean {
    const first = [...l.steps].sort((a, b) => (a.txs[0].queryTimeUs as number) - (b.txs[0].queryTimeUs as number))[0];
    if (first.pos !== BARE || this.profiles.searchList(l.client).length === 0) return false;
    // A suffix tried after the name as written proves there was no trailing dot (it disables the search).
    if (l.steps.some((s) => s.pos !== BARE)) return false;
    const ndots = this.profiles.ndots(l.client);
    return ndots !== null && l.base.split('.').length - 1 < ndots;
  }

  private evictOldest(): void {
    const [oldest] = this.open;
    if (this.evicted === 0) this.diag?.warn(`more than ${MAX_OPEN_LOOKUPS} lookups were open at once; the oldest were closed early and may be split`);
    this.evicted++;
    this.close(oldest);
  }

  private index(l: OpenLookup): void {
    this.open.add(l);
    this.indexBase(l);
    const key = firstLabelKey(l.client, l.base);
    let set = this.byFirstLabel.get(key);
    if (!set) this.byFirstLabel.set(key, (set = new Set()));
    set.add(l);
  }

  private indexBase(l: OpenLookup): void {
    const key = `${l.client} ${l.base}`;
    const list = this.byBase.get(key);
    if (list) list.push(l);
    else this.byBase.set(key, [l]);
  }

  private unindexBase(l: OpenLookup): void {
    const key = `${l.client} ${l.base}`;
    const list = this.byBase.get(key);
    if (!list) return;
    const i = list.indexOf(l);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byBase.delete(key);
  }
}

/** Positions of suffixes not (yet) on the known search list: after any real list (glibc allows 6 entries, musl more). */
const UNKNOWN_SUFFIX_POS = 1000;

/** Every way to read `name` as base + search suffix (position in the list), plus the name as written. */
function decompositions(name: string, search: readonly string[]): { base: string; pos: number }[] {
  const out: { base: string; pos: number }[] = [];
  search.forEach((s, i) => {
    if (name.length > s.length + 1 && name.endsWith(`.${s}`)) out.push({ base: name.slice(0, -s.length - 1), pos: i });
  });
  out.push({ base: name, pos: BARE });
  return out;
}

/**
 * Whether `tx` (name at walk position `pos`) can belong to lookup `l`: another query type of a step
 * (single-request sends the AAAA after the A answer), or the next step of a walk that is still
 * going. A question already asked in this lookup is a new lookup, unless the pairer linked it as a
 * retry (handled before this).
 */
function accepts(l: OpenLookup, name: string, pos: number, tx: Transaction, searchLength: number, nowUs: number): boolean {
  const step = l.steps.find((s) => s.name === name);
  const answered = answeredStepOf(l);
  if (answered) return step === answered && !step.txs.some((t) => t.type === tx.type);
  if (step) return !step.txs.some((t) => t.type === tx.type);
  if (pos === BARE) return !l.bareSeen && (l.steps.length === 0 || reachedAsWritten(l, searchLength, nowUs));
  if (l.bareSeen && !l.bareFirst) return false;
  return pos > l.walkPos;
}

/**
 * A walk that began with the suffixes reaches the name as written only after the last suffix, or
 * at once after a step that timed out (glibc abandons the rest of the list). A bare query before
 * that, for the same name, is another lookup (another thread, with a trailing dot).
 */
function reachedAsWritten(l: OpenLookup, searchLength: number, nowUs: number): boolean {
  if (l.walkPos >= searchLength - 1) return true;
  const last = l.steps[l.steps.length - 1];
  return last.txs.every((t) => t.responseFrame === null && nowUs - (t.lastSendUs as number) >= RETRY_MIN_GAP_US);
}

function stepFor(l: OpenLookup, name: string, pos: number): Step {
  const existing = l.steps.find((s) => s.name === name);
  if (existing) return existing;
  return { name, pos: pos >= 0 && pos < UNKNOWN_SUFFIX_POS ? pos : pos === BARE ? BARE : UNKNOWN_SUFFIX_POS + l.unknownSuffixes, txs: [] };
}

/** Label-wise common beginning of two names ("x.a.com", "x.b.com" → "x"); null when none. */
function commonLabelPrefix(a: string, b: string): string | null {
  const la = a.split('.');
  const lb = b.split('.');
  let n = 0;
  while (n < la.length && n < lb.length && la[n] === lb[n]) n++;
  return n === 0 ? null : la.slice(0, n).join('.');
}

/** A lookup's base and every name of its walk start with the same label (re-keying keeps it). */
function firstLabelKey(client: string, name: string): string {
  const dot = name.indexOf('.');
  return `${client} ${dot < 0 ? name : name.slice(0, dot)}`;
}
