import { describe, expect, it } from 'vitest';
import { analyzeGenerated, countLookups } from './generated-capture.js';

describe('the benchmark capture generator', () => {
  it('writes 20,005 DNS messages in 1,455 whole lookups that dnstrace decodes without an anomaly', async () => {
    const { report, stats } = await analyzeGenerated({ messages: 20_000 });
    expect(stats).toMatchObject({ messages: 20_005, queries: 10_005, responses: 10_000, retransmissions: 5, transactions: 10_000, lookups: 1455, clients: 15 });
    expect(report.input).toMatchObject({ format: 'pcap', linkTypes: [1] });
    expect(report.anomalies).toEqual([]);
    expect(report.summary).toMatchObject({
      frames: 20_005,
      dnsMessages: 20_005,
      queries: 10_005,
      responses: 10_000,
      transactions: 10_000,
      unanswered: 0,
      malformed: 0,
      lookups: 1455,
      wastedQueries: 7095,
    });
    expect(report.summary.frameAccounting).toMatchObject({ frames: 20_005, dns: 20_005, notDns: 0, malformed: 0, truncated: 0 });
  });

  it('rebuilds the walks it planned: 926 search expansions, 474 direct hits, 55 ExternalName CNAMEs', async () => {
    const { report, stats } = await analyzeGenerated({ messages: 20_000 });
    expect(stats.lookupsByKind).toEqual({ 'search-expansion': 926, direct: 474, externalname: 55 });
    expect(countLookups(report, (l) => l.kind, stats.lookupsByKind)).toEqual(stats.lookupsByKind);
    expect(stats.lookupsByOutcome).toEqual({ answered: 1429, nxdomain: 26, servfail: 0, timeout: 0 });
    expect(countLookups(report, (l) => l.outcome, stats.lookupsByOutcome)).toEqual(stats.lookupsByOutcome);
    const nxdomain = report.transactions.filter((t) => t.rcode === 'NXDOMAIN').length;
    expect(nxdomain).toBe(stats.nxdomainResponses);
    expect(nxdomain).toBe(7142);
  });

  it('rebuilds exactly the planned lookups at scale: 200,006 messages, every kind and outcome', async () => {
    // At 20,000 messages no two walks of one client happened to share a first label while one
    // waited on a lost reply; at 200,000 some do, which once glued them into one lookup.
    const { report, stats } = await analyzeGenerated({ messages: 200_000 });
    expect(report.summary).toMatchObject({ dnsMessages: 200_006, transactions: stats.transactions, lookups: 15_179, wastedQueries: stats.wastedQueries });
    expect(countLookups(report, (l) => l.kind, stats.lookupsByKind)).toEqual(stats.lookupsByKind);
    expect(countLookups(report, (l) => l.outcome, stats.lookupsByOutcome)).toEqual(stats.lookupsByOutcome);
  }, 60_000);

  it('walks a pod search list of four suffixes, as a Kubernetes pod with ndots:5 does', async () => {
    const { report } = await analyzeGenerated({ messages: 2000 });
    const walk = report.lookups.find((l) => l.kind === 'search-expansion' && l.suffix === null && l.outcome === 'answered');
    expect(walk).toBeDefined();
    const suffixes = walk?.attempts.filter((a) => a.type === 'A').map((a) => a.suffix?.replace(/^[a-z]+\.svc/, '<ns>.svc') ?? null);
    expect(suffixes).toEqual(['<ns>.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal', null]);
    expect(walk?.queries).toBe(10);
    expect(walk?.wastedQueries).toBe(8);
    const profile = report.resolvers.find((p) => p.client === walk?.client);
    expect(profile?.searchList.slice(1)).toEqual(['svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal']);
    expect(profile?.ndots).toBe(5);
  });

  it('resends a lost query after glibc\'s 5 s timeout on the same socket with the same id, 5 times in 20,005 messages', async () => {
    const { report } = await analyzeGenerated({ messages: 20_000 });
    const retried = report.transactions.filter((t) => t.status === 'answered-after-retry');
    expect(retried).toHaveLength(5);
    for (const t of retried) {
      expect(t.retransmissionFrames).toHaveLength(1);
      expect(t.latencyMs).toBeGreaterThanOrEqual(5000);
      expect(t.latencyFromLastMs).toBeLessThan(30);
    }
  });

  it('gives the same bytes for the same size and seed, whatever the chunk size, and other bytes for another seed', async () => {
    const a = await analyzeGenerated({ messages: 2000 });
    const b = await analyzeGenerated({ messages: 2000, chunkBytes: 4096 });
    const c = await analyzeGenerated({ messages: 2000, seed: 7 });
    expect(b.chunks).toBeGreaterThan(60);
    expect(b.sha256).toBe(a.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    // Pinned: a change to the generator changes the benchmark's input, and must be deliberate.
    expect(a.stats.bytes).toBe(275_646);
    expect(a.sha256).toBe('0447e8d020c90982b5bc28b81988b1d90a6b33e3f5486d01e8011c773c744634');
  });
});
