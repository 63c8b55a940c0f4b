import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, analyzeFile, analyzeText } from './helpers.js';
import type { Lookup, Transaction } from '../src/model.js';
import { analyze } from '../src/pipeline.js';
import { renderMarkdown } from '../src/report/render-markdown.js';

const searchText = readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8');
const externalText = readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8');

describe('the seed: a search-path walk of blog.mosuke.tech', () => {
  it('rebuilds one lookup through four NXDOMAIN suffixes to the bare name', async () => {
    const r = await analyzeFile(`${FIXTURES}search-expansion.tcpdump.txt`);
    expect(r.input.format).toBe('text');
    expect(r.summary).toMatchObject({ frames: 10, dnsMessages: 10, queries: 5, responses: 5, transactions: 5, unanswered: 0, lookups: 1, wastedQueries: 4 });
    const [l] = r.lookups;
    expect(l).toMatchObject({
      client: 'debug',
      name: 'blog.mosuke.tech',
      types: ['A'],
      queries: 5,
      wastedQueries: 4,
      answeredName: 'blog.mosuke.tech',
      suffix: null,
      outcome: 'answered',
      kind: 'search-expansion',
      cname: null,
      addresses: ['172.67.165.72', '104.21.57.182'],
      elapsedMs: 5.474,
    });
    expect(l.attempts.map((a) => [a.name, a.rcode, a.suffix])).toEqual([
      ['blog.mosuke.tech.test.svc.cluster.local', 'NXDOMAIN', 'test.svc.cluster.local'],
      ['blog.mosuke.tech.svc.cluster.local', 'NXDOMAIN', 'svc.cluster.local'],
      ['blog.mosuke.tech.cluster.local', 'NXDOMAIN', 'cluster.local'],
      ['blog.mosuke.tech.us-east-2.compute.internal', 'NXDOMAIN', 'us-east-2.compute.internal'],
      ['blog.mosuke.tech', 'NOERROR', null],
    ]);
    expect(r.resolvers).toEqual([
      expect.objectContaining({
        client: 'debug',
        searchList: ['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal'],
        ndots: 5,
        namespace: 'test',
        clusterDomain: 'cluster.local',
      }),
    ]);
  });

  it('pairs each response with its query by endpoints and id, with latency to the microsecond', async () => {
    const r = await analyzeText(searchText);
    expect(r.transactions.map((t) => [t.id, t.name, t.rcode, t.latencyMs, t.queryFrame, t.responseFrame])).toEqual([
      [46897, 'blog.mosuke.tech.test.svc.cluster.local', 'NXDOMAIN', 0.991, 1, 2],
      [21491, 'blog.mosuke.tech.svc.cluster.local', 'NXDOMAIN', 0.24, 3, 4],
      [60867, 'blog.mosuke.tech.cluster.local', 'NXDOMAIN', 0.183, 5, 6],
      [21857, 'blog.mosuke.tech.us-east-2.compute.internal', 'NXDOMAIN', 2.794, 7, 8],
      [5698, 'blog.mosuke.tech', 'NOERROR', 0.134, 9, 10],
    ]);
    expect(r.transactions[0]).toMatchObject({ client: 'debug:38890', server: 'dns-default.openshift-dns.svc.cluster.local:53', transport: 'udp', status: 'answered' });
  });

  it('explains the waste and the one-round-trip alternatives in the markdown', async () => {
    const md = renderMarkdown(await analyzeText(searchText));
    expect(md).toContain('walked 4 search suffixes');
    expect(md).toContain('5 queries of which 4 wasted');
    expect(md).toContain('(`blog.mosuke.tech.`) or through an ExternalName Service it would have taken one round trip');
    expect(md).toContain('| Time to answer | 5.47 ms | 0.13 ms |');
  });
});

describe('the seed: an ExternalName hit for my-blog', () => {
  it('reads the verbatim paste, noise lines included, as one ExternalName lookup of 37.8 ms', async () => {
    const r = await analyzeText(externalText);
    expect(r.summary).toMatchObject({ frames: 5, dnsMessages: 2, ignoredLines: 3, lookups: 1, wastedQueries: 0 });
    expect(r.anomalies).toEqual([]);
    expect(r.lookups[0]).toMatchObject({
      name: 'my-blog',
      answeredName: 'my-blog.test.svc.cluster.local',
      suffix: 'test.svc.cluster.local',
      kind: 'externalname',
      cname: 'blog.mosuke.tech',
      addresses: ['172.67.165.72', '104.21.57.182'],
      queries: 1,
      elapsedMs: 37.828,
    });
    const md = renderMarkdown(r);
    expect(md).toContain('an ExternalName hit, 1 query, 37.8 ms');
    expect(md).toContain('HTTP Host and TLS SNI carry `my-blog`, not `blog.mosuke.tech`');
    expect(r.findings.map((f) => f.kind)).toEqual(['externalname-caveat']);
  });

  it('puts the walk and the ExternalName hit side by side when both are in one input', async () => {
    const r = await analyzeText(`${externalText}${searchText}`);
    expect(r.lookups.map((l) => [l.name, l.kind, l.queries])).toEqual([
      ['my-blog', 'externalname', 1],
      ['blog.mosuke.tech', 'search-expansion', 5],
    ]);
    const md = renderMarkdown(r);
    expect(md).toContain('|   | `blog.mosuke.tech` (search-expansion) | `my-blog` (externalname) |');
    expect(md).toContain('| Queries | 5 | 1 |');
    expect(md).toContain('| Time to answer | 5.47 ms | 37.8 ms |');
  });
});

describe('the seeds through a record sink (how the CLI streams its reports)', () => {
  it('hands every transaction and lookup to the sink in the order they completed and keeps none; the counts, tables and markdown are the same', async () => {
    const text = `${externalText}${searchText}`;
    const kept = await analyzeText(text);
    const txs: Transaction[] = [];
    const lookups: Lookup[] = [];
    const streamed = await analyze({ name: '-', chunks: (async function* () { yield new TextEncoder().encode(text); })() }, {}, { transaction: (t) => txs.push(t), lookup: (l) => lookups.push(l) });
    expect([streamed.transactions, streamed.lookups]).toEqual([[], []]);
    expect(txs).toEqual(kept.transactions);
    expect(lookups).toEqual(kept.lookups);
    expect(streamed.summary).toEqual(kept.summary);
    expect(streamed.aggregates).toEqual(kept.aggregates);
    expect(renderMarkdown(streamed)).toBe(renderMarkdown(kept));
  });
});
