import type { Transaction, Transport } from '../model.js';

/** What the pairer keeps per open transaction, filed by the socket it left from and its DNS id. */
export interface PendingQuery {
  tx: Transaction;
  closed: boolean;
  queuePos: number;
  /** The socket and DNS id: the transaction's transport, client endpoint and id, kept here to walk chains without reading it. */
  transport: Transport;
  endpoint: string;
  id: number;
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
  /** The oldest open query of each id; the rest follow by `next` (a chain is short: its tail is walked to). */
  private readonly heads: (PendingQuery | null)[] = new Array<PendingQuery | null>(IDS).fill(null);
  /**
   * One bit per id, set while its table chain is not empty. Most ids have no open query (a
   * resolver picks them at random), and the bits (8 KB) stay in the cache where the heads (an
   * object pointer each) do not: a query of an id nobody uses reads no head.
   */
  private readonly used = new Int32Array(IDS >>> 5);
  private readonly crowded = new Map<number, { udp: Map<string, Chain>; tcp: Map<string, Chain> }>();

  /** The oldest open query with DNS id `id` from `endpoint` over `transport`. */
  first(transport: Transport, endpoint: string, id: number): PendingQuery | null {
    if (id === (id & 0xffff) && !this.isCrowded(id)) {
      return (this.used[id >>> 5] & (1 << (id & 31))) === 0 ? null : sameSocketFrom(this.heads[id], transport, endpoint);
    }
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
    const id = q.id;
    if (id !== (id & 0xffff) || this.isCrowded(id)) {
      append(this.crowdedChain(q.transport, q.endpoint, id, true) as Chain, q);
      return;
    }
    q.chain = null;
    q.next = null;
    if ((this.used[id >>> 5] & (1 << (id & 31))) === 0) {
      q.prev = null;
      this.heads[id] = q;
      this.used[id >>> 5] |= 1 << (id & 31);
      return;
    }
    let tail = this.heads[id] as PendingQuery;
    let length = 2;
    while (tail.next !== null) {
      tail = tail.next;
      length++;
    }
    q.prev = tail;
    tail.next = q;
    if (length > CROWDED) this.crowd(id);
  }

  remove(q: PendingQuery): void {
    const chain = q.chain;
    if (chain !== null) {
      unchain(chain, q);
      if (chain.length === 0) this.forgetChain(q);
      return;
    }
    if (q.prev === null) {
      this.heads[q.id] = q.next;
      if (q.next === null) this.used[q.id >>> 5] &= ~(1 << (q.id & 31));
    } else q.prev.next = q.next;
    if (q.next !== null) q.next.prev = q.prev;
    q.prev = q.next = null;
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
    this.heads[id] = null;
    this.used[id >>> 5] &= ~(1 << (id & 31));
    this.crowded.set(id, { udp: new Map(), tcp: new Map() });
    while (q !== null) {
      const next = q.next;
      append(this.crowdedChain(q.transport, q.endpoint, id, true) as Chain, q);
      q = next;
    }
  }

  private forgetChain(q: PendingQuery): void {
    const sockets = this.crowded.get(q.id);
    if (sockets === undefined) return;
    const byEndpoint = q.transport === 'udp' ? sockets.udp : sockets.tcp;
    if (byEndpoint.get(q.endpoint) === q.chain) byEndpoint.delete(q.endpoint);
    // Back to the table once no socket has a query with this id.
    if (sockets.udp.size === 0 && sockets.tcp.size === 0) this.crowded.delete(q.id);
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
  /** Asked for since the last sweep of its host's slots: an empty slot in use is kept. */
  used: boolean;
}

/** One host's slots by name, and when to look for empty ones next. */
interface HostSlots {
  names: Map<string, QuestionSlot<unknown>>;
  sweepAt: number;
}

/** Past this many slots a host's empty ones are dropped, then past twice those left: empty slots stay few. */
const SWEEP_SLOTS_AT = 64;
/** Past this many hosts those without an open query are dropped, then past twice those left. */
const SWEEP_HOSTS_AT = 1024;

/**
 * The newest open query per client host and question, to link retries to: by host, then name
 * (strings the decoder interns), then type within a slot the query keeps, so that filing a query
 * costs two map look-ups and forgetting it none. A slot stays when it empties, ready for the
 * host's next query of the name, until a sweep finds it empty and not asked for since the sweep
 * before (a query answered leaves its slot at once, so most slots in use are empty most of the
 * time: dropping those would make them again and again).
 */
export class NewestByQuestion<T> {
  private readonly byHost = new Map<string, HostSlots>();
  private hostsSweepAt = SWEEP_HOSTS_AT;
  /** The host asked about last: a client's queries come in runs. */
  private lastHost = '';
  private last: HostSlots | null = null;

  /** The slot of `host` and `name`, made empty when there is none. */
  slot(host: string, name: string): QuestionSlot<T> {
    let h = host === this.lastHost ? this.last : null;
    if (h === null) {
      h = this.byHost.get(host) ?? null;
      if (h === null) {
        if (this.byHost.size >= this.hostsSweepAt) this.sweepHosts();
        this.byHost.set(host, (h = { names: new Map(), sweepAt: SWEEP_SLOTS_AT }));
      }
      this.lastHost = host;
      this.last = h;
    }
    let slot = h.names.get(name) as QuestionSlot<T> | undefined;
    if (slot === undefined) {
      if (h.names.size >= h.sweepAt) sweepSlots(h);
      h.names.set(name, (slot = { a: undefined, aaaa: undefined, other: null, used: true }));
    } else slot.used = true;
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
  }

  /** Drops hosts whose slots are all empty. */
  private sweepHosts(): void {
    this.byHost.forEach((h, host) => {
      sweepSlots(h);
      if (h.names.size === 0) this.byHost.delete(host);
    });
    this.last = null;
    this.hostsSweepAt = Math.max(SWEEP_HOSTS_AT, 2 * this.byHost.size);
  }
}

/** Drops the empty slots not asked for since the last sweep. (forEach: a for-of would make an array per entry.) */
function sweepSlots(h: HostSlots): void {
  const names = h.names;
  names.forEach((slot, name) => {
    if (slot.used) slot.used = false;
    else if (slot.a === undefined && slot.aaaa === undefined && slot.other === null) names.delete(name);
  });
  h.sweepAt = Math.max(SWEEP_SLOTS_AT, 2 * names.size);
}
