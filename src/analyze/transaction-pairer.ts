import type { Diagnostics, DnsFlags, DnsMessage, DnsQuestion, DnsRecord, IcmpUnreachable, RetryReason, SectionCounts, Transaction, Transport } from '../model.js';
import {
  ANSWERED_LINGER_US,
  COPY_WINDOW_US,
  DEADLINE_GRACE_US,
  ICMP_LINGER_US,
  MAX_CLIENTS,
  MAX_OPEN_PER_SOCKET_ID,
  MAX_OPEN_TRANSACTIONS,
  NEW_ID_REASK_US,
  PAIR_GAP_US,
  REASK_ATTEMPTS,
  RETRY_MIN_GAP_US,
} from './analysis-limits.js';
import { OpenQueue } from './open-queue.js';
import { askedAgainAfter, mayBeMuslChain } from './rcode-rules.js';
import { NewestByQuestion, PendingQueries, type PendingQuery, type QuestionSlot } from './pending-queries.js';
import { round3 } from './round3.js';

export interface PairingOptions {
  /** A query with no response after this long is unanswered (glibc's default timeout, 5 s). */
  timeoutMs: number;
  /** Bound on open transactions (MAX_OPEN_TRANSACTIONS unless a test wants a small one). */
  maxOpen?: number;
  /**
   * Whether the capture may hold one query twice on its way to two servers: seen on two
   * interfaces, before and after a DNAT. Asked when a query's socket, id and question go to
   * another server within COPY_WINDOW_US; when not (a capture on one interface), that is a second
   * send: musl asks every nameserver at once. Unknown (tcpdump text, a library caller): true.
   */
  copiesAcrossServers?: () => boolean;
}

export interface PairerEvents {
  /** A query opened a transaction. The object is live (the pairer fills it in) until `settled`. */
  opened?(tx: Transaction): void;
  /**
   * The transaction is final: answered and past the linger window, past its deadline, or the
   * capture ended. `retry` is the transaction that retried it (the one `tx.retriedBy` names),
   * still live itself but with its query side final; undefined when none did.
   */
  settled(tx: Transaction, retry: Transaction | undefined): void;
  /** The client sent the query again after `gapUs`; `sends` counts the sends of this question so far. */
  resent?(tx: Transaction, gapUs: number, sends: number): void;
}

/** What the pairer saw besides transactions; the report states these counts. */
export interface PairingStats {
  /** Packets seen twice (`-i any`, DNAT) and counted once. */
  copies: number;
  /** Of those, copies whose destination (or source) was rewritten by DNAT. */
  natCopies: number;
  duplicateResponses: number;
  unsolicitedResponses: number;
  /** Responses from an address their query did not go to, which the client did not take (see Open.held). */
  ignoredResponses: number;
  /** ICMP unreachables that quote no query or response the pairer knows. */
  unmatchedIcmp: number;
  /** Transactions closed early because MAX_OPEN_TRANSACTIONS was reached. */
  evicted: number;
}

interface Open extends PendingQuery {
  /**
   * Where the query is filed by client host and question (to link retries), when it showed its
   * question, until a newer query of the question takes its place or an answer no client retries
   * after comes.
   */
  question: QuestionSlot<Open> | null;
  /**
   * The first transaction of the chain of retries this one belongs to, when it is a retry:
   * latency counts from its query. (A transaction, not a time: a number field would keep its
   * value in a box of its own, one more object to fetch when a settled entry is taken over.)
   */
  chainStart: Transaction | null;
  /** Sends of this question in the chain, retries with new ids included. */
  chainSends: number;
  /**
   * The servers of a chain of tries with new ids (Go's re-asks after SERVFAIL and after a
   * timeout, dig's), its first send's first; null for any other chain. Shared along the chain
   * while no new server joins it.
   */
  newIdServers: string[] | null;
  responseSize: number;
  responseSrc: string;
  /** The transaction that retried this one (tx.retriedBy), handed on with it when it settles. */
  retry: Transaction | undefined;
  /**
   * A response from an address the query was not sent to (nor seen going to after a DNAT), not
   * yet taken as its answer: glibc and musl drop such a response (fixtures/foreign-source.pcap),
   * so only the client's next move tells. Sent again, retried with a new id, or refused by the
   * client's host with an ICMP error (Go's connected sockets, fixtures/go-foreign-source.pcap):
   * the client did not take it, and it is handed on as an `ignored-response`. Neither: the
   * capture saw the reply before its DNAT was undone (a bridge's view), and it is the answer
   * when the transaction settles. The decoder reuses its messages, so the fields are copied.
   */
  held: ResponseFields | null;
}

/** What the pairer reads of a response to answer a query with: a DnsMessage, or what it kept of one. */
type ResponseFields = Pick<DnsMessage, 'src' | 'srcHost' | 'frame' | 'timeUs' | 'rcode' | 'answers' | 'flags' | 'size'> & { counts: Pick<SectionCounts, 'an'> };

/** The capture clock advances in steps; open transactions are swept this often (capture time). */
const SWEEP_INTERVAL_US = 100_000;

/**
 * Entries of settled transactions kept to open new ones with. An entry lives as long as its
 * transaction is open (a second or more), long enough for the collector to copy it twice and
 * promote it; a settled one is referenced by nothing, so the next query takes it over instead.
 */
const MAX_SPARE_ENTRIES = 4096;

/**
 * Pairs queries and responses into Transactions as messages stream in, the way Zeek tracks them:
 * by transport, client endpoint and DNS id, then the server endpoint, checking the question when
 * both sides show it. Answers may come in any order (glibc's A and AAAA share a socket). The same
 * id re-sent on the same socket is a retransmission (glibc after its timeout); the same question
 * sent again from a new socket, with a new id, to the next server or over TCP is a retry, linked
 * to the original. State is bounded: a transaction settles once answered and quiet, or past its
 * deadline, and is handed on through `settled`.
 */
export class TransactionPairer {
  readonly stats: PairingStats = { copies: 0, natCopies: 0, duplicateResponses: 0, unsolicitedResponses: 0, ignoredResponses: 0, unmatchedIcmp: 0, evicted: 0 };
  private readonly pending = new PendingQueries();
  /** The newest open transaction per client host and question, to link retries to. */
  private readonly byQuestion = new NewestByQuestion<Open>();
  /** In query order: the first entry is the oldest, evicted first. */
  private readonly open = new OpenQueue<Open>();
  private readonly spare: Open[] = [];
  /**
   * Client hosts seen sending a question's A and AAAA from two sockets at once, as Go's resolver
   * does (glibc sends them on one; dig one type): such a client tries a query at most
   * REASK_ATTEMPTS times per server, so a query of the question after that is a new lookup's,
   * however much it looks like a third try 5 s after the second (dig's default is three).
   */
  private readonly pairsOnTwoSockets = new Set<string>();
  private readonly timeoutUs: number;
  private readonly maxOpen: number;
  private readonly copiesAcrossServers: () => boolean;
  private clockUs = -Infinity;
  private nextSweepUs = -Infinity;
  /**
   * Made once: a closure made in `advance` would have V8 allocate its context on every call,
   * sweep or not (about 100 bytes a message).
   */
  private readonly settleDue = (o: Open): void => this.settle(o, null);

  constructor(
    opts: PairingOptions,
    private readonly events: PairerEvents,
    private readonly diag?: Diagnostics,
  ) {
    this.timeoutUs = opts.timeoutMs * 1000;
    this.maxOpen = opts.maxOpen ?? MAX_OPEN_TRANSACTIONS;
    this.copiesAcrossServers = opts.copiesAcrossServers ?? (() => true);
  }

  add(m: DnsMessage): void {
    this.advance(m.timeUs);
    if (m.isResponse) this.addResponse(m);
    else this.addQuery(m);
  }

  /** An ICMP unreachable quoting a DNS datagram: a query that found no server, or a response that found the client's socket closed. */
  addIcmp(u: IcmpUnreachable): void {
    this.advance(u.timeUs);
    if (u.dnsId === null) {
      this.stats.unmatchedIcmp++;
      return;
    }
    // Reported by the client's own host about a query holding a response from another address:
    // the client's socket refused that response (Go's are connected, and the kernel hands a
    // connected socket nothing from another address): it was not taken.
    const refused = this.heldFrom(u.transport, u.client, u.dnsId, u.server);
    if (refused !== undefined && u.reporter === refused.tx.clientHost) {
      this.ignore(refused, u.frame);
      return;
    }
    // The quoted datagram went client → server: a query that found nobody listening. One that
    // drew no error yet first: a socket and id used again within the linger (as a node's
    // million queries do now and then) must not give the new query's error to the old one.
    const asQuery = (this.findOpen(u.transport, u.client, u.dnsId, u.server, true) ?? this.findOpen(u.transport, u.client, u.dnsId, u.server)) as Open | undefined;
    if (asQuery && asQuery.tx.responseFrame === null) {
      asQuery.tx.icmpFrame = u.frame;
      asQuery.tx.status = 'unreachable';
      // glibc and dig send again at once: keep it open just long enough for the retry to link to it.
      this.settleAt(asQuery, u.timeUs + ICMP_LINGER_US);
      return;
    }
    // Or server → client: a response to a socket the client had closed (glibc after TC).
    const asResponse = this.findOpen(u.transport, u.server, u.dnsId, u.client);
    if (asResponse) {
      asResponse.tx.icmpFrame = u.frame;
      return;
    }
    this.stats.unmatchedIcmp++;
  }

  /** Moves the capture clock; settles what is past its time. Timestamps going backwards do not move it back. */
  advance(nowUs: number): void {
    if (nowUs > this.clockUs) this.clockUs = nowUs;
    if (this.clockUs < this.nextSweepUs) return;
    this.nextSweepUs = this.clockUs + SWEEP_INTERVAL_US;
    this.open.sweepDue(this.clockUs, this.settleDue);
  }

  /** The capture ended at `captureEndUs`: settles everything still open. */
  finish(captureEndUs: number): void {
    this.open.sweepAll((o) => this.settle(o, captureEndUs));
  }

  private addQuery(m: DnsMessage): void {
    let same: Open | undefined;
    for (let q = this.pending.first(m.transport, m.src, m.id) as Open | null; q !== null; q = this.pending.next(q) as Open | null) {
      if (q.tx.responseFrame === null && q.tx.icmpFrame === null && sameQuestion(q.tx, m)) {
        same = q;
        break;
      }
    }
    // Sent to every nameserver at once (musl): the same socket, id and question to another
    // server at once, where the capture cannot hold the query twice. A transaction of its own,
    // and no retry of the first: nothing failed.
    let parallel = false;
    if (same !== undefined && m.timeUs - (same.tx.lastSendUs as number) <= COPY_WINDOW_US) {
      parallel = m.dst !== same.tx.server && m.dst !== same.tx.natServer && !this.copiesAcrossServers();
      if (!parallel) {
        this.countCopy(same.tx, m.frame, same.tx.server, m.dst);
        return;
      }
    }
    if (same !== undefined && (m.dst === same.tx.server || m.dst === same.tx.natServer)) {
      if (same.held !== null) this.ignore(same);
      const gap = m.timeUs - (same.tx.lastSendUs as number);
      pushFrame(same.tx, 'retransmissionFrames', m.frame);
      same.tx.lastSendUs = m.timeUs;
      same.chainSends++;
      this.settleAt(same, m.timeUs + this.timeoutUs + DEADLINE_GRACE_US);
      this.events.resent?.(same.tx, gap, same.chainSends);
      return;
    }

    const tx = newTransaction(m);
    const question = m.question;
    const slot = question !== null ? this.byQuestion.slot(m.srcHost, question.name) : null;
    const entry = this.spare.length > 0 ? (this.spare.pop() as Open) : newEntry(tx);
    entry.tx = tx;
    entry.transport = m.transport;
    entry.endpoint = m.src;
    entry.id = m.id;
    entry.question = slot;
    entry.chainStart = null;
    entry.chainSends = 1;
    entry.newIdServers = null;
    entry.responseSize = 0;
    entry.responseSrc = '';
    entry.retry = undefined;
    entry.held = null;
    if (slot !== null) this.notePair(slot, (question as DnsQuestion).type, m);
    // The newest for this question from now on; the one it was is what this query may retry.
    const prev = slot !== null ? this.byQuestion.replace(slot, (question as DnsQuestion).type, entry) : undefined;
    let reason: RetryReason | null = null;
    if (prev !== undefined) {
      // No longer the newest of its question: it need not take itself out of the slot when it settles.
      prev.question = null;
      reason = parallel ? null : retryReason(prev, m, this.pairsOnTwoSockets.has(m.srcHost));
    }
    if (prev && reason) {
      tx.retryOf = prev.tx.queryFrame;
      tx.retryReason = reason;
      prev.tx.retriedBy = m.frame;
      prev.retry = tx;
      if (reason === 'truncated') prev.tx.status = 'truncated-retried-tcp';
      entry.chainStart = prev.chainStart ?? prev.tx;
      entry.chainSends = prev.chainSends + 1;
      if ((reason === 'servfail' || reason === 'refused' || reason === 'timeout') && m.id !== prev.tx.id) entry.newIdServers = serversWith(prev, m.dst);
      if (reason === 'timeout') this.events.resent?.(tx, m.timeUs - (prev.tx.lastSendUs as number), entry.chainSends);
    }
    this.pending.add(entry);
    // Settled at its deadline unless answered (see settleAt): the queue keeps the time.
    this.open.add(entry, m.timeUs + this.timeoutUs + DEADLINE_GRACE_US);
    this.events.opened?.(tx);
    if (this.open.size > this.maxOpen) this.evictOldest();
    if (!entry.closed && this.pending.crowdedCount(entry) > MAX_OPEN_PER_SOCKET_ID) {
      this.evictOldestWithId(this.pending.first(m.transport, m.src, m.id) as Open);
    }
  }

  /** Notes `m`'s client as one that sends a pair from two sockets, when the other type of its question left from another socket just before, unanswered. */
  private notePair(slot: QuestionSlot<Open>, type: string, m: DnsMessage): void {
    const other = type === 'A' ? slot.aaaa : type === 'AAAA' ? slot.a : undefined;
    if (other === undefined || other.endpoint === m.src || other.tx.responseFrame !== null || other.tx.retryOf !== null) return;
    if (m.timeUs - (other.tx.queryTimeUs as number) > PAIR_GAP_US || this.pairsOnTwoSockets.has(m.srcHost)) return;
    if (this.pairsOnTwoSockets.size < MAX_CLIENTS) this.pairsOnTwoSockets.add(m.srcHost);
  }

  /** Queries closed early because MAX_OPEN_PER_SOCKET_ID was reached. */
  private evictedWithId = 0;

  private evictOldestWithId(oldest: Open): void {
    if (this.evictedWithId === 0) {
      this.diag?.warn(`more than ${MAX_OPEN_PER_SOCKET_ID} queries with the same id were open on one client socket; the oldest were closed early and may show as unanswered`);
    }
    this.evictedWithId++;
    this.settle(oldest, null);
  }

  private addResponse(m: DnsMessage): void {
    // In order of preference, as far as the question fits (when the response shows one): from the
    // query's server and unanswered; from its server; or unanswered from another address (held:
    // only the client's next move tells whether it took it; see Open.held).
    let fromServerOpen: Open | undefined;
    let fromServer: Open | undefined;
    let open: Open | undefined;
    for (let o = this.pending.first(m.transport, m.dst, m.id) as Open | null; o !== null; o = this.pending.next(o) as Open | null) {
      if (!(m.question === null || sameQuestion(o.tx, m))) continue;
      const server = o.tx.server === m.src || o.tx.natServer === m.src;
      const unanswered = o.tx.responseFrame === null;
      if (server && unanswered) {
        fromServerOpen = o;
        break;
      }
      if (server) fromServer ??= o;
      else if (unanswered) open ??= o;
    }
    let match = fromServerOpen ?? fromServer;
    if (match === undefined && open !== undefined) {
      // From an address the query did not go to: held until the client shows whether it took it
      // (see Open.held), the question shown or not. A second one before that is a duplicate.
      if (open.held === null && open.tx.natServer === null) {
        open.held = { src: m.src, srcHost: m.srcHost, frame: m.frame, timeUs: m.timeUs, rcode: m.rcode, answers: m.answers, counts: { an: m.counts.an }, flags: m.flags, size: m.size };
        return;
      }
      if (open.held !== null) {
        pushFrame(open.tx, 'duplicateResponseFrames', m.frame);
        this.stats.duplicateResponses++;
        return;
      }
      if (m.question !== null) match = open;
    }
    if (!match) {
      this.stats.unsolicitedResponses++;
      this.events.settled(unsolicited(m), undefined);
      return;
    }
    const tx = match.tx;
    if (tx.responseFrame !== null) {
      const isCopy = m.timeUs - (tx.responseTimeUs as number) <= COPY_WINDOW_US && m.size === match.responseSize && m.rcode === tx.rcode;
      if (isCopy) this.countCopy(tx, m.frame, match.responseSrc, m.src);
      else {
        pushFrame(tx, 'duplicateResponseFrames', m.frame);
        this.stats.duplicateResponses++;
      }
      return;
    }
    this.take(match, m);
  }

  /** `r` answers `match`. */
  private take(match: Open, r: ResponseFields): void {
    const tx = match.tx;
    const { timeUs, rcode, flags } = r;
    if (tx.server !== r.src && tx.natServer !== r.src) tx.natServer = r.src;
    tx.responseFrame = r.frame;
    tx.responseTimeUs = timeUs;
    tx.rcode = rcode;
    tx.answers = r.answers;
    tx.answerCount = r.counts.an;
    tx.flags = flags;
    const startUs = (match.chainStart ?? tx).queryTimeUs as number;
    const lastSendUs = tx.lastSendUs as number;
    const latencyMs = round3((timeUs - startUs) / 1000);
    tx.latencyMs = latencyMs;
    // Sent once (most): the same number, and one object for both fields instead of two.
    tx.latencyFromLastMs = lastSendUs === startUs ? latencyMs : round3((timeUs - lastSendUs) / 1000);
    tx.status = tx.retransmissionFrames.length > 0 || tx.retryOf !== null ? 'answered-after-retry' : 'answered';
    // Answered with nothing a client retries after (no TC, no SERVFAIL or REFUSED): no later query
    // is a retry of this one, so it leaves its question's slot now, while the slot is still in the
    // cache from the query, instead of when it settles a second later. The next query of the
    // question then finds no entry to read (it would be long out of the cache), and this one none
    // to take itself out of when it settles.
    if (match.question !== null && !truncatedOverUdp(flags, tx.transport) && !askedAgainAfter(rcode)) {
      this.byQuestion.delete(match.question, tx.type as string, match);
      match.question = null;
    }
    match.responseSize = r.size;
    match.responseSrc = r.src;
    // musl asks a SERVFAIL again a timeout later too, and a REFUSED only then.
    const musl = mayBeMuslChain(rcode, match.chainSends) && match.newIdServers === null;
    this.settleAt(match, timeUs + (musl ? this.timeoutUs + DEADLINE_GRACE_US : ANSWERED_LINGER_US));
  }

  /**
   * The response `o` held was not taken: the client sent the query again after it, or its socket
   * refused it (`icmpFrame`, the ICMP error it drew). Handed on as a transaction of its own.
   */
  private ignore(o: Open, icmpFrame: number | null = null): void {
    const h = o.held as ResponseFields;
    o.held = null;
    this.stats.ignoredResponses++;
    const tx = o.tx;
    // Sent to the query's server; it came from `natServer`, the address the query may have reached after a DNAT.
    const ignored = responseAlone(h, tx.id, tx.client, tx.clientHost, tx.server, tx.serverHost, tx.transport, tx.name, tx.type);
    ignored.status = 'ignored-response';
    ignored.natServer = h.src;
    ignored.icmpFrame = icmpFrame;
    this.events.settled(ignored, undefined);
  }

  /** `o` settles at the first sweep from `us` on. */
  private settleAt(o: Open, us: number): void {
    this.open.setKey(o, us);
  }

  /**
   * The oldest open query with DNS id `id` from `endpoint` sent to `server` (or to where DNAT
   * took it); `unanswered`: the oldest that got neither a response nor an ICMP error.
   */
  private findOpen(transport: Transport, endpoint: string, id: number, server: string, unanswered = false): PendingQuery | undefined {
    for (let o = this.pending.first(transport, endpoint, id); o !== null; o = this.pending.next(o)) {
      if (unanswered && (o.tx.responseFrame !== null || o.tx.icmpFrame !== null)) continue;
      if (o.tx.server === server || o.tx.natServer === server) return o;
    }
    return undefined;
  }

  /**
   * The open query with DNS id `id` from `endpoint` that holds a response (see Open.held), when
   * `server` is where it was sent (the kernel quotes the reply with its DNAT undone, and tcpdump
   * text without -v names the error's destination, the same) or where the held response came
   * from (a server answering from another of its addresses, no NAT between).
   */
  private heldFrom(transport: Transport, endpoint: string, id: number, server: string): Open | undefined {
    for (let o = this.pending.first(transport, endpoint, id) as Open | null; o !== null; o = this.pending.next(o) as Open | null) {
      if (o.held !== null && (o.tx.server === server || o.held.src === server)) return o;
    }
    return undefined;
  }

  /** `firstPeer` is the server side of the first copy, `peer` of this one: they differ across a DNAT. */
  private countCopy(tx: Transaction, frame: number, firstPeer: string, peer: string): void {
    pushFrame(tx, 'copyFrames', frame);
    this.stats.copies++;
    if (peer === firstPeer) return;
    this.stats.natCopies++;
    if (peer !== tx.server) tx.natServer = peer;
  }

  private evictOldest(): void {
    const oldest = this.open.oldest() as Open;
    if (this.stats.evicted === 0) {
      this.diag?.warn(`more than ${this.maxOpen} queries were open at once; the oldest were closed early and may show as unanswered`);
    }
    this.stats.evicted++;
    this.settle(oldest, null);
  }

  /** `captureEndUs` is set when the capture ended with the transaction still open. */
  private settle(o: Open, captureEndUs: number | null): void {
    const held = o.held;
    if (held !== null) {
      // A client that sent the query again, or asked the question again with a new id (Go's
      // sockets are connected: the kernel never hands it such an answer), did not take it.
      if (o.tx.retransmissionFrames.length > 0 || o.tx.retriedBy !== null) this.ignore(o);
      else {
        o.held = null;
        this.take(o, held);
      }
    }
    this.open.close(o);
    this.pending.remove(o);
    const tx = o.tx;
    if (o.question !== null) this.byQuestion.delete(o.question, tx.type as string, o);
    if (tx.responseFrame === null && tx.icmpFrame === null) {
      // A query the client already gave up on (it retried elsewhere) is not cut off by the capture's end.
      const nearEnd = captureEndUs !== null && tx.retriedBy === null && (tx.lastSendUs as number) + this.timeoutUs > captureEndUs;
      tx.status = nearEnd ? 'unanswered-near-capture-end' : 'unanswered';
    }
    const retry = o.retry;
    // Nothing refers to the entry any more: the queue, the id chains and the question slot let
    // go of it above. Its transactions are the sink's now.
    o.question = null;
    o.retry = undefined;
    o.chainStart = null;
    o.newIdServers = null;
    if (this.spare.length < MAX_SPARE_ENTRIES) this.spare.push(o);
    this.events.settled(tx, retry);
  }
}


/**
 * Transactions start with one shared empty list for each of these (most stay empty) and get their
 * own on the first frame: a frozen list cannot be filled by mistake.
 */
const NO_FRAMES: number[] = Object.freeze([]) as unknown as number[];
const NO_RECORDS: DnsRecord[] = Object.freeze([]) as unknown as DnsRecord[];

function pushFrame(tx: Transaction, list: 'retransmissionFrames' | 'duplicateResponseFrames' | 'copyFrames', frame: number): void {
  if (tx[list] === NO_FRAMES) tx[list] = [frame];
  else tx[list].push(frame);
}

/**
 * Why `m` is a retry of the open transaction `prev` for the same question from the same client:
 * glibc re-asks after SERVFAIL with the same id and fails over after ICMP to the next server with
 * the same id; dig re-asks after a timeout with a new id and port; Go's resolver re-asks after
 * SERVFAIL with a new id and port, at once, and after a timeout likewise; all re-ask over TCP
 * after TC. `go`: the client sends its pairs from two sockets, as Go does.
 */
function retryReason(prev: Open, m: DnsMessage, go: boolean): RetryReason | null {
  // (A failover keeps the id; dig's timeout retry takes a new one.)
  const p = prev.tx;
  if (p.responseFrame === null) {
    if (p.icmpFrame !== null) return 'icmp-unreachable';
    // A resolver that resent the query itself (glibc, musl, dig: the same id) asks again with the
    // same id or not at all: a new id after its resend is the application's next lookup; so is
    // one past Go's tries.
    if (m.timeUs - (p.lastSendUs as number) >= RETRY_MIN_GAP_US) {
      if (m.id === p.id) return 'timeout';
      return p.retransmissionFrames.length === 0 && (!go || withinTries(prev, m)) ? 'timeout' : null;
    }
    // The same id to another server at once: glibc failing over after an error it got from the
    // first server (an ICMP unreachable, whether or not the capture shows it).
    return m.id === p.id && m.dst !== p.server && m.dst !== p.natServer ? 'failover' : null;
  }
  if (truncatedOverUdp(p.flags, p.transport) && m.transport === 'tcp') return 'truncated';
  // glibc and musl re-ask after SERVFAIL with the same id (RESOLVERS.md); Go with a new id from a
  // new socket, at once (NEW_ID_REASK_US), each server in turn REASK_ATTEMPTS times, in a chain
  // of such re-asks only. Any other query of the question with a new id is a new lookup: an
  // application asking again once its lookup failed, often at once and before anything else, or
  // another walk of the name that came back to it.
  if (askedAgainAfter(p.rcode)) {
    const reason = p.rcode === 'REFUSED' ? 'refused' : 'servfail';
    if (m.id === p.id) return reason;
    const goChain = prev.chainSends === 1 || prev.newIdServers !== null;
    if (goChain && m.src !== p.client && m.transport === p.transport && m.timeUs - (p.responseTimeUs as number) <= NEW_ID_REASK_US && withinTries(prev, m)) return reason;
  }
  return null;
}

// The answers a client asks again after, which retryReason links and take keeps a transaction
// filed for: one definition each (SERVFAIL and REFUSED: rcode-rules.ts), so that the two cannot disagree.

/** Truncated over UDP: glibc, musl and dig ask again over TCP. */
function truncatedOverUdp(flags: DnsFlags | null, transport: Transport): boolean {
  return flags !== null && flags.tc && transport === 'udp';
}

/** Whether `m` is within Go's tries of the question: REASK_ATTEMPTS sends per server its chain went to. */
function withinTries(prev: Open, m: DnsMessage): boolean {
  return prev.chainSends < REASK_ATTEMPTS * serversWith(prev, m.dst).length;
}

/** The servers of `prev`'s chain of new-id tries with `server` added (the same list when it is there). */
function serversWith(prev: Open, server: string): string[] {
  const servers = prev.newIdServers ?? [prev.tx.server];
  return servers.includes(server) ? servers : [...servers, server];
}

/** An entry for `tx`, filled in by the caller (PendingQueries and OpenQueue set their fields as they file it). */
function newEntry(tx: Transaction): Open {
  return {
    tx,
    closed: false,
    queuePos: -1,
    transport: 'udp',
    endpoint: '',
    id: 0,
    prev: null,
    next: null,
    chain: null,
    question: null,
    chainStart: null,
    chainSends: 1,
    newIdServers: null,
    responseSize: 0,
    responseSrc: '',
    retry: undefined,
    held: null,
  };
}

function sameQuestion(tx: Transaction, m: DnsMessage): boolean {
  if (m.question === null || tx.name === null) return true;
  return m.question.name === tx.name && m.question.type === tx.type;
}

function newTransaction(m: DnsMessage): Transaction {
  return {
    id: m.id,
    client: m.src,
    server: m.dst,
    clientHost: m.srcHost,
    serverHost: m.dstHost,
    transport: m.transport,
    name: m.question?.name ?? null,
    type: m.question?.type ?? null,
    rcode: null,
    latencyMs: null,
    latencyFromLastMs: null,
    queryFrame: m.frame,
    responseFrame: null,
    status: 'unanswered',
    queryTimeUs: m.timeUs,
    responseTimeUs: null,
    lastSendUs: m.timeUs,
    retransmissionFrames: NO_FRAMES,
    duplicateResponseFrames: NO_FRAMES,
    answers: NO_RECORDS,
    answerCount: 0,
    flags: null,
    retryOf: null,
    retryReason: null,
    retriedBy: null,
    icmpFrame: null,
    copyFrames: NO_FRAMES,
    natServer: null,
  };
}

/** A response no open query owns. */
function unsolicited(m: DnsMessage): Transaction {
  return responseAlone(m, m.id, m.dst, m.dstHost, m.src, m.srcHost, m.transport, m.question?.name ?? null, m.question?.type ?? null);
}

/** Response `r` as a transaction of its own, with no query; the same fields in the same order as newTransaction's. */
function responseAlone(
  r: ResponseFields,
  id: number,
  client: string,
  clientHost: string,
  server: string,
  serverHost: string,
  transport: Transport,
  name: string | null,
  type: string | null,
): Transaction {
  return {
    id,
    client,
    server,
    clientHost,
    serverHost,
    transport,
    name,
    type,
    rcode: r.rcode,
    latencyMs: null,
    latencyFromLastMs: null,
    queryFrame: null,
    responseFrame: r.frame,
    status: 'unsolicited-response',
    queryTimeUs: null,
    responseTimeUs: r.timeUs,
    lastSendUs: null,
    retransmissionFrames: NO_FRAMES,
    duplicateResponseFrames: NO_FRAMES,
    answers: r.answers,
    answerCount: r.counts.an,
    flags: r.flags,
    retryOf: null,
    retryReason: null,
    retriedBy: null,
    icmpFrame: null,
    copyFrames: NO_FRAMES,
    natServer: null,
  };
}
