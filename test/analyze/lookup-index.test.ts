import { describe, expect, it } from 'vitest';
import { LookupIndex, type LookupList, SKIP_A, SKIP_AAAA, SKIP_ANSWERED, entryCount, lookupAt, skipAt } from '../../src/analyze/lookup-index.js';
import { NameDecompositions } from '../../src/analyze/name-decompositions.js';
import { type OpenLookup, newOpenLookup } from '../../src/analyze/open-lookup.js';

/** What a list's counts and scan start must say of its numbers, recomputed from them. */
function expectCountsAgree(list: LookupList): void {
  const skips = Array.from({ length: entryCount(list) }, (_, k) => skipAt(list, k));
  expect(list.takeA).toBe(skips.filter((s) => (s & SKIP_A) === 0).length);
  expect(list.takeAaaa).toBe(skips.filter((s) => (s & SKIP_AAAA) === 0).length);
  expect(list.unskipped).toBe(skips.filter((s) => s === 0).length);
  // Every entry before scanFrom takes neither A nor AAAA.
  expect(list.scanFrom).toBeLessThanOrEqual(skips.length);
  for (let k = 0; k < list.scanFrom; k++) expect(skips[k] & (SKIP_A | SKIP_AAAA)).toBe(SKIP_A | SKIP_AAAA);
}

describe('LookupIndex', () => {
  it('keeps each list’s counts and scan start right through filing, marking, unmarking and removal', () => {
    const index = new LookupIndex(new NameDecompositions());
    const c = index.ofClient('10.0.0.5');
    const lists = index.listsFor(c, 'x', []);
    const base = lists.bases[0];
    const label = lists.firstLabel;
    const open: OpenLookup[] = [];
    // A fixed pseudo-random walk through the operations (a linear congruential generator).
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 3000; step++) {
      const op = open.length === 0 ? 0 : next(5);
      if (op === 0) {
        const l = newOpenLookup('10.0.0.5', 'x', true, step);
        index.add(c, l, base, label);
        open.push(l);
      } else if (op === 1) {
        const l = open.splice(next(open.length), 1)[0];
        index.remove(l);
      } else if (op === 2) {
        const k = next(entryCount(base));
        index.skipInBase(lookupAt(base, k), k, [SKIP_A, SKIP_AAAA, SKIP_A | SKIP_AAAA][next(3)]);
      } else if (op === 3) {
        const k = next(entryCount(label));
        index.skipInLabel(lookupAt(label, k), k, SKIP_ANSWERED);
      } else index.unskip(open[next(open.length)]);
      expectCountsAgree(base);
      expectCountsAgree(label);
      // Filed in the order they opened, whatever was removed between.
      expect(entryCount(base)).toBe(open.length);
      expect(open.every((l, k) => lookupAt(base, k) === l && lookupAt(label, k) === l)).toBe(true);
    }
  });
});
