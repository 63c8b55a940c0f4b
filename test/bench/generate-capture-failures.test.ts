import { describe, expect, it } from 'vitest';
import { analyzeGenerated, countLookups, POD_SEARCH_AFTER_NAMESPACE } from './generated-capture.js';

// A file of its own: these captures are most of the generator's test time, and the test runner
// runs files side by side.
describe('the benchmark capture generator, with a failing server', () => {
  // Each of these once found a bug: seed 2 at 40%, a node-domain step joined to a walk of the
  // same first label that waited on a lost answer; the outage, a walk's end not told to the
  // profile when its entry for the name was the AAAA's (ndots 2 for one pod); the upstream down,
  // the application's next lookup of a name taken for glibc's retry of the SERVFAIL before it;
  // the silent steps, the next lookup's query taken for a timeout retry, and steps of longer
  // names read as suffixes when a name gave up its list early (`stripe.com.<ns>.svc.cluster.local`).
  const failing = { seed: undefined, outage: undefined, upstreamDown: undefined, silentRate: undefined, firstServer: undefined, goShare: undefined, sendsLost: 0.8 };
  it.each([
    { ...failing, what: '5% of first answers lost', messages: 20_000, lossRate: 0.05 },
    { ...failing, what: '30% of first answers lost', messages: 20_000, lossRate: 0.3 },
    { ...failing, what: '40% of first answers lost (seed 2)', messages: 60_000, lossRate: 0.4, seed: 2 },
    { ...failing, what: 'no answer for 4.5 s of every 20 s (seed 3)', messages: 60_000, lossRate: undefined, seed: 3, outage: { everyUs: 20_000_000, lengthUs: 4_500_000 } },
    // A SERVFAIL comes back at once and is never lost: fewer sends are.
    { ...failing, what: 'SERVFAIL outside the cluster for 0.5 s of every 2 s, 10% lost', messages: 60_000, lossRate: 0.1, upstreamDown: { everyUs: 2_000_000, lengthUs: 500_000 }, sendsLost: 0.6 },
    { ...failing, what: '5% of steps never answered, 10% lost', messages: 60_000, lossRate: 0.1, silentRate: 0.05 },
    { ...failing, what: 'a silent first nameserver (seed 4)', messages: 60_000, lossRate: 0, seed: 4, firstServer: 'silent' as const },
    { ...failing, what: 'a dead first nameserver (seed 5)', messages: 60_000, lossRate: 0, seed: 5, firstServer: 'dead' as const },
    // Go's pods ask a lost query again with a new id (a new transaction, not a resend), and a
    // SERVFAIL at once with a new id: without NEW_ID_REASK_US each of those re-asks split a
    // lookup (4,316 lookups for 3,933 planned at seed 1, 0.05% lost), and without reading two
    // overlapping sockets as parallel the Go pods' profiles said single-request-reopen.
    { ...failing, what: 'half the pods on Go, SERVFAIL outside the cluster for 0.5 s of every 2 s, 10% lost', messages: 60_000, lossRate: 0.1, upstreamDown: { everyUs: 2_000_000, lengthUs: 500_000 }, goShare: 0.5, sendsLost: 0.3 },
    { ...failing, what: 'half the pods on Go, 20% of first answers lost (seed 2)', messages: 60_000, lossRate: 0.2, seed: 2, goShare: 0.5, sendsLost: 0.3 },
    // Go asks a silent step's queries twice, then walks on; the application may ask again at once.
    { ...failing, what: 'half the pods on Go, 5% of steps never answered, 10% lost', messages: 60_000, lossRate: 0.1, silentRate: 0.05, goShare: 0.5, sendsLost: 0.3 },
    // Go fails each query over by itself, a new id from a new socket after its ICMP error.
    { ...failing, what: 'half the pods on Go, a dead first nameserver (seed 6)', messages: 60_000, lossRate: 0, seed: 6, firstServer: 'dead' as const, goShare: 0.5 },
  ])(
    'writes $messages messages of a failing server, $what, and dnstrace rebuilds exactly the walks it planned',
    async ({ messages, lossRate, seed, outage, upstreamDown, silentRate, firstServer, goShare, sendsLost }) => {
      // Pods soon have every name in a walk held open by 5 s timeouts; such lookup starts are skipped.
      const { report, stats } = await analyzeGenerated({ messages, lossRate, seed, outage, upstreamDown, silentRate, firstServer, goShare });
      expect(stats.messages).toBeGreaterThanOrEqual(messages);
      if (lossRate === 0) expect(stats.retransmissions).toBe(0);
      else expect(stats.retransmissions).toBeGreaterThan(sendsLost * (lossRate ?? 0.01) * stats.transactions);
      if (firstServer !== undefined) expect(report.resolvers.map((p) => p.nameservers)).toEqual(report.resolvers.map(() => ['169.254.20.10', '10.96.0.10']));
      if (firstServer === 'silent') {
        // Every step waits out one timeout on 169.254.20.10, its A and AAAA side by side.
        const silent = report.findings.find((f) => f.kind === 'silent-nameserver');
        expect(silent?.impact.queries).toBe(stats.unanswered);
        expect(silent?.impact.ms).toBeGreaterThanOrEqual(5000 * (stats.unanswered / 2));
        expect(silent?.impact.ms).toBeLessThan(5001 * (stats.unanswered / 2));
      }
      if (firstServer === 'dead') {
        // Every query to 169.254.20.10 draws its ICMP error and goes on at once, same id.
        expect(report.findings.find((f) => f.kind === 'dead-nameserver')?.impact.queries).toBe(stats.unanswered);
        expect(report.transactions.filter((t) => t.status === 'unreachable')).toHaveLength(stats.unanswered);
        expect(report.transactions.filter((t) => t.retryReason === 'icmp-unreachable')).toHaveLength(stats.unanswered);
        expect(stats.frames - stats.messages).toBe(stats.unanswered);
      }
      expect(report.transactions.filter((t) => t.retryReason === 'servfail')).toHaveLength(stats.retries);
      if (upstreamDown !== undefined) expect(stats.lookupsByOutcome.servfail).toBeGreaterThan(0.1 * stats.lookups);
      if (silentRate !== undefined) expect(stats.lookupsByOutcome.timeout).toBeGreaterThan(0);
      expect(report.summary.unanswered).toBe(stats.unanswered);
      expect(report.summary).toMatchObject({
        dnsMessages: stats.messages,
        queries: stats.queries,
        responses: stats.responses,
        transactions: stats.transactions,
        lookups: stats.lookups,
        wastedQueries: stats.wastedQueries,
      });
      expect(report.transactions.filter((t) => t.status === 'answered-after-retry')).toHaveLength(stats.answeredAfterRetry);
      expect(countLookups(report, (l) => l.kind, stats.lookupsByKind)).toEqual(stats.lookupsByKind);
      expect(countLookups(report, (l) => l.outcome, stats.lookupsByOutcome)).toEqual(stats.lookupsByOutcome);
      // Every pod has ndots:5, and a lookup that starts right after another of the same name ended
      // with the name as written must not make it look like the name went as written first.
      expect(report.resolvers.map((p) => p.ndots)).toEqual(report.resolvers.map(() => 5));
      // A dead server's failover is at once: with no answer lost, nothing shows the timeout.
      expect(report.resolvers.map((p) => p.timeoutMs)).toEqual(report.resolvers.map(() => (firstServer === 'dead' ? null : 5000)));
      expect(report.resolvers.map((p) => p.searchList.slice(1))).toEqual(report.resolvers.map(() => POD_SEARCH_AFTER_NAMESPACE));
      // glibc's pair on one socket and Go's on two both overlap.
      expect(report.resolvers.map((p) => p.aaaaMode)).toEqual(report.resolvers.map(() => 'parallel'));
    },
    60_000,
  );
});
