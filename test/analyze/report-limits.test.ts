import { describe, expect, it } from 'vitest';
import { ReportAccumulator } from '../../src/analyze/report-accumulator.js';
import { linksIn } from '../../src/analyze/feed-whole-lists.js';
import {
  MAX_LATENCY_VALUES,
  MAX_REPORT_CLIENTS,
  MAX_REPORT_SERVERS,
  MAX_WALK_CLIENT_PAIRS,
} from '../../src/analyze/report-limits.js';
import type { Lookup, Transaction } from '../../src/model.js';
import { attemptWith, lookupWith } from '../lookup-with.js';
import { UNANSWERED, transactionWith } from '../transaction-with.js';

/** An A query for db.prod.svc.cluster.local answered in `ms` (0.4 by default), its query at frame 2f-1 and `f` ms into the capture. */
function tx(f: number, over: Partial<Transaction> = {}): Transaction {
  return transactionWith({ id: f & 0xffff, server: '10.96.0.10:53', name: 'db.prod.svc.cluster.local', queryFrame: 2 * f - 1, queryTimeUs: f * 1000, ...over });
}

/** A lookup of `name` by `client` made of `txs`. */
function lookup(name: string, client: string, txs: Transaction[]): Lookup {
  return lookupWith({
    client,
    name,
    attempts: txs.map((t) => attemptWith({ name, type: t.type as string, rcode: t.rcode, latencyMs: t.latencyMs, queryFrame: t.queryFrame, responseFrame: t.responseFrame })),
    queries: txs.reduce((n, t) => n + 1 + t.retransmissionFrames.length, 0),
    elapsedMs: 1,
    firstFrame: txs[0].queryFrame,
    lastFrame: txs[txs.length - 1].responseFrame,
    startUs: txs[0].queryTimeUs as number,
    retries: txs.reduce((n, t) => n + t.retransmissionFrames.length, 0),
  });
}

describe('the bounds of the report accumulator', () => {
  it(`counts the first MAX_REPORT_CLIENTS (${MAX_REPORT_CLIENTS}) client hosts and warns of the others`, () => {
    const acc = new ReportAccumulator();
    for (let i = 0; i < MAX_REPORT_CLIENTS + 10; i++) acc.transaction(tx(i + 1, { client: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:5353` }), undefined);
    const r = acc.finish([], new Map());
    expect(r.aggregates.clients).toBe(MAX_REPORT_CLIENTS);
    expect(r.warnings).toContain(`more than ${MAX_REPORT_CLIENTS} client hosts: the report counts the first ${MAX_REPORT_CLIENTS}`);
  });

  it(`lists the first MAX_REPORT_SERVERS (${MAX_REPORT_SERVERS}) servers in the latency table and warns of the others`, () => {
    const acc = new ReportAccumulator();
    for (let i = 0; i < MAX_REPORT_SERVERS + 3; i++) acc.transaction(tx(i + 1, { server: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:53` }), undefined);
    const r = acc.finish([], new Map());
    expect(r.aggregates.servers).toBe(MAX_REPORT_SERVERS);
    expect(r.aggregates.serverLatency).toHaveLength(MAX_REPORT_SERVERS);
    expect(r.warnings).toContain(`3 transactions to servers past the first ${MAX_REPORT_SERVERS} are not in the server latency table`);
    expect(r.warnings).toContain(`3 answers from servers past the first ${MAX_REPORT_SERVERS} are not in the server-latency finding's percentiles`);
  });

  it(`keeps MAX_LATENCY_VALUES (${MAX_LATENCY_VALUES}) distinct latencies, then gives percentiles to within a few µs and says so`, () => {
    const acc = new ReportAccumulator();
    const n = MAX_LATENCY_VALUES + 1_000;
    // Every latency distinct: 0.001 ms apart.
    for (let i = 1; i <= n; i++) acc.transaction(tx(i, { latencyMs: i / 1000 }), undefined);
    const r = acc.finish([], new Map());
    const row = r.aggregates.serverLatency[0];
    expect(row.answered).toBe(n);
    expect(row.maxMs).toBe(n / 1000);
    // Exact would be the ceil(p/100 × n)-th value; a bucket of 2 µs gives at most 1 µs more.
    for (const [p, got] of [[50, row.p50Ms], [90, row.p90Ms], [99, row.p99Ms]] as const) {
      const exact = Math.ceil((p / 100) * n) / 1000;
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got as number).toBeLessThanOrEqual(exact + 0.001);
    }
    expect(r.warnings).toContain('latency percentiles of 10.96.0.10:53 are to within 2 µs: too many distinct latencies to keep each');
    const finding = r.findings.find((f) => f.kind === 'server-latency');
    expect(finding?.summary).toContain(`10.96.0.10:53: ${n} answered, p50 `);
    expect(finding?.summary).toContain('(to within 2 µs: too many distinct latencies to keep)');
  });

  it(`counts MAX_WALK_CLIENT_PAIRS (${MAX_WALK_CLIENT_PAIRS}) walk and client pairs, then says client counts are lower bounds`, () => {
    const acc = new ReportAccumulator();
    const walks = 100;
    const clientsPerWalk = MAX_WALK_CLIENT_PAIRS / walks + 1;
    let f = 0;
    for (let c = 0; c < clientsPerWalk; c++) {
      for (let w = 0; w < walks; w++) {
        const txs = [tx(++f, { name: `name${w}` })];
        acc.lookup(lookup(`name${w}`, `10.1.${c >> 8}.${c & 255}:4000`, txs), linksIn(txs).attemptTx);
      }
    }
    const r = acc.finish([], new Map());
    expect(r.aggregates.walkGroups).toHaveLength(walks);
    expect(r.aggregates.walkGroups.reduce((n, g) => n + g.clients, 0)).toBe(MAX_WALK_CLIENT_PAIRS);
    expect(r.warnings).toContain(`more than ${MAX_WALK_CLIENT_PAIRS} walk and client pairs: client counts of the walk table are lower bounds`);
  });

  it('finds the conntrack race of a lookup however many transactions completed between it and its own, holding none of them', () => {
    // The A answered at once, the AAAA resent on the same socket 5 s later: the lookup comes with
    // its own transactions, so nothing waits for it.
    const pair = [
      tx(1),
      tx(2, { type: 'AAAA', retransmissionFrames: [1_000_001], lastSendUs: 2000 + 5_000_000, status: 'answered-after-retry' }),
    ];
    const acc = new ReportAccumulator();
    for (const t of pair) acc.transaction(t, undefined);
    for (let i = 0; i < 300_000; i++) acc.transaction(tx(10 + i), undefined);
    const held = acc.retained();
    acc.lookup(lookup('db.prod.svc.cluster.local', '10.0.0.1:40000', pair), linksIn(pair).attemptTx);
    const r = acc.finish([], new Map());
    expect(held).toBeLessThan(1000);
    expect(r.findings.find((x) => x.kind === 'five-second-delay')?.evidence).toEqual([3, 4, 1_000_001]);
    expect(r.warnings).toEqual([]);
  });

  it('judges a lost query by the retry handed on with it: a retry to another server is a failover, not a lost query', () => {
    const lost = tx(1, { ...UNANSWERED, retriedBy: 3 });
    const movedOn = tx(2, { retryOf: 1, retryReason: 'timeout', server: '10.96.0.11:53' });
    const sameServer = tx(2, { retryOf: 1, retryReason: 'timeout' });
    for (const [retry, unanswered] of [[movedOn, false], [sameServer, true]] as const) {
      const acc = new ReportAccumulator();
      acc.transaction(lost, retry);
      const r = acc.finish([], new Map());
      expect(r.findings.some((x) => x.kind === 'unanswered-queries')).toBe(unanswered);
    }
  });
});
