import { hostOf } from '../../src/host-of-endpoint.js';
import type { AttemptTransaction } from '../../src/analyze/attempt-transaction.js';
import type { Lookup, LookupAttempt, Transaction } from '../../src/model.js';
import { linksIn } from '../../src/analyze/feed-whole-lists.js';
import { RESOLVER_FLAGS, transactionWith } from '../transaction-with.js';

/**
 * Transactions and lookups made directly (no capture, no analysis), as many as a test wants, for
 * the report accumulator: glibc-like A+AAAA walks through a search list by 20 client hosts, with
 * now and then each thing a detector looks for (a resend after a lost answer, a silent or a dead
 * nameserver, SERVFAIL, a truncated answer retried over TCP, NODATA on a suffix, an ExternalName
 * hit, a timeout that ended NXDOMAIN, unsolicited and duplicate responses). Names, clients,
 * servers and latencies come from bounded sets, so whatever the length, what a report needs to
 * keep is bounded too.
 */
export interface TrafficOptions {
  lookups: number;
  /** Distinct names as written. */
  names: number;
  /** Each lookup comes this many lookups after its transactions (negative: before them). */
  lookupLag: number;
}

/** Each with its links, as the analysis hands them on (the retry and the attempts come from the lookup's own transactions). */
export type TrafficItem = { tx: Transaction; retry: Transaction | undefined } | { lookup: Lookup; attemptTx: AttemptTransaction };

const SUFFIXES = ['prod.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
const DNS = '10.96.0.10:53';
const SILENT = '10.96.0.99:53';
const DEAD = '10.96.0.98:53';

export function* syntheticTraffic(opts: TrafficOptions): Generator<TrafficItem> {
  const late: TrafficItem[][] = [];
  let frame = 0;
  for (let k = 0; k < opts.lookups; k++) {
    // Frames go by 4: a query's response is the frame after it, an ICMP error the one after that.
    const { txs, lookup } = makeLookup(k, opts.names, () => (frame += 4));
    const links = linksIn(txs);
    const txItems: TrafficItem[] = txs.map((tx) => ({ tx, retry: links.retryOf(tx) }));
    const lookupItems: TrafficItem[] = [{ lookup, attemptTx: links.attemptTx }];
    const now = opts.lookupLag >= 0 ? txItems : lookupItems;
    const later = opts.lookupLag >= 0 ? lookupItems : txItems;
    yield* now;
    late.push(later);
    if (late.length > Math.abs(opts.lookupLag)) yield* late.shift() as TrafficItem[];
  }
  for (const items of late) yield* items;
}

/** Collects a stream into the two lists a whole report holds. */
export function collect(items: Iterable<TrafficItem>): { transactions: Transaction[]; lookups: Lookup[] } {
  const transactions: Transaction[] = [];
  const lookups: Lookup[] = [];
  for (const item of items) {
    if ('tx' in item) transactions.push(item.tx);
    else lookups.push(item.lookup);
  }
  return { transactions, lookups };
}

function makeLookup(k: number, names: number, nextFrame: () => number): { txs: Transaction[]; lookup: Lookup } {
  const startUs = 1_700_000_000_000_000 + k * 20_000;
  const host = `10.1.0.${1 + (k % 20)}`;
  const base = `svc${k % names}.team${(k % names) % 3}`;
  const variant = k % 29;
  // One lookup in 4 is a Service answered on the first suffix; the others walk to the name as written.
  const finalStep = k % 4 === 0 ? 0 : SUFFIXES.length;
  const txs: Transaction[] = [];
  const attempts: LookupAttempt[] = [];
  let t = startUs;
  for (let step = 0; step <= finalStep; step++) {
    const suffix = step < SUFFIXES.length ? SUFFIXES[step] : null;
    const name = suffix ? `${base}.${suffix}` : base;
    const client = `${host}:${32768 + ((k * 5 + step) % 20000)}`;
    const final = step === finalStep;
    for (const type of ['A', 'AAAA']) {
      const q = nextFrame();
      const latencyUs = 50 + ((k * 31 + step * 7 + (type === 'A' ? 0 : 3)) % 950) + (k % 50 === 0 ? 1000 * (k % 20) : 0);
      let rcode: string | null = final ? 'NOERROR' : 'NXDOMAIN';
      if (variant === 5 && step === 0) rcode = 'SERVFAIL';
      if (variant === 7 && step === 0 && !final && type === 'AAAA') rcode = 'NOERROR';
      const tx = transaction(k, client, DNS, name, type, rcode, q, t, latencyUs);
      if (final && rcode === 'NOERROR') tx.answers = [{ name, type, class: 'IN', ttl: 5, data: type === 'A' ? '192.0.2.1' : '2001:db8::1' }];
      tx.answerCount = tx.answers.length;
      txs.push(tx);
      if (variant === 3 && final && type === 'AAAA') resend(tx, nextFrame());
      if (variant === 9 && final && type === 'A') truncate(tx, txs, nextFrame());
      if (variant === 11 && step === 0 && type === 'A') failOver(tx, txs, nextFrame(), SILENT, 'timeout');
      if (variant === 13 && step === 0 && type === 'A') failOver(tx, txs, nextFrame(), DEAD, 'failover');
      if (variant === 15 && step === 1 && type === 'A') lose(tx);
      if (variant === 17 && final) tx.duplicateResponseFrames = [nextFrame()];
      t += latencyUs + 10;
    }
  }
  if (variant === 19) txs.push(unsolicited(k, `${host}:53000`, nextFrame(), t));
  for (const tx of txs) {
    if (tx.queryFrame === null) continue;
    const s = SUFFIXES.find((x) => tx.name?.endsWith(`.${x}`)) ?? null;
    attempts.push({
      name: tx.name as string,
      type: tx.type as string,
      rcode: tx.rcode,
      suffix: s,
      latencyMs: tx.latencyMs,
      offsetMs: Math.round(((tx.queryTimeUs as number) - startUs) / 1000 * 1000) / 1000,
      queryFrame: tx.queryFrame,
      responseFrame: tx.responseFrame,
      wasted: tx.name !== (finalStep === 0 ? `${base}.${SUFFIXES[0]}` : base),
    });
  }
  const queries = txs.filter((x) => x.queryFrame !== null).reduce((n, x) => n + 1 + x.retransmissionFrames.length, 0);
  const wasted = attempts.filter((a) => a.wasted);
  const wastedQueries = wasted.length;
  const elapsedMs = Math.round(t - startUs) / 1000;
  const externalName = variant === 21;
  const misleading = variant === 23;
  const answeredName = misleading ? null : finalStep === 0 ? `${base}.${SUFFIXES[0]}` : base;
  const lookup: Lookup = {
    // A lookup's client is a host, as the lookup builder gives it (its transactions' are endpoints).
    client: host,
    name: base,
    types: misleading ? ['A'] : ['A', 'AAAA'],
    attempts: misleading ? attempts.map((a, i) => (i === 0 ? { ...a, rcode: null } : a)) : attempts,
    queries,
    wastedQueries,
    answeredName,
    suffix: finalStep === 0 ? SUFFIXES[0] : null,
    outcome: misleading ? 'nxdomain' : 'answered',
    kind: externalName ? 'externalname' : wastedQueries > 0 ? 'search-expansion' : 'direct',
    cname: externalName ? `${base}.example.com` : null,
    addresses: misleading ? [] : ['192.0.2.1', '2001:db8::1'],
    elapsedMs,
    wastedMs: wasted.reduce((n, a) => n + (a.latencyMs ?? 0), 0),
    fqdnQueries: 2,
    fqdnMs: finalStep === 0 ? elapsedMs : 0.5,
    firstFrame: txs[0].queryFrame,
    lastFrame: Math.max(...txs.map((x) => x.responseFrame ?? x.queryFrame ?? 0)),
    startUs,
    suffixesTried: SUFFIXES.slice(0, Math.min(finalStep + 1, SUFFIXES.length)),
    retries: queries - new Set(txs.filter((x) => x.queryFrame !== null).map((x) => `${x.name} ${x.type}`)).size,
  };
  return { txs, lookup };
}

function transaction(k: number, client: string, server: string, name: string, type: string, rcode: string | null, q: number, t: number, latencyUs: number): Transaction {
  // The response time from microseconds: t + ms × 1000 need not give the same float.
  return transactionWith({ id: (k * 7 + q) & 0xffff, client, server, name, type, rcode, latencyMs: latencyUs / 1000, queryFrame: q, queryTimeUs: t, responseTimeUs: t + latencyUs, answers: [] });
}

/** The answer was lost and the same query resent 5 s later (the conntrack race). */
function resend(tx: Transaction, frame: number): void {
  tx.retransmissionFrames = [frame];
  tx.lastSendUs = (tx.queryTimeUs as number) + 5_000_000;
  tx.latencyMs = 5000 + (tx.latencyMs as number);
  tx.status = 'answered-after-retry';
}

function lose(tx: Transaction): void {
  Object.assign(tx, { rcode: null, latencyMs: null, latencyFromLastMs: null, responseFrame: null, responseTimeUs: null, status: 'unanswered' });
}

function truncate(tx: Transaction, txs: Transaction[], frame: number): void {
  tx.flags = { ...RESOLVER_FLAGS, tc: true };
  tx.status = 'truncated-retried-tcp';
  tx.retriedBy = frame;
  const tcp = { ...tx, transport: 'tcp' as const, flags: RESOLVER_FLAGS, queryFrame: frame, responseFrame: frame + 1, retryOf: tx.queryFrame, retryReason: 'truncated' as const, retriedBy: null, status: 'answered' as const };
  tcp.queryTimeUs = (tx.responseTimeUs as number) + 100;
  tcp.responseTimeUs = tcp.queryTimeUs + 700;
  tcp.lastSendUs = tcp.queryTimeUs;
  txs.push(tcp);
}

/** The query went to `server` first, which did not answer (silent) or refused it (dead), then to DNS. */
function failOver(tx: Transaction, txs: Transaction[], frame: number, server: string, reason: 'timeout' | 'failover'): void {
  const retry = { ...tx, queryFrame: frame, responseFrame: frame + 1, retryOf: tx.queryFrame, retryReason: reason, status: 'answered-after-retry' as const };
  retry.queryTimeUs = (tx.queryTimeUs as number) + (reason === 'timeout' ? 5_000_000 : 200);
  retry.responseTimeUs = retry.queryTimeUs + 300;
  retry.lastSendUs = retry.queryTimeUs;
  lose(tx);
  Object.assign(tx, { server, serverHost: hostOf(server), retriedBy: frame });
  if (reason === 'failover') Object.assign(tx, { status: 'unreachable', icmpFrame: (tx.queryFrame as number) + 2 });
  txs.push(retry);
}

function unsolicited(k: number, client: string, frame: number, t: number): Transaction {
  return { ...transaction(k, client, DNS, 'stray.example', 'A', 'NOERROR', frame, t, 100), queryFrame: null, responseFrame: frame, queryTimeUs: null, lastSendUs: null, status: 'unsolicited-response' };
}
