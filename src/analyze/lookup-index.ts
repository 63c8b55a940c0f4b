import type { Decomposition, NameDecompositions } from './name-decompositions.js';
import type { OpenLookup } from './open-lookup.js';
import { removeItem } from './remove-item.js';

/**
 * One client's open lookups, by base name (what a query can continue) and by first label (what a
 * suffix not on the search list can continue: a lookup's base and every name of its walk start
 * with the same label, and re-keying keeps it). Each list is in the order the lookups opened.
 */
export interface ClientLookups {
  client: string;
  bases: Map<string, OpenLookup[]>;
  firstLabels: Map<string, OpenLookup[]>;
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
  bases: OpenLookup[][];
  firstLabel: OpenLookup[];
}

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
    const bases: OpenLookup[][] = [];
    for (let i = 0; i < d.cands.length; i++) bases.push(listIn(c.bases, d.cands[i].base));
    const lists: NameLists = { search, d, bases, firstLabel: listIn(c.firstLabels, d.firstLabel) };
    c.names.set(name, lists);
    return lists;
  }

  add(c: ClientLookups, l: OpenLookup, baseList: OpenLookup[], labelList: OpenLookup[]): void {
    c.open++;
    l.lists = c;
    l.baseList = baseList;
    l.labelList = labelList;
    baseList.push(l);
    labelList.push(l);
  }

  remove(l: OpenLookup): void {
    const c = l.lists as ClientLookups;
    c.open--;
    removeItem(l.baseList, l);
    removeItem(l.labelList, l);
  }

  /** Files `l` under a new base (its first label stays). */
  rebase(l: OpenLookup, base: string): void {
    removeItem(l.baseList, l);
    l.baseList = listIn((l.lists as ClientLookups).bases, base);
    l.baseList.push(l);
    l.base = base;
  }

  private forgetIdleClients(): void {
    for (const [client, c] of this.byClient) if (c.open === 0) this.byClient.delete(client);
    this.last = null;
    // Clients that all have lookups open are not looked through again before as many more came.
    this.forgetClientsAt = Math.max(FORGET_CLIENTS_AT, 2 * this.byClient.size);
  }
}

/** The list under `key`, filed empty when there is none. */
function listIn(map: Map<string, OpenLookup[]>, key: string): OpenLookup[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}

/** Drops the empty lists (no lookup is filed in them) and the name readings that point at lists. */
function sweepEmptyLists(c: ClientLookups): void {
  for (const [key, list] of c.bases) if (list.length === 0) c.bases.delete(key);
  for (const [key, list] of c.firstLabels) if (list.length === 0) c.firstLabels.delete(key);
  c.names.clear();
}

/** "x.a.com" → "x". */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}
