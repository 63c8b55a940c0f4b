import { describe, expect, it } from 'vitest';
import { SearchPathWasteDetector } from '../../../src/analyze/findings/detect-search-path-waste.js';
import type { Lookup } from '../../../src/model.js';
import { attemptWith, lookupWith } from '../../lookup-with.js';

const NODE = 'us-east-2.compute.internal';

/** A walk of github.com by a pod of namespace `ns` through `suffixes` (NXDOMAIN each), then the name as written. */
function walk(ns: string, suffixes: string[], outcome: Lookup['outcome'], firstFrame: number): Lookup {
  const attempts = [
    ...suffixes.map((s, i) => attemptWith({ name: `github.com.${s}`, suffix: s, rcode: 'NXDOMAIN', wasted: true, queryFrame: firstFrame + 2 * i })),
    attemptWith({ name: 'github.com', rcode: outcome === 'answered' ? 'NOERROR' : null, queryFrame: firstFrame + 2 * suffixes.length }),
  ];
  return lookupWith({ client: `10.244.${ns.length}.9`, name: 'github.com', attempts, outcome, kind: 'search-expansion', wastedMs: 1, suffixesTried: suffixes });
}

describe('the search-path waste of one name', () => {
  it('says how many suffixes each lookup walked and how it ended, when all walked alike', () => {
    const d = new SearchPathWasteDetector();
    const list = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', NODE];
    d.lookup(walk('shop', list, 'answered', 1));
    d.lookup(walk('shop', list, 'answered', 21));
    const [f] = d.finish();
    expect(f.summary).toMatch(
      /^github\.com was looked up 2 times and each lookup walked 4 search suffixes \(\.shop\.svc\.cluster\.local, \.svc\.cluster\.local, \.cluster\.local, \.us-east-2\.compute\.internal\) before github\.com answered: 10 queries of which 8 wasted, /,
    );
  });

  it('does not say every lookup walked the first one\'s list and ended its way, when a failing server cut some short', () => {
    // One pod walks its list and is answered; another, in another namespace, gives its list up
    // after a silent first step and its name as written times out.
    const d = new SearchPathWasteDetector();
    d.lookup(walk('shop', ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', NODE], 'answered', 1));
    d.lookup(walk('payments', ['payments.svc.cluster.local'], 'timeout', 21));
    d.lookup(walk('shop', ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', NODE], 'answered', 41));
    const [f] = d.finish();
    expect(f.summary).toMatch(
      /^github\.com was looked up 3 times and its lookups walked 1 to 4 search suffixes \(5 in all: \.shop\.svc\.cluster\.local, \.svc\.cluster\.local, \.cluster\.local, \.us-east-2\.compute\.internal, \.payments\.svc\.cluster\.local\); 2 answered as github\.com, 1 ended timeout: 12 queries of which 9 wasted, /,
    );
    expect(f.impact.queries).toBe(9);
  });
});
