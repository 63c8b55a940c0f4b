import type { Transaction } from '../model.js';
import { appendSmall } from './append-small.js';
import type { ClientLookups, LookupList } from './lookup-index.js';

/** Walk position of the name as written. */
export const BARE = -1;

/** One search step: the name tried (base + one suffix, or the base as written) and its queries. */
export interface Step {
  name: string;
  /** Position in the search walk: the suffix's index, BARE, or past the list for a suffix not on it yet. */
  pos: number;
  txs: Transaction[];
  /** Index in its lookup's `steps`. */
  index: number;
  /**
   * The query types of `txs`, asked of every open lookup a query might continue: A and AAAA as
   * bits (TYPE_A, TYPE_AAAA), any other type in `otherTypes`, so that no transaction is read.
   */
  typeMask: number;
  otherTypes: (string | null)[] | null;
}

/** The bits of A and AAAA in Step.typeMask. */
export const TYPE_A = 1;
export const TYPE_AAAA = 2;

/**
 * A lookup being built (see LookupBuilder). What every query asks of the open lookups it might
 * continue comes first, so that it shares the object's first cache line.
 */
export interface OpenLookup {
  /** Transactions the pairer may still fill in. */
  unsettled: number;
  lastEventUs: number;
  /** Transactions without a response (or an ICMP error) at the last look, or joined since: `answered` holds while there are none. */
  unresponded: number;
  /** The first step with a usable answer, as of the last look (see answeredStepOf). */
  answered: Step | undefined;
  /** Every transaction of the steps before this one had its response at the last look. */
  scanFrom: number;
  steps: Step[];
  walkPos: number;
  bareSeen: boolean;
  bareFirst: boolean;
  client: string;
  base: string;
  /** false while the only name seen may or may not carry a suffix (the client's list is unknown). */
  baseKnown: boolean;
  unknownSuffixes: number;
  closed: boolean;
  queuePos: number;
  /** Where the lookup is filed (see LookupIndex). */
  lists: ClientLookups | null;
  baseList: LookupList;
  labelList: LookupList;
  /** Where its number is set (see LookupList). */
  skipIn: number;
}

/**
 * What a new step and a new lookup start with: appendSmall gives each its own array on the first
 * item, so the empty one is shared (and frozen: nothing may fill it in place).
 */
const NO_TRANSACTIONS: Transaction[] = Object.freeze([]) as unknown as Transaction[];
const NO_STEPS: Step[] = Object.freeze([]) as unknown as Step[];

export function newStep(name: string, pos: number): Step {
  return { name, pos, txs: NO_TRANSACTIONS, index: -1, typeMask: 0, otherTypes: null };
}

/** How many query types `step` has. */
export function typeCount(step: Step): number {
  return (step.typeMask & TYPE_A ? 1 : 0) + (step.typeMask & TYPE_AAAA ? 1 : 0) + (step.otherTypes === null ? 0 : step.otherTypes.length);
}

/** Whether `step` has a query of type `type`. */
export function hasType(step: Step, type: string | null): boolean {
  if (type === 'A') return (step.typeMask & TYPE_A) !== 0;
  if (type === 'AAAA') return (step.typeMask & TYPE_AAAA) !== 0;
  return step.otherTypes !== null && step.otherTypes.includes(type);
}

const NOWHERE: LookupList = { entries: [], takeA: 0, takeAaaa: 0, unskipped: 0, scanFrom: 0 };

export function newOpenLookup(client: string, base: string, baseKnown: boolean, startUs: number): OpenLookup {
  return {
    unsettled: 0,
    lastEventUs: startUs,
    unresponded: 0,
    answered: undefined,
    scanFrom: 0,
    steps: NO_STEPS,
    walkPos: -1,
    bareSeen: false,
    bareFirst: false,
    client,
    base,
    baseKnown,
    unknownSuffixes: 0,
    closed: false,
    queuePos: -1,
    lists: null,
    baseList: NOWHERE,
    labelList: NOWHERE,
    skipIn: 0,
  };
}

/** Adds `step` to `l` if it is not there yet; true when it was added. */
export function addStep(l: OpenLookup, step: Step): boolean {
  if (step.index >= 0 && l.steps[step.index] === step) return false;
  step.index = l.steps.length;
  l.steps = appendSmall(l.steps, step);
  return true;
}

/** Files `tx` under `step` of `l`. */
export function addToStep(l: OpenLookup, step: Step, tx: Transaction): void {
  step.txs = appendSmall(step.txs, tx);
  const type = tx.type;
  if (type === 'A') step.typeMask |= TYPE_A;
  else if (type === 'AAAA') step.typeMask |= TYPE_AAAA;
  else if (step.otherTypes === null) step.otherTypes = [type];
  else if (!step.otherTypes.includes(type)) step.otherTypes.push(type);
  l.unresponded++;
  if (step.index < l.scanFrom) l.scanFrom = step.index;
}

/** A usable answer: NOERROR with records, not a truncated UDP answer (the client re-asks over TCP). */
export function isPositive(tx: Transaction): boolean {
  return tx.rcode === 'NOERROR' && (tx.answers.length > 0 || tx.answerCount > 0) && !(tx.flags?.tc && tx.transport === 'udp');
}

/**
 * The first step of `l` (in the order the steps joined) with a usable answer. Transactions are
 * live: the pairer fills in a response after the lookup saw the query. A response never changes
 * once recorded: the answer found once every transaction had its response holds until another
 * transaction joins, and steps whose transactions all had theirs need no second look.
 */
export function answeredStepOf(l: OpenLookup): Step | undefined {
  if (l.unresponded === 0) return l.answered;
  const steps = l.steps;
  // A step before scanFrom that answered is final, and no later one can come before it.
  let answered = l.answered !== undefined && l.answered.index < l.scanFrom ? l.answered : undefined;
  let unresponded = 0;
  let scanFrom = steps.length;
  for (let i = l.scanFrom; i < steps.length; i++) {
    const txs = steps[i].txs;
    for (let j = 0; j < txs.length; j++) {
      const tx = txs[j];
      // A query an ICMP error answered gets no response any more: it holds nothing up.
      if (tx.responseFrame === null && tx.icmpFrame === null) {
        unresponded++;
        if (i < scanFrom) scanFrom = i;
      } else if (answered === undefined && isPositive(tx)) answered = steps[i];
    }
  }
  l.answered = answered;
  l.unresponded = unresponded;
  l.scanFrom = scanFrom;
  return answered;
}
