import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/diff/compare-reports.js';
import { readJsonReport } from '../../src/diff/read-json-report.js';
import { renderDiffMarkdown } from '../../src/report/diff/render-diff-markdown.js';
import { renderJson } from '../../src/report/render-json.js';
import { FIXTURES, analyzeFile } from '../helpers.js';

/**
 * The lab's before/after pairs (scripts/lab/make-diff.sh): the same python getaddrinfo calls
 * (A only, 0.5 s apart) against BIND, under different resolv.conf files.
 */
async function diffFixtures(before: string, after: string) {
  return compareReports(
    { report: await analyzeFile(`${FIXTURES}${before}`), readFrom: 'capture' },
    { report: await analyzeFile(`${FIXTURES}${after}`), readFrom: 'capture' },
  );
}

const row = (n: { name: string; before: { queriesPerLookup: number; wastedQueriesPerLookup: number; waitedMedianMs: number }; after: { queriesPerLookup: number; wastedQueriesPerLookup: number; waitedMedianMs: number }; verdict: string }) => [
  n.name,
  n.before.queriesPerLookup,
  n.after.queriesPerLookup,
  n.before.wastedQueriesPerLookup,
  n.after.wastedQueriesPerLookup,
  n.before.waitedMedianMs,
  n.after.waitedMedianMs,
  n.verdict,
];

describe('diff-ndots5.pcap → diff-ndots1.pcap', () => {
  it('improves blog.mosuke.tech (5 → 1 queries) but makes api.test and kubernetes.default cost 3 instead of 2', async () => {
    const d = await diffFixtures('diff-ndots5.pcap', 'diff-ndots1.pcap');
    // glibc with ndots:1 asks a dotted name as written first: an NXDOMAIN for "api.test." before
    // the search list finds api.test.svc.cluster.local (RESOLVERS.md).
    expect(d.names.map(row)).toEqual([
      ['blog.mosuke.tech', 5, 1, 4, 0, 0.991, 0.2, 'improved'],
      ['api.test', 2, 3, 1, 2, 0.502, 2.849, 'regressed'],
      ['kubernetes.default', 2, 3, 1, 2, 0.384, 0.74, 'regressed'],
      // 0.171 → 4.976 ms: under the 5 ms floor, a cold answer and not a regression.
      ['my-blog', 1, 1, 0, 0, 0.171, 4.976, 'unchanged'],
    ]);
    expect(d.rewritten).toEqual([]);
    expect(d.beforeOnly).toEqual([]);
    expect(d.afterOnly).toEqual([]);
  });

  it('totals 5 → 4 DNS messages per lookup and an NXDOMAIN share of 60% → 50%', async () => {
    const d = await diffFixtures('diff-ndots5.pcap', 'diff-ndots1.pcap');
    expect(d.totals.before).toMatchObject({ dnsMessages: 20, lookups: 4, messagesPerLookup: 5, wastedQueries: 6, responses: 10, nxdomain: 6, nxdomainShare: 0.6, unanswered: 0 });
    expect(d.totals.after).toMatchObject({ dnsMessages: 16, lookups: 4, messagesPerLookup: 4, wastedQueries: 4, responses: 8, nxdomain: 4, nxdomainShare: 0.5, unanswered: 0 });
    // Ten answers before, eight after: the per-server latency finding needs ten.
    expect(d.findings.gone.map((f) => f.title)).toEqual(['Search-path expansion wasted queries: blog.mosuke.tech', 'Server latency']);
    expect(d.findings.new).toEqual([]);
    expect(d.findings.remaining.map((f) => f.after.kind)).toEqual(['search-path-waste-total', 'search-path-waste', 'search-path-waste', 'externalname-caveat']);
  });

  it('gives the same diff from tcpdump -n text as from the captures', async () => {
    const fromPcap = await diffFixtures('diff-ndots5.pcap', 'diff-ndots1.pcap');
    const fromText = await diffFixtures('diff-ndots5.n.txt', 'diff-ndots1.n.txt');
    expect(fromText.names).toEqual(fromPcap.names);
    expect(fromText.totals).toEqual(fromPcap.totals);
    expect(fromText.servers).toEqual(fromPcap.servers);
  });
});

describe('diff-ndots5.pcap → diff-trailing-dot.pcap', () => {
  it('compares names written the same and pairs the names rewritten as fully qualified, labelled', async () => {
    const d = await diffFixtures('diff-ndots5.pcap', 'diff-trailing-dot.pcap');
    // One cold answer after the fix (56.7 ms) is what this capture shows, and the diff says so.
    expect(d.names.map(row)).toEqual([['my-blog', 1, 1, 0, 0, 0.171, 56.711, 'regressed']]);
    // A name asked as written first although it has fewer dots than ndots was written with a
    // trailing dot, and the analysis keeps it: those names pair as rewritten, not as the same name.
    expect(d.rewritten.map((r) => [r.beforeName, r.name, r.answeredName, r.before.queriesPerLookup, r.after.queriesPerLookup, r.after.waitedMedianMs, r.verdict])).toEqual([
      ['kubernetes.default', 'kubernetes.default.svc.cluster.local.', 'kubernetes.default.svc.cluster.local', 2, 1, 40.365, 'mixed'],
      ['blog.mosuke.tech', 'blog.mosuke.tech.', 'blog.mosuke.tech', 5, 1, 0.258, 'improved'],
      // The analysis reads "api.test.svc.cluster.local." as "api" plus the first search suffix.
      ['api.test', 'api', 'api.test.svc.cluster.local', 2, 1, 0.297, 'improved'],
    ]);
    expect(d.beforeOnly).toEqual([]);
    expect(d.afterOnly).toEqual([]);
  });

  it('totals 5 → 2 DNS messages per lookup, no NXDOMAIN left, every waste finding gone', async () => {
    const d = await diffFixtures('diff-ndots5.pcap', 'diff-trailing-dot.pcap');
    expect(d.totals.after).toMatchObject({ dnsMessages: 8, lookups: 4, messagesPerLookup: 2, wastedQueries: 0, nxdomain: 0, nxdomainShare: 0 });
    expect(d.findings.gone.map((f) => f.kind)).toEqual(['search-path-waste-total', 'search-path-waste', 'search-path-waste', 'search-path-waste', 'server-latency']);
    expect(d.findings.remaining.map((f) => f.after.kind)).toEqual(['externalname-caveat']);
  });

  it('says so in the markdown', async () => {
    const md = renderDiffMarkdown(await diffFixtures('diff-ndots5.pcap', 'diff-trailing-dot.pcap'));
    expect(md).toContain('DNS messages per lookup 5 → 2, NXDOMAIN share 60.0% → 0.0%, unanswered queries 0. 3 names written differently after reached the same answer.');
    expect(md).toContain('| `kubernetes.default` → `kubernetes.default.svc.cluster.local.` | `kubernetes.default.svc.cluster.local` | 1 | 2 → 1 (-1) | 1 → 0 (-1) |');
    expect(md).toContain('| `my-blog` | 1 | 1 | 0 | 0.17 ms → 56.7 ms (+56.5 ms) |');
    expect(md).toContain('A name looked up once on a side has a single wait there: one cold answer can look like a regression.');
  });
});

describe('diff-silent-ns-before.pcap → diff-silent-ns-after.pcap', () => {
  it('shows every lookup freed of the 5 s timeout, kubernetes.default of two (10.01 s)', async () => {
    const d = await diffFixtures('diff-silent-ns-before.pcap', 'diff-silent-ns-after.pcap');
    expect(d.names.map(row)).toEqual([
      ['kubernetes.default', 4, 2, 2, 1, 10009.874, 0.274, 'improved'],
      ['my-blog', 2, 1, 0, 0, 5056.785, 14.459, 'improved'],
      ['api', 2, 1, 0, 0, 5004.914, 0.132, 'improved'],
    ]);
    expect(d.names.map((n) => n.better)).toEqual([
      ['queries', 'wastedQueries', 'waited'],
      ['queries', 'waited'],
      ['queries', 'waited'],
    ]);
  });

  it('counts 4 → 0 unanswered queries, all to the silent 127.0.0.11, which the after side never asks', async () => {
    const d = await diffFixtures('diff-silent-ns-before.pcap', 'diff-silent-ns-after.pcap');
    expect(d.totals.before).toMatchObject({ unanswered: 4, messagesPerLookup: 4 });
    expect(d.totals.after).toMatchObject({ unanswered: 0, messagesPerLookup: 2.667 });
    expect(d.servers).toEqual([
      { server: '127.0.0.10:53', before: { answered: 4, unanswered: 0, p50Ms: 0.207, p90Ms: 0.236, p99Ms: 0.236, maxMs: 0.236 }, after: { answered: 4, unanswered: 0, p50Ms: 0.132, p90Ms: 14.459, p99Ms: 14.459, maxMs: 14.459 } },
      { server: '127.0.0.11:53', before: { answered: 0, unanswered: 4, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null }, after: null },
    ]);
    expect(d.findings.gone.map((f) => f.kind)).toEqual(['silent-nameserver']);
  });

  it('shows the nameserver list change that reached the client', async () => {
    const d = await diffFixtures('diff-silent-ns-before.pcap', 'diff-silent-ns-after.pcap');
    expect(d.resolvers.map((p) => [p.before?.nameservers, p.after?.nameservers, p.changed])).toEqual([[['127.0.0.11', '127.0.0.10'], ['127.0.0.10'], ['nameservers']]]);
  });
});

describe('dead-nameserver.pcap, a capture with ICMP port unreachable errors', () => {
  it('keeps its 6 ICMP errors through a JSON report and counts them in the totals: 6 → 0', async () => {
    const report = await analyzeFile(`${FIXTURES}dead-nameserver.pcap`);
    const fromJson = readJsonReport(renderJson(report), 'dead.json');
    expect(fromJson).toEqual(report);
    const d = compareReports({ report: fromJson, readFrom: 'json-report' }, { report: await analyzeFile(`${FIXTURES}diff-silent-ns-after.pcap`), readFrom: 'capture' });
    expect([d.totals.before.icmpUnreachable, d.totals.after.icmpUnreachable]).toEqual([6, 0]);
    expect(renderDiffMarkdown(d)).toContain('| ICMP unreachable for DNS queries | 6 | 0 | -6 |');
  });
});
