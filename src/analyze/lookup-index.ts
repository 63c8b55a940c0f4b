import type { Decomposition, NameDecompositions } from './name-decompositions.js';
import { type OpenLookup, TYPE_A, TYPE_AAAA } from './open-lookup.js';

/**
 * One client's open lookups, by base name (what a query can continue) and by first label (what a
 * suffix not on the search list can continue: a lookup's base and every name of its walk start
 * with the same label, and re-keying keeps it).
 */
export interface ClientLookups {
  client: string;
  bases: Map<string, LookupList>;
  firstLabels: Map<string, LookupList>;
  /** Per query name: the lists its readings (decompositions) point at. */
  names: Map<string, NameLists>;
  /** Open lookups of the client. */
  open: number;
}

/** The lists a query name looks in, for the search list its decomposition was made with. */
export interface NameLists {
  search: readonly string[];
  d: Decomposition;
  /** For each of d.cands: the open lookups with that base. */
  bases: LookupList[];
  firstLabel: LookupList;
}

/**
 * Open lookups filed under one key, in the order they were filed, and for each a number a query
 * reads instead of the lookup when it can (0 when it cannot). Most lookups a query could continue
 * are answered, with every response in, and stay so until another transaction joins them; their
 * number says so. In a base list: the query types they take no more (SKIP_A, SKIP_AAAA: both, once
 * the answered step has an A and an AAAA). In a first-label list: SKIP_ANSWERED, for the search of
 * a walk still going.
 */
export interface LookupList {
  /**
   * The lookups and their numbers in turn (entry k: lookup at 2k, number at 2k + 1; see lookupAt
   * and skipAt): one array, so that a query reading an entry loads one line of memory, not one of
   * two arrays each.
   */
  entries: (OpenLookup | number)[];
  /**
   * How many numbers lack SKIP_A, lack SKIP_AAAA, are 0: a query reads the list's arrays only
   * when one of its entries may take it. Most lists a query looks in hold only answered lookups,
   * and their arrays, written a second earlier, are out of the cache.
   */
  takeA: number;
  takeAaaa: number;
  unskipped: number;
  /**
   * Every entry before this one takes neither A nor AAAA (its number has both bits): lookups are
   * filed as they open and are answered in about that order, so the answered ones are mostly a
   * prefix, which a query of type A or AAAA starts after.
   */
  scanFrom: number;
}

/** A list with no lookup filed. */
export function newLookupList(): LookupList {
  return { entries: [], takeA: 0, takeAaaa: 0, unskipped: 0, scanFrom: 0 };
}

/** How many lookups `list` holds. */
export function entryCount(list: LookupList): number {
  return list.entries.length >> 1;
}

/** The `k`th lookup of `list`. */
export function lookupAt(list: LookupList, k: number): OpenLookup {
  return list.entries[2 * k] as OpenLookup;
}

/** The number of the `k`th lookup of `list`. */
export function skipAt(list: LookupList, k: number): number {
  return list.entries[2 * k + 1] as number;
}

/** Whether an entry of `list` may take a query whose SKIP_ bit is `typeBit` (0: a type other than A and AAAA, which every entry reads). */
export function mayTake(list: LookupList, typeBit: number): boolean {
  if (typeBit === SKIP_A) return list.takeA > 0;
  if (typeBit === SKIP_AAAA) return list.takeAaaa > 0;
  return list.entries.length > 0;
}

export const SKIP_A = TYPE_A;
export const SKIP_AAAA = TYPE_AAAA;
export const SKIP_ANSWERED = SKIP_A | SKIP_AAAA;
/** A number with these bits skips every query a list is read for (see LookupList.scanFrom). */
const SKIP_ALL = SKIP_A | SKIP_AAAA;

/** Bits of OpenLookup.skipIn: its number is set in its base list, in its first-label list. */
const IN_BASE_LIST = 1;
const IN_LABEL_LIST = 2;

/** Past this many lists (most of them empty) a client's lists are swept of empty ones. */
const SWEEP_LISTS_AT = 4096;
/** Past this many clients those without an open lookup are forgotten (then past twice those left). */
const FORGET_CLIENTS_AT = 4096;

/**
 * Open lookups by client host, then base or first label. A query reads them through its name:
 * the lists for every reading of a name are found once and kept (the lists stay, empty or not,
 * until a sweep), so that placing a query costs two map look-ups (client, name) however many
 * suffixes the search list has, and no key string is built.
 */
export class LookupIndex {
  private readonly byClient = new Map<string, ClientLookups>();
  private last: ClientLookups | null = null;
  private forgetClientsAt = FORGET_CLIENTS_AT;

  constructor(private readonly decompositions: NameDecompositions) {}

  ofClient(client: string): ClientLookups {
    const last = this.last;
    if (last !== null && last.client === client) return last;
    let c = this.byClient.get(client);
    if (c === undefined) {
      if (this.byClient.size >= this.forgetClientsAt) this.forgetIdleClients();
      c = { client, bases: new Map(), firstLabels: new Map(), names: new Map(), open: 0 };
      this.byClient.set(client, c);
    }
    this.last = c;
    return c;
  }

  /** The lists `name` reads, given the client's search list now. */
  listsFor(c: ClientLookups, name: string, search: readonly string[]): NameLists {
    const known = c.names.get(name);
    if (known !== undefined && known.search === search) return known;
    if (c.bases.size + c.firstLabels.size >= SWEEP_LISTS_AT + 8 * c.open) sweepEmptyLists(c);
    const d = this.decompositions.of(name, search);
    const bases = d.cands.map((cand) => listIn(c.bases, cand.base));
    const lists: NameLists = { search, d, bases, firstLabel: listIn(c.firstLabels, d.firstLabel) };
    c.names.set(name, lists);
    return lists;
  }

  add(c: ClientLookups, l: OpenLookup, baseList: LookupList, labelList: LookupList): void {
    c.open++;
    l.lists = c;
    l.skipIn = 0;
    l.baseList = baseList;
    l.labelList = labelList;
    file(baseList, l);
    file(labelList, l);
  }

  remove(l: OpenLookup): void {
    const c = l.lists as ClientLookups;
    c.open--;
    unfile(l.baseList, l);
    unfile(l.labelList, l);
  }

  /** Files `l` under a new base (its first label stays). */
  rebase(l: OpenLookup, base: string): void {
    this.unskip(l);
    unfile(l.baseList, l);
    l.baseList = listIn((l.lists as ClientLookups).bases, base);
    file(l.baseList, l);
    l.base = base;
  }

  /** Sets the number of `l`, the `j`th of its base list. */
  skipInBase(l: OpenLookup, j: number, skip: number): void {
    setSkip(l.baseList, j, skip);
    l.skipIn |= IN_BASE_LIST;
  }

  /** Sets the number of `l`, the `j`th of its first-label list. */
  skipInLabel(l: OpenLookup, j: number, skip: number): void {
    setSkip(l.labelList, j, skip);
    l.skipIn |= IN_LABEL_LIST;
  }

  /** `l` is read again by every query (a transaction joined it). */
  unskip(l: OpenLookup): void {
    if (l.skipIn === 0) return;
    if ((l.skipIn & IN_BASE_LIST) !== 0) setSkip(l.baseList, indexIn(l.baseList, l), 0);
    if ((l.skipIn & IN_LABEL_LIST) !== 0) setSkip(l.labelList, indexIn(l.labelList, l), 0);
    l.skipIn = 0;
  }

  private forgetIdleClients(): void {
    for (const [client, c] of this.byClient) if (c.open === 0) this.byClient.delete(client);
    this.last = null;
    // Clients that all have lookups open are not looked through again before as many more came.
    this.forgetClientsAt = Math.max(FORGET_CLIENTS_AT, 2 * this.byClient.size);
  }
}

/**
 * Most lists hold one lookup at a time: an empty list takes a new two-element array (V8 gives an
 * empty array 16 slots on its first push, 152 bytes, where `[l, 0]` takes two), which counts on a
 * flood of distinct names, one open lookup each.
 */
function file(list: LookupList, l: OpenLookup): void {
  count(list, 0, 1);
  if (list.entries.length === 0) {
    list.entries = [l, 0];
    return;
  }
  list.entries.push(l, 0);
}

/** Where `l` is in `list` (its entry number), -1 when it is not. */
function indexIn(list: LookupList, l: OpenLookup): number {
  const entries = list.entries;
  for (let i = 0; i < entries.length; i += 2) if (entries[i] === l) return i >> 1;
  return -1;
}

function unfile(list: LookupList, l: OpenLookup): void {
  const i = indexIn(list, l);
  if (i < 0) return;
  count(list, skipAt(list, i), -1);
  if (i < list.scanFrom) list.scanFrom--;
  const entries = list.entries;
  for (let j = 2 * i + 2; j < entries.length; j++) entries[j - 2] = entries[j];
  entries.length -= 2;
}

function setSkip(list: LookupList, j: number, skip: number): void {
  count(list, skipAt(list, j), -1);
  count(list, skip, 1);
  list.entries[2 * j + 1] = skip;
  if ((skip & SKIP_ALL) !== SKIP_ALL) {
    if (j < list.scanFrom) list.scanFrom = j;
  } else if (j === list.scanFrom) {
    let k = j + 1;
    const n = entryCount(list);
    while (k < n && (skipAt(list, k) & SKIP_ALL) === SKIP_ALL) k++;
    list.scanFrom = k;
  }
}

/** Adds `by` to the counts of `list` an entry with number `skip` is in. */
function count(list: LookupList, skip: number, by: number): void {
  if ((skip & SKIP_A) === 0) list.takeA += by;
  if ((skip & SKIP_AAAA) === 0) list.takeAaaa += by;
  if (skip === 0) list.unskipped += by;
}

/** The list under `key`, filed empty when there is none. */
function listIn(map: Map<string, LookupList>, key: string): LookupList {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = newLookupList()));
  return list;
}

/** Drops the empty lists (no lookup is filed in them) and the name readings that point at lists. */
function sweepEmptyLists(c: ClientLookups): void {
  for (const [key, list] of c.bases) if (list.entries.length === 0) c.bases.delete(key);
  for (const [key, list] of c.firstLabels) if (list.entries.length === 0) c.firstLabels.delete(key);
  c.names.clear();
}

/** "x.a.com" → "x". */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}
