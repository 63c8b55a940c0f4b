import { describe, expect, it } from 'vitest';
import { ReportAccumulator } from '../../src/analyze/report-accumulator.js';
import { MAX_FINDINGS_PER_KIND, MAX_REPORT_NAMES, MAX_WALK_GROUPS } from '../../src/analyze/report-limits.js';
import { buildAggregates as buildAggregatesWhole } from './oracle/build-aggregates.js';
import { detectFindings as detectFindingsWhole } from './oracle/findings/detectors.js';
import { type TrafficItem, type TrafficOptions, collect, syntheticTraffic } from './synthetic-traffic.js';

/** Feeds the stream; returns the accumulator and what it held after every 1000 items. */
function feed(items: Iterable<TrafficItem>): { acc: ReportAccumulator; held: number[]; transactions: number } {
  const acc = new ReportAccumulator();
  const held: number[] = [];
  let n = 0;
  let transactions = 0;
  for (const item of items) {
    if ('tx' in item) {
      acc.transaction(item.tx, item.retry);
      transactions++;
    } else acc.lookup(item.lookup, item.attemptTx);
    if (++n % 1000 === 0) held.push(acc.retained());
  }
  return { acc, held, transactions };
}

describe('the report accumulator holds a bounded state', () => {
  for (const lookupLag of [40, -40]) {
    const how = lookupLag > 0 ? 'lookups come after their transactions' : 'lookups come before their transactions';
    it(`on 300,000 transactions of 40 names where ${how}`, () => {
      const { acc, held, transactions } = feed(syntheticTraffic({ lookups: 47_000, names: 40, lookupLag }));
      expect(transactions).toBeGreaterThan(300_000);
      const firstHalf = Math.max(...held.slice(0, held.length / 2));
      const secondHalf = Math.max(...held.slice(held.length / 2));
      // Saturated after the first few thousand lookups (distinct latencies, walks, names, evidence
      // frames): the second half of the stream holds no more than the first (but for the few
      // transactions waiting for their lookup), and far less than it was given.
      expect(secondHalf).toBeLessThanOrEqual(firstHalf * 1.02);
      expect(secondHalf).toBeLessThan(10_000);
      const r = acc.finish([], new Map());
      expect(r.warnings).toEqual([]);
      expect(new Set(r.findings.map((f) => f.kind))).toEqual(
        new Set([
          'search-path-waste',
          'search-path-waste-total',
          'five-second-delay',
          'misleading-nxdomain',
          'dead-nameserver',
          'silent-nameserver',
          'externalname-caveat',
          'unanswered-queries',
          'servfail',
          'truncated-tcp',
          'nodata-midwalk',
          'unexpected-responses',
          'server-latency',
        ]),
      );
      const misleading = r.findings.filter((f) => f.kind === 'misleading-nxdomain');
      expect(misleading).toHaveLength(MAX_FINDINGS_PER_KIND);
      expect(misleading.filter((f) => / more lookups ended NXDOMAIN after a timeout or SERVFAIL and are not listed/.test(f.summary))).toHaveLength(1);
      expect(r.aggregates.shownLookups.length).toBeLessThanOrEqual(r.aggregates.walkGroups.length + 12);
    });
  }

  it('says what it left out past its bounds on names and walks', () => {
    // Odd, so that every name is asked once with a walk (one lookup in 4 is answered on its first suffix).
    const names = MAX_REPORT_NAMES + 2_001;
    const { acc } = feed(syntheticTraffic({ lookups: 2 * names, names, lookupLag: 10 }));
    const r = acc.finish([], new Map());
    expect(r.aggregates.wastedNames).toHaveLength(MAX_REPORT_NAMES);
    expect(r.aggregates.walkGroups).toHaveLength(MAX_WALK_GROUPS);
    expect(r.warnings.some((w) => /walked lookups of names past the first 10000 are not in the wasted-names table/.test(w))).toBe(true);
    expect(r.warnings.some((w) => /distinct walks are not in the walk table/.test(w))).toBe(true);
    const total = r.findings.find((f) => f.kind === 'search-path-waste-total');
    expect(total?.summary).toMatch(/\(more than 10000 names\) walked the search list: .* of names past the first 10000 count in this total but have no finding of their own\.$/);
    expect(r.findings.filter((f) => f.kind === 'search-path-waste')).toHaveLength(MAX_REPORT_NAMES);
  });
});

describe('the report accumulator on synthetic traffic gives what the whole lists gave', () => {
  for (const lookupLag of [0, 25, -25]) {
    it(`with each lookup ${lookupLag} lookups after its transactions`, () => {
      const opts: TrafficOptions = { lookups: 2_500, names: 40, lookupLag };
      const whole = collect(syntheticTraffic(opts));
      const { acc } = feed(syntheticTraffic(opts));
      const r = acc.finish([], new Map([['x', 1]]));
      expect(r.findings).toEqual(detectFindingsWhole({ ...whole, resolvers: [] }));
      expect(r.aggregates).toEqual(buildAggregatesWhole(whole.transactions, whole.lookups, new Map([['x', 1]])));
    });
  }
});
