import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCapture } from '../../scripts/bench/generate-capture.js';
import { DnsAnalyzer } from '../../src/analyze/dns-analyzer.js';
import { InOrderRelease, MAX_HELD_LOOKUPS, MAX_HELD_TRANSACTIONS } from '../../src/analyze/in-order-release.js';
import type { Lookup, Transaction } from '../../src/model.js';
import { decodeChunks } from '../decode/decode-helpers.js';

interface Item {
  key: number;
  tie: number;
  /** Order of completion: what breaks ties of key and tie. */
  closed: number;
}

const byReportOrder = (a: Item, b: Item) => a.key - b.key || a.tie - b.tie || a.closed - b.closed;

/**
 * Items open in key order (as queries open in frame order) and complete in any order; after each
 * step the bound is the smallest key still open or yet to open, as DnsAnalyzer computes it.
 * `plan[i]` is how many steps item i stays open; `ties` its tie-breaker.
 */
function runInterleaving(keys: number[], plan: number[], ties: number[], cap = Infinity) {
  const out: Item[] = [];
  const release = new InOrderRelease<Item>((it) => out.push(it), cap);
  const open = new Map<number, number>();
  let closed = 0;
  let maxHeld = 0;
  for (let step = 0, next = 0; next < keys.length || open.size > 0; step++) {
    if (next < keys.length) open.set(next, step + plan[next]), next++;
    for (const [i, at] of [...open]) {
      if (at > step && next < keys.length) continue;
      open.delete(i);
      release.hold({ key: keys[i], tie: ties[i], closed: closed++ }, keys[i], ties[i]);
    }
    const bound = Math.min(...[...open.keys()].map((i) => keys[i]), next < keys.length ? keys[next] : Infinity);
    release.releaseBelow(bound);
    maxHeld = Math.max(maxHeld, release.size);
  }
  release.releaseAll();
  return { out, release, maxHeld };
}

/** Non-decreasing keys with repeats (a TCP segment of two messages, two lookups started in one microsecond). */
const interleavings = fc
  .array(fc.record({ step: fc.integer({ min: 0, max: 3 }), open: fc.integer({ min: 0, max: 40 }), tie: fc.integer({ min: 0, max: 3 }) }), { maxLength: 200 })
  .map((xs) => {
    let key = 0;
    return { keys: xs.map((x) => (key += x.step)), plan: xs.map((x) => x.open), ties: xs.map((x) => x.tie) };
  });

describe('InOrderRelease', () => {
  it('releases every item, in (key, tie, completion) order, whatever order they complete in', () => {
    fc.assert(
      fc.property(interleavings, ({ keys, plan, ties }) => {
        const { out, release } = runInterleaving(keys, plan, ties);
        expect(out).toHaveLength(keys.length);
        expect(out).toEqual([...out].sort(byReportOrder));
        expect([release.outOfOrder, release.forced, release.size]).toEqual([0, 0, 0]);
      }),
      { numRuns: 300 },
    );
  });

  it('holds only what waits behind something still open', () => {
    // Item 0 stays open 50 steps; the 49 opened meanwhile complete at once and wait for it.
    const keys = Array.from({ length: 100 }, (_, i) => i);
    const plan = keys.map((i) => (i === 0 ? 50 : 0));
    const { out, maxHeld } = runInterleaving(keys, plan, keys.map(() => 0));
    expect(out.map((o) => o.key)).toEqual(keys);
    expect(maxHeld).toBe(49);
  });

  it('never holds more than its cap: past it the first waiting goes out early, and the order is counted as approximate', () => {
    fc.assert(
      fc.property(interleavings, fc.integer({ min: 1, max: 20 }), ({ keys, plan, ties }, cap) => {
        const { out, release, maxHeld } = runInterleaving(keys, plan, ties, cap);
        expect(maxHeld).toBeLessThanOrEqual(cap);
        expect(out).toHaveLength(keys.length);
        // Whatever went out early, everything is there once, and any disorder is counted.
        expect(new Set(out).size).toBe(keys.length);
        const sorted = out.every((o, i) => i === 0 || out[i - 1].key < o.key || (out[i - 1].key === o.key && out[i - 1].tie <= o.tie));
        if (release.forced === 0) expect(sorted).toBe(true);
        expect(release.outOfOrder > 0).toBe(!sorted);
      }),
      { numRuns: 300 },
    );
  });

  it('gives everything, counted out of order, when keys go backwards (a clock stepping back)', () => {
    const out: number[] = [];
    const release = new InOrderRelease<number>((k) => out.push(k), 100);
    for (const k of [10, 20, 30]) release.hold(k, k, 0);
    release.releaseBelow(25);
    release.hold(5, 5, 0);
    release.releaseAll();
    expect(out).toEqual([10, 20, 5, 30]);
    expect(release.outOfOrder).toBe(1);
  });
});

describe('DnsAnalyzer hands on transactions and lookups in report order as they complete', () => {
  it(`on 20,000 generated messages: sorted, complete, holding only what waits (far below the caps of ${MAX_HELD_TRANSACTIONS} and ${MAX_HELD_LOOKUPS}), and nothing at the end`, async () => {
    const { chunks } = generateCapture({ messages: 20_000 });
    const { messages } = await decodeChunks((async function* () { yield* chunks; })());
    const txs: Transaction[] = [];
    const lookups: Lookup[] = [];
    const analyzer = new DnsAnalyzer({ timeoutMs: 5000, resolver: {} }, undefined, { transaction: (t) => txs.push(t), lookup: (l) => lookups.push(l) });
    let maxHeld = 0;
    let released = 0;
    for (const m of messages) {
      analyzer.add(m);
      const held = analyzer.held();
      maxHeld = Math.max(maxHeld, held.transactions);
      released = txs.length;
    }
    // The capture spans 5.6 s and a query lost in its first seconds holds back what follows it
    // for 6 s (glibc's 5 s timeout, then the resend's answer): still, a third went out while the
    // capture was being read, and about 6200 of the 10,000 at most waited at once.
    expect(released).toBeGreaterThan(3000);
    expect(maxHeld).toBeLessThan(7000);
    const result = analyzer.finish(messages[messages.length - 1].timeUs);
    expect(analyzer.held()).toEqual({ transactions: 0, lookups: 0 });
    // With a sink, nothing is kept for the result.
    expect([result.transactions, result.lookups]).toEqual([[], []]);
    expect(txs).toHaveLength(10_000);
    expect(lookups).toHaveLength(1455);
    const first = (t: Transaction) => t.queryFrame ?? t.responseFrame ?? 0;
    expect(txs.every((t, i) => i === 0 || first(txs[i - 1]) <= first(t))).toBe(true);
    expect(lookups.every((l, i) => i === 0 || lookups[i - 1].startUs < l.startUs || (lookups[i - 1].startUs === l.startUs && (lookups[i - 1].firstFrame ?? 0) <= (l.firstFrame ?? 0)))).toBe(true);
  });
});
