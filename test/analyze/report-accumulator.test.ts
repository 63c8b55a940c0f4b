import { describe, expect, it } from 'vitest';
import { ReportAccumulator } from '../../src/analyze/report-accumulator.js';
import { feedWholeLists, linksIn } from '../../src/analyze/feed-whole-lists.js';
import type { Lookup, Report } from '../../src/model.js';
import { generateCapture } from '../../scripts/bench/generate-capture.js';
import { createPrng } from '../../scripts/bench/create-prng.js';
import { analyzeBytes } from '../helpers.js';
import { lookupWith } from '../lookup-with.js';
import { realCaptures, realTexts } from '../robustness/real-inputs.js';
import { buildAggregates as buildAggregatesWhole } from './oracle/build-aggregates.js';
import { detectFindings as detectFindingsWhole } from './oracle/findings/detectors.js';

/**
 * The accumulator, fed one transaction and one lookup at a time, must say exactly what the
 * whole-list code said before it (kept in ./oracle/ as the reference), however the two streams
 * are interleaved; and so must the report the streamed analysis made, which handed each record
 * on with its links as it completed.
 */

type Feed = (r: Pick<Report, 'transactions' | 'lookups'>, acc: ReportAccumulator) => void;

const FEEDS: Record<string, Feed> = {
  'transactions first (feedWholeLists)': (r, acc) => feedWholeLists(r.transactions, r.lookups, { transaction: (t, retry) => acc.transaction(t, retry), lookup: (l, _i, attemptTx) => acc.lookup(l, attemptTx) }),
  'lookups first': (r, acc) => {
    const links = linksIn(r.transactions);
    for (const l of r.lookups) acc.lookup(l, links.attemptTx);
    for (const t of r.transactions) acc.transaction(t, links.retryOf(t));
  },
  'randomly interleaved': (r, acc) => {
    const links = linksIn(r.transactions);
    const prng = createPrng(r.transactions.length * 7919 + r.lookups.length);
    let i = 0;
    let j = 0;
    while (i < r.transactions.length || j < r.lookups.length) {
      if (j >= r.lookups.length || (i < r.transactions.length && prng.chance(0.5))) {
        const t = r.transactions[i++];
        acc.transaction(t, links.retryOf(t));
      } else acc.lookup(r.lookups[j++], links.attemptTx);
    }
  },
};

function countByCode(r: Report): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of r.anomalies) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
  return counts;
}

function expectSameAsWholeLists(r: Report): void {
  const findings = detectFindingsWhole(r);
  const aggregates = buildAggregatesWhole(r.transactions, r.lookups, countByCode(r));
  expect(r.findings, 'findings of the streamed analysis').toEqual(findings);
  expect(r.aggregates, 'aggregates of the streamed analysis').toEqual(aggregates);
  for (const [how, feed] of Object.entries(FEEDS)) {
    const acc = new ReportAccumulator();
    feed(r, acc);
    const out = acc.finish(r.resolvers, countByCode(r));
    expect(out.findings, `findings, ${how}`).toEqual(findings);
    expect(out.aggregates, `aggregates, ${how}`).toEqual(aggregates);
    expect(out.warnings, `warnings, ${how}`).toEqual([]);
  }
}

describe('the report accumulator gives what the whole lists gave', () => {
  const inputs = [...realCaptures(), ...realTexts()];
  for (const input of inputs) {
    it(`on ${input.name}`, async () => {
      let r: Report;
      try {
        r = await analyzeBytes(input.bytes, {}, input.name);
      } catch (e) {
        if ((e as Error).name === 'InputError') return;
        throw e;
      }
      expectSameAsWholeLists(r);
    });
  }

  it('on a generated capture of 40,000 messages with lost answers resent after 5 s', async () => {
    const { chunks } = generateCapture({ messages: 40_000 });
    const r = await analyzeBytes(Buffer.concat([...chunks]));
    expect(r.findings.map((f) => f.kind)).toContain('five-second-delay');
    expectSameAsWholeLists(r);
  });
});

describe('the report accumulator on a stream', () => {
  it('numbers lookups in the order given and keeps only the lookups the tables show', () => {
    const acc = new ReportAccumulator();
    const lookups = Array.from({ length: 50 }, (_, i) => lookup(`name${i % 5}.example`, i, i === 17 ? 900 : 1 + (i % 3)));
    for (const l of lookups) acc.lookup(l, () => undefined);
    const { aggregates } = acc.finish([], new Map());
    expect(aggregates.slowestLookups[0].lookup).toBe(17);
    for (const { index, lookup: l } of aggregates.shownLookups) expect(l).toBe(lookups[index]);
  });
});

/** A lookup of `name` answered at once, `ms` long, starting `i` seconds in. */
function lookup(name: string, i: number, ms: number): Lookup {
  return lookupWith({ client: `10.0.0.${1 + (i % 3)}:${40000 + i}`, name, elapsedMs: ms, firstFrame: 2 * i + 1, lastFrame: 2 * i + 2, startUs: i * 1_000_000 });
}
