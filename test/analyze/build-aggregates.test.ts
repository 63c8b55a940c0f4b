import { describe, expect, it } from 'vitest';
import { buildAggregates } from '../../src/analyze/build-aggregates.js';
import { pickNearestRank, summarizeServerLatency } from '../../src/analyze/summarize-server-latency.js';
import type { Transaction } from '../../src/model.js';
import { analyzeText } from '../helpers.js';
import { lookupWith } from '../lookup-with.js';
import { UNANSWERED, transactionWith } from '../transaction-with.js';

/** An A query to `server` at `frame`, answered in `latencyMs`, or unanswered for null. */
function tx(server: string, latencyMs: number | null, frame: number): Transaction {
  return transactionWith({ ...(latencyMs === null ? UNANSWERED : { latencyMs }), server, queryFrame: frame });
}

describe('per-server latency percentiles', () => {
  it('takes the nearest rank: p50 of 1..10 is 5, p90 is 9, p99 is 10', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([pickNearestRank(sorted, 50), pickNearestRank(sorted, 90), pickNearestRank(sorted, 99)]).toEqual([5, 9, 10]);
    expect(pickNearestRank([], 50)).toBeNull();
  });

  it('counts unanswered queries per server without letting them into the percentiles', () => {
    const txs = [...[4, 1, 3, 2].map((ms, i) => tx('10.96.0.10:53', ms, i * 2 + 1)), tx('10.96.0.10:53', null, 20), tx('10.96.0.11:53', 5000, 30)];
    expect(summarizeServerLatency(txs)).toEqual([
      { server: '10.96.0.10:53', transactions: 5, answered: 4, unanswered: 1, p50Ms: 2, p90Ms: 4, p99Ms: 4, maxMs: 4 },
      { server: '10.96.0.11:53', transactions: 1, answered: 1, unanswered: 0, p50Ms: 5000, p90Ms: 5000, p99Ms: 5000, maxMs: 5000 },
    ]);
  });
});

describe('report aggregates', () => {
  it('groups two identical walks of one name into one group of 2 lookups with 8 wasted queries', async () => {
    const walk = (t: number, port: number, id: number) =>
      ['test.svc.cluster.local.', 'svc.cluster.local.', 'cluster.local.', 'us-east-2.compute.internal.', '']
        .flatMap((suffix, i) => {
          const s = `08:00:${String(t).padStart(2, '0')}.${String(i * 2000).padStart(6, '0')}`;
          const r = `08:00:${String(t).padStart(2, '0')}.${String(i * 2000 + 500).padStart(6, '0')}`;
          const q = `blog.mosuke.tech.${suffix}`;
          return [
            `${s} IP debug.${port + i} > dns.53: ${id + i}+ A? ${q} (50)`,
            suffix ? `${r} IP dns.53 > debug.${port + i}: ${id + i} NXDomain* 0/1/0 (90)` : `${r} IP dns.53 > debug.${port + i}: ${id + i}* 1/0/0 A 172.67.165.72 (80)`,
          ];
        })
        .join('\n');
    const r = await analyzeText(`${walk(10, 40000, 100)}\n${walk(20, 41000, 200)}\n`);
    expect(r.lookups).toHaveLength(2);
    const a = buildAggregates(r.transactions, r.lookups, new Map([['x-bad', 2], ['a-odd', 1]]));
    expect(a.walkGroups).toHaveLength(1);
    expect(a.walkGroups[0]).toMatchObject({ name: 'blog.mosuke.tech', lookups: 2, clients: 1, queries: 10, wastedQueries: 8, maxMs: 8.5, totalMs: 17 });
    expect(a.wastedNames).toEqual([{ name: 'blog.mosuke.tech', lookups: 2, queries: 10, wastedQueries: 8, wastedMs: 16 }]);
    expect(a.anomalyCounts).toEqual([{ code: 'x-bad', count: 2 }, { code: 'a-odd', count: 1 }]);
    expect(a.slowestLookups[0].offsetsMs).toEqual([0, 2, 4, 6, 8]);
    expect([a.clients, a.servers]).toEqual([1, 1]);
  });

  it('counts IPv6 clients of one walk apart: fd00::1 and fd00::2 are two clients, not one "fd00:"', () => {
    const lookups = ['fd00::1', 'fd00::2', 'fd00::3', '10.0.0.1'].map((client) => lookupWith({ client }));
    const a = buildAggregates([], lookups, new Map());
    expect(a.walkGroups).toHaveLength(1);
    expect(a.walkGroups[0]).toMatchObject({ lookups: 4, clients: 4 });
  });
});
