import { describe, expect, it } from 'vitest';
import { ReportAccumulator } from '../../src/analyze/report-accumulator.js';
import { RetryJoin } from '../../src/analyze/findings/retry-join.js';
import {
  MAX_JOIN_WINDOW,
  MAX_LATENCY_VALUES,
  MAX_PENDING_RETRIES,
  MAX_REPORT_CLIENTS,
  MAX_REPORT_SERVERS,
  MAX_WALK_CLIENT_PAIRS,
} from '../../src/analyze/report-limits.js';
import type { Lookup, Transaction } from '../../src/model.js';

const FLAGS = { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false };

/** An A query answered in `ms`, its query at frame 2f-1 and `f` ms into the capture. */
function tx(f: number, over: Partial<Transaction> = {}): Transaction {
  const ms = over.latencyMs ?? 0.4;
  return {
    id: f & 0xffff,
    client: '10.0.0.1:40000',
    server: '10.96.0.10:53',
    transport: 'udp',
    name: 'db.prod.svc.cluster.local',
    type: 'A',
    rcode: 'NOERROR',
    latencyMs: ms,
    latencyFromLastMs: ms,
    queryFrame: 2 * f - 1,
    responseFrame: 2 * f,
    status: 'answered',
    queryTimeUs: f * 1000,
    responseTimeUs: f * 1000 + ms * 1000,
    lastSendUs: f * 1000,
    retransmissionFrames: [],
    duplicateResponseFrames: [],
    answers: [],
    answerCount: 1,
    flags: FLAGS,
    retryOf: null,
    retryReason: null,
    retriedBy: null,
    icmpFrame: null,
    copyFrames: [],
    natServer: null,
    ...over,
  };
}

/** A lookup of `name` by `client` made of `txs`. */
function lookup(name: string, client: string, txs: Transaction[]): Lookup {
  return {
    client,
    name,
    types: [...new Set(txs.map((t) => t.type as string))],
    attempts: txs.map((t) => ({ name, type: t.type as string, rcode: t.rcode, suffix: null, latencyMs: t.latencyMs, offsetMs: 0, queryFrame: t.queryFrame, responseFrame: t.responseFrame, wasted: false })),
    queries: txs.reduce((n, t) => n + 1 + t.retransmissionFrames.length, 0),
    wastedQueries: 0,
    answeredName: name,
    suffix: null,
    outcome: 'answered',
    kind: 'direct',
    cname: null,
    addresses: ['192.0.2.7'],
    elapsedMs: 1,
    wastedMs: 0,
    fqdnQueries: 1,
    fqdnMs: 1,
    firstFrame: txs[0].queryFrame,
    lastFrame: txs[txs.length - 1].responseFrame,
    startUs: txs[0].queryTimeUs as number,
    suffixesTried: [],
    retries: txs.reduce((n, t) => n + t.retransmissionFrames.length, 0),
  };
}

describe('the bounds of the report accumulator', () => {
  it(`counts the first MAX_REPORT_CLIENTS (${MAX_REPORT_CLIENTS}) client hosts and warns of the others`, () => {
    const acc = new ReportAccumulator();
    for (let i = 0; i < MAX_REPORT_CLIENTS + 10; i++) acc.transaction(tx(i + 1, { client: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:5353` }));
    const r = acc.finish([], new Map());
    expect(r.aggregates.clients).toBe(MAX_REPORT_CLIENTS);
    expect(r.warnings).toContain(`more than ${MAX_REPORT_CLIENTS} client hosts: the report counts the first ${MAX_REPORT_CLIENTS}`);
  });

  it(`lists the first MAX_REPORT_SERVERS (${MAX_REPORT_SERVERS}) servers in the latency table and warns of the others`, () => {
    const acc = new ReportAccumulator();
    for (let i = 0; i < MAX_REPORT_SERVERS + 3; i++) acc.transaction(tx(i + 1, { server: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:53` }));
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
    for (let i = 1; i <= n; i++) acc.transaction(tx(i, { latencyMs: i / 1000 }));
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
      for (let w = 0; w < walks; w++) acc.lookup(lookup(`name${w}`, `10.1.${c >> 8}.${c & 255}:4000`, [tx(++f, { name: `name${w}` })]));
    }
    const r = acc.finish([], new Map());
    expect(r.aggregates.walkGroups).toHaveLength(walks);
    expect(r.aggregates.walkGroups.reduce((n, g) => n + g.clients, 0)).toBe(MAX_WALK_CLIENT_PAIRS);
    expect(r.warnings).toContain(`more than ${MAX_WALK_CLIENT_PAIRS} walk and client pairs: client counts of the walk table are lower bounds`);
  });

  it(`holds MAX_JOIN_WINDOW (${MAX_JOIN_WINDOW}) transactions for a lookup that comes late, and says which lookups came too late`, () => {
    // The conntrack race: A answered at once, AAAA resent on the same socket 5 s later.
    const raced = (f: number): Transaction[] => [
      tx(f),
      tx(f + 1, { type: 'AAAA', retransmissionFrames: [3 * MAX_JOIN_WINDOW + f], lastSendUs: (f + 1) * 1000 + 5_000_000, status: 'answered-after-retry' }),
    ];
    for (const filler of [MAX_JOIN_WINDOW - 10, MAX_JOIN_WINDOW + 10]) {
      const acc = new ReportAccumulator();
      const pair = raced(1);
      for (const t of pair) acc.transaction(t);
      for (let i = 0; i < filler; i++) acc.transaction(tx(10 + i));
      acc.lookup(lookup('db.prod.svc.cluster.local', '10.0.0.1:40000', pair));
      const r = acc.finish([], new Map());
      const found = r.findings.some((x) => x.kind === 'five-second-delay');
      expect(found).toBe(filler < MAX_JOIN_WINDOW);
      if (!found) expect(r.warnings).toContain('1 lookup could not be checked for the 5-second conntrack race: its transactions came too long before it');
    }
  });

  it(`lets MAX_PENDING_RETRIES (${MAX_PENDING_RETRIES}) transactions wait for their retry, then hands the oldest over without it`, () => {
    const handed: (Transaction | undefined)[] = [];
    const join = new RetryJoin((_t, retry) => handed.push(retry));
    const n = MAX_PENDING_RETRIES + 5;
    for (let i = 1; i <= n; i++) join.see(tx(i, { status: 'unanswered', retriedBy: 2 * (n + i) - 1 }), true);
    expect(join.forced).toBe(5);
    expect(handed).toHaveLength(5);
    for (let i = 1; i <= n; i++) join.see(tx(n + i), false);
    join.finish();
    expect(handed).toHaveLength(n);
    expect(handed.filter((r) => r !== undefined)).toHaveLength(MAX_PENDING_RETRIES);
  });
});
