import type { Transaction, Transport } from '../model.js';

/** What the pairer keeps per open transaction, filed by the socket it left from and its DNS id. */
export interface PendingQuery {
  tx: Transaction;
  closed: boolean;
  queuePos: number;
  /** The socket: the transaction's transport and client endpoint, kept here to walk chains without reading it. */
  transport: Transport;
  endpoint: string;
  /** Neighbours in its chain, oldest first; `chain` is null while the chain is its id's in the table. */
  prev: PendingQuery | null;
  next: PendingQuery | null;
  chain: Chain | null;
}

/** Open queries of one socket and id, oldest first. */
interface Chain {
  head: PendingQuery | null;
  tail: PendingQuery | null;
  length: number;
}

/** An id's chain longer than this (many sockets using one id at once) is split by socket. Below MAX_OPEN_PER_SOCKET_ID. */
const CROWDED = 32;
const IDS = 0x10000;

/**
 * Open queries by DNS id, then socket: what a query (to spot a resend or a copy) and a response
 * (to find its query) look up. The id picks a chain in a table, and the chain, a few queries long
 * since resolvers pick ids at random, is walked for the socket; no key is built and no map is
 * hashed. An id many sockets use at once (a crafted capture, mDNS's id 0) gets its queries
 * chained per socket in a map instead, so that no walk ever passes a crowd; so does any id that
 * is no 16-bit number.
 */
export class PendingQueries {
  private readonly heads: (PendingQuery | null)[] = new Array<PendingQuery | null>(IDS).fill(null);
  private readonly tails: (PendingQuery | null)[] = new Array<PendingQuery | null>(IDS).fill(null);
  private readonly lengths = new Uint16Array(IDS);
  private readonly crowded = new Map<number, { udp: Map<string, Chain>; tcp: Map<string, Chain> }>();

  /** The oldest open query with DNS id `id` from `endpoint` over `transport`. */
  first(transport: Transport, endpoint: string, id: number): PendingQuery | null {
    if (id === (id & 0xffff) && !this.isCrowded(id)) return sameSocketFrom(this.heads[id], transport, endpoint);
    return this.crowdedChain(transport, endpoint, id, false)?.head ?? null;
  }

  /** The next open query with `q`'s socket and id. */
  next(q: PendingQuery): PendingQuery | null {
    return sameSocketFrom(q.next, q.transport, q.endpoint);
  }

  /** Open queries with the socket and id of `q` (counted only for a crowded id: a table chain holds fewer than MAX_OPEN_PER_SOCKET_ID). */
  crowdedCount(q: PendingQuery): number {
    return q.chain === null ? 0 : q.chain.length;
  }

  add(q: PendingQuery): void {
    const id = q.tx.id;
    if (id !== (id & 0xffff) || this.isCrowded(id)) {
      append(this.crowdedChain(q.transport, q.endpoint, id, true) as Chain, q);
      return;
    }
    q.chain = null;
    q.next = null;
    q.prev = this.tails[id];
    if (q.prev === null) this.heads[id] = q;
    else q.prev.next = q;
    this.tails[id] = q;
    if (++this.lengths[id] > CROWDED) this.crowd(id);
  }

  remove(q: PendingQuery): void {
    const chain = q.chain;
    if (chain !== null) {
      unchain(chain, q);
      if (chain.length === 0) this.forgetChain(q);
      return;
    }
    const id = q.tx.id;
    if (q.prev === null) this.heads[id] = q.next;
    else q.prev.next = q.next;
    if (q.next === null) this.tails[id] = q.prev;
    else q.next.prev = q.prev;
    q.prev = q.next = null;
    this.lengths[id]--;
  }

  private isCrowded(id: number): boolean {
    return this.crowded.size > 0 && this.crowded.has(id);
  }

  private crowdedChain(transport: Transport, endpoint: string, id: number, create: boolean): Chain | undefined {
    let sockets = this.crowded.get(id);
    if (sockets === undefined) {
      if (!create) return undefined;
      this.crowded.set(id, (sockets = { udp: new Map(), tcp: new Map() }));
    }
    const byEndpoint = transport === 'udp' ? sockets.udp : sockets.tcp;
    let chain = byEndpoint.get(endpoint);
    if (chain === undefined && create) byEndpoint.set(endpoint, (chain = { head: null, tail: null, length: 0 }));
    return chain;
  }

  /** Moves the table chain of `id` into per-socket chains, in order. */
  private crowd(id: number): void {
    let q = this.heads[id];
    this.heads[id] = this.tails[id] = null;
    this.lengths[id] = 0;
    this.crowded.set(id, { udp: new Map(), tcp: new Map() });
    while (q !== null) {
      const next = q.next;
      append(this.crowdedChain(q.transport, q.endpoint, id, true) as Chain, q);
      q = next;
    }
  }

  private forgetChain(q: PendingQuery): void {
    const sockets = this.crowded.get(q.tx.id);
    if (sockets === undefined) return;
    const byEndpoint = q.transport === 'udp' ? sockets.udp : sockets.tcp;
    if (byEndpoint.get(q.endpoint) === q.chain) byEndpoint.delete(q.endpoint);
    // Back to the table once no socket has a query with this id.
    if (sockets.udp.size === 0 && sockets.tcp.size === 0) this.crowded.delete(q.tx.id);
  }
}

function sameSocketFrom(q: PendingQuery | null, transport: Transport, endpoint: string): PendingQuery | null {
  while (q !== null && (q.endpoint !== endpoint || q.transport !== transport)) q = q.next;
  return q;
}

function append(chain: Chain, q: PendingQuery): void {
  q.chain = chain;
  q.next = null;
  q.prev = chain.tail;
  if (chain.tail === null) chain.head = q;
  else chain.tail.next = q;
  chain.tail = q;
  chain.length++;
}

function unchain(chain: Chain, q: PendingQuery): void {
  if (q.prev === null) chain.head = q.next;
  else q.prev.next = q.next;
  if (q.next === null) chain.tail = q.prev;
  else q.next.prev = q.prev;
  q.prev = q.next = null;
  chain.length--;
}

/** The newest open query of each type for one client host and name. */
export interface QuestionSlot<T> {
  a: T | undefined;
  aaaa: T | undefined;
  other: Map<string, T> | null;
  /** Where the slot is filed, to forget it once it holds nothing. */
  names: Map<string, QuestionSlot<T>>;
  host: string;
  name: string;
}

/**
 * The newest open query per client host and question, to link retries to: by host, then name
 * (strings the decoder interns), then type within one slot that a query keeps a reference to, so
 * that neither filing a query nor forgetting it builds a key or looks up more than a name.
 */
export class NewestByQuestion<T> {
  private readonly byHost = new Map<string, Map<string, QuestionSlot<T>>>();
  /** The host asked about last: a client's queries come in runs. */
  private lastHost = '';
  private lastNames: Map<string, QuestionSlot<T>> | null = null;

  /** The slot of `host` and `name`, made empty when there is none. */
  slot(host: string, name: string): QuestionSlot<T> {
    let names = host === this.lastHost ? this.lastNames : null;
    if (names === null) {
      names = this.byHost.get(host) ?? null;
      if (names === null) this.byHost.set(host, (names = new Map()));
      this.lastHost = host;
      this.lastNames = names;
    }
    let slot = names.get(name);
    if (slot === undefined) names.set(name, (slot = { a: undefined, aaaa: undefined, other: null, names, host, name }));
    return slot;
  }

  /** Makes `q` the newest of its type in `slot`; returns the one it replaces. */
  replace(slot: QuestionSlot<T>, type: string, q: T): T | undefined {
    let prev: T | undefined;
    if (type === 'A') {
      prev = slot.a;
      slot.a = q;
    } else if (type === 'AAAA') {
      prev = slot.aaaa;
      slot.aaaa = q;
    } else {
      slot.other ??= new Map();
      prev = slot.other.get(type);
      slot.other.set(type, q);
    }
    return prev;
  }

  /** Forgets `q` if it is the newest of its type in `slot`. */
  delete(slot: QuestionSlot<T>, type: string, q: T): void {
    if (type === 'A') {
      if (slot.a === q) slot.a = undefined;
    } else if (type === 'AAAA') {
      if (slot.aaaa === q) slot.aaaa = undefined;
    } else if (slot.other !== null && slot.other.get(type) === q) {
      slot.other.delete(type);
      if (slot.other.size === 0) slot.other = null;
    }
    if (slot.a !== undefined || slot.aaaa !== undefined || slot.other !== null) return;
    // Filed anew by a later query if this one was forgotten already.
    if (slot.names.get(slot.name) !== slot) return;
    slot.names.delete(slot.name);
    if (slot.names.size === 0 && this.byHost.get(slot.host) === slot.names) {
      this.byHost.delete(slot.host);
      if (this.lastNames === slot.names) this.lastNames = null;
    }
  }
}
