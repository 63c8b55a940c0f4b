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

/** A walk of `name` by a pod of namespace `ns`, answered on the suffix `svc.cluster.local` (a Service of another namespace). */
function answeredOnSuffix(name: string, ns: string, firstFrame: number): Lookup {
  const own = `${ns}.svc.cluster.local`;
  const attempts = [
    attemptWith({ name: `${name}.${own}`, suffix: own, rcode: 'NXDOMAIN', wasted: true, queryFrame: firstFrame }),
    attemptWith({ name: `${name}.svc.cluster.local`, suffix: 'svc.cluster.local', rcode: 'NOERROR', queryFrame: firstFrame + 2 }),
  ];
  return lookupWith({ name, attempts, outcome: 'answered', answeredName: `${name}.svc.cluster.local`, suffix: 'svc.cluster.local', kind: 'search-expansion', wastedMs: 1 });
}

describe('the search-path waste remedy names what to write', () => {
  it('the name as it answered, not as the application wrote it, and no ndots change for a name that does not answer as written', () => {
    const d = new SearchPathWasteDetector();
    d.lookup(answeredOnSuffix('kubernetes.default', 'shop', 1));
    const [f] = d.finish();
    // kubernetes.default. does not exist; ndots 2 would try it as written first, one more NXDOMAIN.
    expect(f.remedy).toBe(
      'Write the name fully qualified with a trailing dot (kubernetes.default.svc.cluster.local.) so the resolver asks it once; ' +
        'or, inside Kubernetes, point the application at an ExternalName Service in its own namespace, which is answered on the first suffix in one round trip.',
    );
    expect(f.snippet).toBe("# in the application's configuration: kubernetes.default.svc.cluster.local.");
  });

  it('each name it answered as, when clients of several namespaces resolved it to different Services', () => {
    const d = new SearchPathWasteDetector();
    const l = answeredOnSuffix('api', 'shop', 1);
    d.lookup(l);
    d.lookup({ ...l, answeredName: 'api.payments.svc.cluster.local', suffix: 'payments.svc.cluster.local' });
    const [f] = d.finish();
    expect(f.remedy).toMatch(/^Write the name fully qualified with a trailing dot, as it answered for each client \(api\.svc\.cluster\.local\., api\.payments\.svc\.cluster\.local\.\), so/);
  });

  it('no name for a name that never resolved: the name to check when every step said NXDOMAIN', () => {
    const d = new SearchPathWasteDetector();
    const l = walk('shop', ['shop.svc.cluster.local', 'svc.cluster.local'], 'nxdomain', 1);
    d.lookup({ ...l, attempts: l.attempts.map((a) => ({ ...a, rcode: 'NXDOMAIN' })) });
    const [f] = d.finish();
    expect(f.remedy).toBe(
      'No lookup of github.com got an address: every suffix and the name as written answered NXDOMAIN. ' +
        'Check the name the application asks for (a typo, a Service in another namespace or not created yet); written fully qualified it would only fail sooner.',
    );
    expect(f.snippet).toBeNull();
  });

  it('no name for a name that never resolved: what else its steps met, each kind once with its places', () => {
    const d = new SearchPathWasteDetector();
    // The walk's steps went unanswered (rcode null) and its name as written too: a dead or silent server.
    d.lookup(walk('shop', ['shop.svc.cluster.local', 'svc.cluster.local'], 'timeout', 1));
    const [f] = d.finish();
    expect(f.remedy).toBe(
      'No lookup of github.com got an address, and NXDOMAIN is not all its steps met: no answer as written. ' +
        'Look at that first (see the findings on it); then write the name that answers fully qualified, with a trailing dot, so the resolver asks it once.',
    );
  });
});
