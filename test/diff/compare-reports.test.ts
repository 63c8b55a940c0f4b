import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/diff/compare-reports.js';
import type { Report } from '../../src/model.js';
import { analyzeText } from '../helpers.js';
import { lookupWith } from '../lookup-with.js';
import { EXTERNALNAME_HIT, SEARCH_WALK, SILENT_NS_AFTER, SILENT_NS_BEFORE, TRAILING_DOT } from './inputs.js';

async function diffTexts(before: string, after: string) {
  return compareReports({ report: await analyzeText(before), readFrom: 'capture' }, { report: await analyzeText(after), readFrom: 'capture' });
}

describe('compareReports: a trailing dot stops the search-path walk', () => {
  it('shows blog.mosuke.tech going from 5 queries (4 wasted) in 5.474 ms to 1 query in 0.134 ms', async () => {
    const d = await diffTexts(SEARCH_WALK, TRAILING_DOT);
    expect(d.beforeOnly).toEqual([]);
    expect(d.afterOnly).toEqual([]);
    expect(d.names).toHaveLength(1);
    expect(d.names[0]).toMatchObject({
      name: 'blog.mosuke.tech',
      before: { lookups: 1, queriesPerLookup: 5, wastedQueriesPerLookup: 4, waitedMedianMs: 5.474, waitedP90Ms: 5.474, outcomes: { answered: 1 }, answeredShare: 1 },
      after: { lookups: 1, queriesPerLookup: 1, wastedQueriesPerLookup: 0, waitedMedianMs: 0.134, waitedP90Ms: 0.134, outcomes: { answered: 1 }, answeredShare: 1 },
      queriesPerLookupChange: -4,
      wastedQueriesPerLookupChange: -4,
      waitedMedianChangeMs: -5.34,
      waitedP90ChangeMs: -5.34,
      outcomeChanged: false,
      better: ['queries', 'wastedQueries', 'waited'],
      worse: [],
      verdict: 'improved',
    });
  });

  it('totals 10 → 2 DNS messages per lookup and an NXDOMAIN share of 80% → 0%', async () => {
    const d = await diffTexts(SEARCH_WALK, TRAILING_DOT);
    expect(d.totals.before).toEqual({
      dnsMessages: 10,
      queries: 5,
      lookups: 1,
      messagesPerLookup: 10,
      wastedQueries: 4,
      responses: 5,
      nxdomain: 4,
      nxdomainShare: 0.8,
      unanswered: 0,
      malformed: 0,
      icmpUnreachable: 0,
    });
    expect(d.totals.after).toMatchObject({ dnsMessages: 2, messagesPerLookup: 2, wastedQueries: 0, responses: 1, nxdomain: 0, nxdomainShare: 0, unanswered: 0 });
  });

  it('reports the search-path waste finding as gone after, and nothing new', async () => {
    const d = await diffTexts(SEARCH_WALK, TRAILING_DOT);
    expect(d.findings.gone.map((f) => [f.kind, f.title, f.impact])).toEqual([
      ['search-path-waste', 'Search-path expansion wasted queries: blog.mosuke.tech', { queries: 4, ms: 5.34 }],
    ]);
    expect(d.findings.new).toEqual([]);
    expect(d.findings.remaining).toEqual([]);
  });

  it('puts the resolver profiles side by side: the search list seen before is not seen after', async () => {
    const d = await diffTexts(SEARCH_WALK, TRAILING_DOT);
    expect(d.resolvers).toHaveLength(1);
    const [p] = d.resolvers;
    expect(p.before?.searchList).toEqual(['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal']);
    expect(p.before?.ndots).toBe(5);
    expect(p.after?.searchList).toEqual([]);
    expect(p.changed).toEqual(['searchList', 'ndots', 'namespace']);
  });

  it('keeps the server latency of both sides: p50 0.24 ms and max 2.794 ms before, 0.134 ms after', async () => {
    const d = await diffTexts(SEARCH_WALK, TRAILING_DOT);
    expect(d.servers).toEqual([
      {
        server: 'dns-default.openshift-dns.svc.cluster.local:53',
        before: { answered: 5, unanswered: 0, p50Ms: 0.24, p90Ms: 2.794, p99Ms: 2.794, maxMs: 2.794 },
        after: { answered: 1, unanswered: 0, p50Ms: 0.134, p90Ms: 0.134, p99Ms: 0.134, maxMs: 0.134 },
      },
    ]);
  });
});

describe('compareReports: a silent first nameserver removed', () => {
  it('shows both names improving by about 5 s each, the bigger change first', async () => {
    const d = await diffTexts(SILENT_NS_BEFORE, SILENT_NS_AFTER);
    expect(d.names.map((n) => [n.name, n.before.queriesPerLookup, n.after.queriesPerLookup, n.before.waitedMedianMs, n.after.waitedMedianMs, n.waitedMedianChangeMs, n.verdict])).toEqual([
      ['db.example.com', 2, 1, 5006.3, 0.3, -5006, 'improved'],
      ['api.example.com', 2, 1, 5005.4, 0.4, -5005, 'improved'],
    ]);
  });

  it('counts 2 → 0 unanswered queries and the silent server asked on one side only', async () => {
    const d = await diffTexts(SILENT_NS_BEFORE, SILENT_NS_AFTER);
    expect(d.totals.before.unanswered).toBe(2);
    expect(d.totals.after.unanswered).toBe(0);
    expect(d.servers.map((s) => [s.server, s.before?.answered ?? null, s.before?.unanswered ?? null, s.after?.answered ?? null])).toEqual([
      ['10.0.0.10:53', 2, 0, 2],
      ['10.0.0.99:53', 0, 2, null],
    ]);
    expect(d.findings.gone.map((f) => f.kind)).toEqual(['silent-nameserver']);
  });

  it('pairs the lone client of each side (a redeployed pod has a new address) and shows the nameserver change', async () => {
    const d = await diffTexts(SILENT_NS_BEFORE, SILENT_NS_AFTER);
    expect(d.resolvers.map((p) => [p.before?.client, p.after?.client, p.before?.nameservers, p.after?.nameservers, p.changed])).toEqual([
      // Nameservers in order of first use: the silent one is first in resolv.conf.
      ['10.1.0.5', '10.1.0.6', ['10.0.0.99', '10.0.0.10'], ['10.0.0.10'], ['nameservers']],
    ]);
  });

  it('calls the reverse direction a regression', async () => {
    const d = await diffTexts(SILENT_NS_AFTER, SILENT_NS_BEFORE);
    expect(d.names.map((n) => [n.name, n.verdict, n.worse])).toEqual([
      ['db.example.com', 'regressed', ['queries', 'waited']],
      ['api.example.com', 'regressed', ['queries', 'waited']],
    ]);
    expect(d.findings.new.map((f) => f.kind)).toEqual(['silent-nameserver']);
  });
});

describe('compareReports: names on one side only', () => {
  it('lists blog.mosuke.tech (before) and my-blog (after) apart and compares nothing', async () => {
    const d = await diffTexts(SEARCH_WALK, EXTERNALNAME_HIT);
    expect(d.names).toEqual([]);
    expect(d.beforeOnly.map((n) => [n.name, n.stats.queriesPerLookup, n.stats.waitedMedianMs])).toEqual([['blog.mosuke.tech', 5, 5.474]]);
    expect(d.afterOnly.map((n) => [n.name, n.stats.queriesPerLookup, n.stats.waitedMedianMs])).toEqual([['my-blog', 1, 37.828]]);
    expect(d.findings.new.map((f) => f.kind)).toEqual(['externalname-caveat']);
  });

  it('orders changed names by size of change and puts unchanged names last', async () => {
    // Before: the walk, the silent server and the ExternalName hit; after: only the walk fixed,
    // the silent server still there for api/db, and my-blog unchanged.
    const d = await diffTexts(`${SEARCH_WALK}${SILENT_NS_BEFORE}${EXTERNALNAME_HIT}`, `${TRAILING_DOT}${SILENT_NS_AFTER}${EXTERNALNAME_HIT}`);
    expect(d.names.map((n) => [n.name, n.verdict])).toEqual([
      ['db.example.com', 'improved'],
      ['api.example.com', 'improved'],
      ['blog.mosuke.tech', 'improved'],
      ['my-blog', 'unchanged'],
    ]);
    expect(d.findings.remaining.map((f) => f.after.kind)).toEqual(['externalname-caveat']);
  });
});

describe('compareReports: waited time and outcomes', () => {
  const lookup = (name: string, elapsedMs: number, outcome: Report['lookups'][number]['outcome'] = 'answered') => lookupWith({ name, elapsedMs, outcome });
  const report = (lookups: Report['lookups']): Report => ({
    schemaVersion: 1,
    input: { format: 'text', source: 'x', linkTypes: [] },
    summary: {
      frames: 0, dnsMessages: 0, queries: 0, responses: 0, transactions: 0, unanswered: 0, malformed: 0, lookups: lookups.length, wastedQueries: 0,
      frameAccounting: { frames: 0, dns: 0, notDns: 0, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 },
      firstTimeUs: null, lastTimeUs: null, ignoredLines: 0,
    },
    transactions: [], lookups, resolvers: [], findings: [], anomalies: [], warnings: [],
  });
  const diff = (b: Report['lookups'], a: Report['lookups']) => compareReports({ report: report(b), readFrom: 'capture' }, { report: report(a), readFrom: 'json-report' });

  it('takes the median and p90 by nearest rank over ten lookups: 5 ms and 5000 ms', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 5000, 5001];
    const d = diff(waits.map((w) => lookup('a', w)), [lookup('a', 1)]);
    expect(d.names[0].before).toMatchObject({ lookups: 10, waitedMedianMs: 5, waitedP90Ms: 5000 });
  });

  it('ignores a wait change under 5 ms, or under 10%, as jitter', () => {
    const d = diff([lookup('a', 0.3), lookup('b', 100), lookup('c', 0.3)], [lookup('a', 5.2), lookup('b', 109), lookup('c', 5.4)]);
    expect(d.names.map((n) => [n.name, n.waitedMedianChangeMs, n.verdict])).toEqual([
      ['c', 5.1, 'regressed'],
      ['a', 4.9, 'unchanged'],
      ['b', 9, 'unchanged'],
    ]);
  });

  it('ranks a lookup that stopped being answered first, as a regression of outcome', () => {
    const d = diff([lookup('slow', 5000), lookup('lost', 1)], [lookup('slow', 10), lookup('lost', 1, 'timeout')]);
    expect(d.names.map((n) => [n.name, n.verdict, n.outcomeChanged, n.before.answeredShare, n.after.answeredShare])).toEqual([
      ['lost', 'regressed', true, 1, 0],
      ['slow', 'improved', false, 1, 1],
    ]);
  });

  it('calls a name mixed when it got fewer queries but waited longer', () => {
    const d = diff([{ ...lookup('m', 10), queries: 5 }], [{ ...lookup('m', 50), queries: 1 }]);
    expect(d.names[0]).toMatchObject({ better: ['queries'], worse: ['waited'], verdict: 'mixed' });
  });

  it('pairs a short name with the FQDN that answered it, but not an unanswered or ambiguous one', () => {
    const as = (name: string, answeredName: string | null, outcome: Report['lookups'][number]['outcome'] = 'answered') => ({ ...lookup(name, 1, outcome), answeredName });
    const d = diff(
      [as('web', 'web.prod.svc.cluster.local'), as('db', null, 'timeout'), as('a', 'x.example'), as('b', 'x.example')],
      [as('web.prod.svc.cluster.local', 'web.prod.svc.cluster.local'), as('db.prod.svc.cluster.local', 'db.prod.svc.cluster.local'), as('x.example', 'x.example')],
    );
    expect(d.rewritten.map((r) => [r.beforeName, r.name, r.answeredName])).toEqual([['web', 'web.prod.svc.cluster.local', 'web.prod.svc.cluster.local']]);
    expect(d.beforeOnly.map((n) => n.name)).toEqual(['a', 'b', 'db']);
    expect(d.afterOnly.map((n) => n.name)).toEqual(['db.prod.svc.cluster.local', 'x.example']);
  });

  it('records where each side came from', () => {
    const d = diff([], []);
    expect(d.before).toEqual({ source: 'x', readFrom: 'capture', format: 'text' });
    expect(d.after).toEqual({ source: 'x', readFrom: 'json-report', format: 'text' });
    expect(d.totals.before.messagesPerLookup).toBeNull();
    expect(d.totals.before.nxdomainShare).toBeNull();
  });
});
