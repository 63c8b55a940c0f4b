import { describe, expect, it } from 'vitest';
import { DnsAnalyzer, feedInFrameOrder } from '../../src/analyze/dns-analyzer.js';
import { TransactionPairer } from '../../src/analyze/transaction-pairer.js';
import type { DnsMessage, IcmpUnreachable, Transaction } from '../../src/model.js';
import { Wire, analyseWire } from './wire.js';

const C = '10.0.0.5';
const NS = '10.96.0.10:53';
const A1 = ['A', '10.0.1.7'] as [string, string];

describe('pairing queries and responses', () => {
  it('pairs an AAAA answer that arrives before the A answer on the same socket, by id', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 111, 'api.example.com', 'A');
    w.query(0.05, `${C}:40000`, NS, 222, 'api.example.com', 'AAAA');
    w.answer(0.4, NS, `${C}:40000`, 222, 'api.example.com', 'AAAA', 'NOERROR', [['AAAA', '2001:db8::7']]);
    w.answer(0.9, NS, `${C}:40000`, 111, 'api.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.id, t.type, t.queryFrame, t.responseFrame, t.latencyMs, t.status])).toEqual([
      [111, 'A', 1, 4, 0.9, 'answered'],
      [222, 'AAAA', 2, 3, 0.35, 'answered'],
    ]);
  });

  it('gives NXDOMAIN and NODATA answers their latency too', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.answer(1.25, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NXDOMAIN');
    w.query(2, `${C}:40001`, NS, 2, 'b.example.com', 'AAAA');
    w.answer(2.5, NS, `${C}:40001`, 2, 'b.example.com', 'AAAA', 'NOERROR');
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.rcode, t.latencyMs, t.answerCount])).toEqual([
      ['NXDOMAIN', 1.25, 0],
      ['NOERROR', 0.5, 0],
    ]);
  });

  it('counts a same-id resend on the same socket 5 s later as a retransmission, latency from first and from last send', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 7, 'api.example.com', 'A');
    w.query(5000.2, `${C}:40000`, NS, 7, 'api.example.com', 'A');
    w.answer(5001.2, NS, `${C}:40000`, 7, 'api.example.com', 'A', 'NOERROR', [A1]);
    const [t] = analyseWire(w).transactions;
    expect(t).toMatchObject({ status: 'answered-after-retry', retransmissionFrames: [2], responseFrame: 3, latencyMs: 5001.2, latencyFromLastMs: 1 });
  });

  it("links dig's retry with a new id and a new port to the unanswered original", () => {
    const w = new Wire();
    w.query(0, `${C}:50001`, NS, 100, 'slow.example.com', 'A');
    w.query(5000, `${C}:50002`, NS, 101, 'slow.example.com', 'A');
    w.answer(5002, NS, `${C}:50002`, 101, 'slow.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.status, t.retryOf, t.retryReason, t.retriedBy, t.latencyMs, t.latencyFromLastMs])).toEqual([
      [1, 'unanswered', null, null, 2, null, null],
      [2, 'answered-after-retry', 1, 'timeout', null, 5002, 2],
    ]);
  });

  it('takes a new id after the resolver resent the query itself for a new lookup, not a timeout retry', () => {
    // glibc resends on its socket with the same id, gives up at 10 s and moves on; the next
    // lookup of the name asks it from a new socket with a new id before the resend's deadline.
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 11, 'silent.example.com', 'A');
    w.query(5000, `${C}:40000`, NS, 11, 'silent.example.com', 'A');
    w.query(10000.2, `${C}:40007`, NS, 73, 'silent.example.com', 'A');
    w.answer(10000.5, NS, `${C}:40007`, 73, 'silent.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.status, t.retransmissionFrames, t.retryOf, t.retryReason])).toEqual([
      [1, 'unanswered', [2], null, null],
      [3, 'answered', [], null, null],
    ]);
  });

  it('links the same id from a new socket after SERVFAIL as a servfail retry (glibc)', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 9, 'broken.example.com', 'A');
    w.answer(1, NS, `${C}:40000`, 9, 'broken.example.com', 'A', 'SERVFAIL');
    w.query(1.3, `${C}:40001`, NS, 9, 'broken.example.com', 'A');
    w.answer(2.3, NS, `${C}:40001`, 9, 'broken.example.com', 'A', 'SERVFAIL');
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.client, t.rcode, t.retryOf, t.retryReason, t.retriedBy])).toEqual([
      [`${C}:40000`, 'SERVFAIL', null, null, 3],
      [`${C}:40001`, 'SERVFAIL', 1, 'servfail', null],
    ]);
  });

  it('names a re-ask after REFUSED a refused retry: to the next nameserver with the same id (glibc), or a new id at once (a Go-style chain)', () => {
    // refused-first.pcap: glibc sends a refused query to its next nameserver at once, same id, new socket.
    const NS2 = '10.96.0.11:53';
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 9, 'api.example.com', 'A');
    w.answer(0.2, NS, `${C}:40000`, 9, 'api.example.com', 'A', 'REFUSED');
    w.query(0.25, `${C}:40001`, NS2, 9, 'api.example.com', 'A');
    w.answer(0.4, NS2, `${C}:40001`, 9, 'api.example.com', 'A', 'NOERROR', [A1]);
    // A chain that retries with a new id from a new socket at once, as Go does after SERVFAIL.
    w.query(2000, `${C}:41000`, NS, 50, 'web.example.com', 'A');
    w.answer(2000.2, NS, `${C}:41000`, 50, 'web.example.com', 'A', 'REFUSED');
    w.query(2000.4, `${C}:41001`, NS, 51, 'web.example.com', 'A');
    w.answer(2000.6, NS, `${C}:41001`, 51, 'web.example.com', 'A', 'REFUSED');
    const r = analyseWire(w);
    const byFrame = [...r.transactions].sort((a, b) => (a.queryFrame as number) - (b.queryFrame as number));
    expect(byFrame.map((t) => [t.queryFrame, t.server, t.rcode, t.retryOf, t.retryReason, t.retriedBy])).toEqual([
      [1, NS, 'REFUSED', null, null, 3],
      [3, NS2, 'NOERROR', 1, 'refused', null],
      [5, NS, 'REFUSED', null, null, 7],
      [7, NS, 'REFUSED', 5, 'refused', null],
    ]);
  });

  it('takes the same question with a new id after SERVFAIL for a new lookup, not a retry: the application asking again', () => {
    // glibc's two tries keep the id (frames 1-4); the application, told "try again", asks at once
    // from a new socket with a new id, before the first answer's linger is over.
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 9, 'broken.example.com', 'A');
    w.answer(0.1, NS, `${C}:40000`, 9, 'broken.example.com', 'A', 'SERVFAIL');
    w.query(0.2, `${C}:40000`, NS, 9, 'broken.example.com', 'A');
    w.answer(0.3, NS, `${C}:40000`, 9, 'broken.example.com', 'A', 'SERVFAIL');
    w.query(0.5, `${C}:40001`, NS, 31, 'broken.example.com', 'A');
    w.answer(0.6, NS, `${C}:40001`, 31, 'broken.example.com', 'A', 'SERVFAIL');
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.rcode, t.retryOf, t.retryReason, t.retriedBy])).toEqual([
      [1, 'SERVFAIL', null, null, 3],
      [3, 'SERVFAIL', 1, 'servfail', null],
      [5, 'SERVFAIL', null, null, null],
    ]);
  });

  it("links Go's re-ask after SERVFAIL, a new id from a new socket at once, as a servfail retry, and only that one", () => {
    // go-servfail.pcap: each type is asked again 0.2 ms after its SERVFAIL; the application's next
    // call, after Go's own re-ask, is a new lookup (the lab measured 0.3 ms for it).
    const w = new Wire();
    w.query(0, `${C}:43581`, NS, 58932, 'kubernetes.default.svc.cluster.local', 'AAAA');
    w.answer(4.4, NS, `${C}:43581`, 58932, 'kubernetes.default.svc.cluster.local', 'AAAA', 'SERVFAIL');
    w.query(4.63, `${C}:43479`, NS, 23800, 'kubernetes.default.svc.cluster.local', 'AAAA');
    w.answer(4.82, NS, `${C}:43479`, 23800, 'kubernetes.default.svc.cluster.local', 'AAAA', 'SERVFAIL');
    w.query(5.1, `${C}:44022`, NS, 18971, 'kubernetes.default.svc.cluster.local', 'AAAA');
    w.answer(5.2, NS, `${C}:44022`, 18971, 'kubernetes.default.svc.cluster.local', 'AAAA', 'SERVFAIL');
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.retryOf, t.retryReason, t.retriedBy, t.latencyMs])).toEqual([
      [1, null, null, 3, 4.4],
      [3, 1, 'servfail', null, 4.82],
      [5, null, null, null, 0.1],
    ]);
  });

  it("links Go's re-asks across two failing servers, each twice in turn, and not the application's next lookup", () => {
    // Measured in the lab with two servers answering SERVFAIL: each query went to s1, s2, s1, s2,
    // a new id and port each time, within a millisecond.
    const S1 = '10.96.0.10:53';
    const S2 = '10.96.0.11:53';
    const name = 'api.example.com';
    const w = new Wire();
    [S1, S2, S1, S2, S1].forEach((server, i) => {
      w.query(i * 0.4, `${C}:${41000 + i}`, server, 100 + i, name, 'A');
      w.answer(i * 0.4 + 0.1, server, `${C}:${41000 + i}`, 100 + i, name, 'A', 'SERVFAIL');
    });
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.retryOf, t.retryReason])).toEqual([
      [1, null, null],
      [3, 1, 'servfail'],
      [5, 3, 'servfail'],
      [7, 5, 'servfail'],
      // Past two tries of each server: the application asking again.
      [9, null, null],
    ]);
  });

  it("stops a Go client's chain of new-id timeout retries at two tries; a client that sends no pair on two sockets (dig) gets a third", () => {
    // go-silent-name.pcap: a silent step's AAAA and A leave from two sockets, each is asked again
    // 5 s later with a new id, and Go gives up 5 s after that. The application asking again at
    // that moment sends the name once more, where a third try would be.
    const name = 'redis.default.svc.cluster.local';
    const go = new Wire();
    for (const [i, at] of [0, 5000, 10_001].entries()) {
      go.query(at, `${C}:${42000 + 2 * i}`, NS, 200 + 2 * i, name, 'AAAA');
      go.query(at + 0.1, `${C}:${42001 + 2 * i}`, NS, 201 + 2 * i, name, 'A');
    }
    expect(analyseWire(go).transactions.map((t) => [t.queryFrame, t.type, t.retryOf, t.retryReason])).toEqual([
      [1, 'AAAA', null, null],
      [2, 'A', null, null],
      [3, 'AAAA', 1, 'timeout'],
      [4, 'A', 2, 'timeout'],
      [5, 'AAAA', null, null],
      [6, 'A', null, null],
    ]);
    const dig = new Wire();
    for (const [i, at] of [0, 5000, 10_001].entries()) dig.query(at, `${C}:${43000 + i}`, NS, 300 + i, name, 'A');
    expect(analyseWire(dig).transactions.map((t) => [t.queryFrame, t.retryOf, t.retryReason])).toEqual([
      [1, null, null],
      [2, 1, 'timeout'],
      [3, 2, 'timeout'],
    ]);
  });

  it('takes a new id after a lone SERVFAIL for a new lookup when it comes later than a resolver re-asks (dig run again)', () => {
    // The lab: dig, run again in a shell loop, asked 27-30 ms after the SERVFAIL.
    const w = new Wire();
    w.query(0, `${C}:33532`, NS, 11677, 'kubernetes.default.svc.cluster.local', 'A');
    w.answer(0.15, NS, `${C}:33532`, 11677, 'kubernetes.default.svc.cluster.local', 'A', 'SERVFAIL');
    w.query(30, `${C}:38229`, NS, 65468, 'kubernetes.default.svc.cluster.local', 'A');
    w.answer(30.2, NS, `${C}:38229`, 65468, 'kubernetes.default.svc.cluster.local', 'A', 'SERVFAIL');
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.retryOf, t.retryReason])).toEqual([
      [1, null, null],
      [3, null, null],
    ]);
  });

  it('links ICMP port unreachable to its query and the failover to the next nameserver with the same id', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, '127.0.0.99:53', 5, 'api.example.com', 'A');
    w.icmp(0.03, `${C}:40000`, '127.0.0.99:53', 5);
    w.query(0.1, `${C}:40001`, NS, 5, 'api.example.com', 'A');
    w.answer(0.6, NS, `${C}:40001`, 5, 'api.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.server, t.status, t.icmpFrame, t.retryOf, t.retryReason, t.latencyMs])).toEqual([
      ['127.0.0.99:53', 'unreachable', 2, null, null, null],
      [NS, 'answered-after-retry', null, 1, 'icmp-unreachable', 0.6],
    ]);
    expect(r.findings.map((f) => f.kind)).toContain('dead-nameserver');
  });

  it("keeps a query that drew ICMP open for the client's next try only, not for the application's next lookup", () => {
    // dead-only-nameserver.pcap: glibc's second try at its only, dead, nameserver leaves within
    // 0.1 ms of the ICMP error, same id, new port. An application asking again 300 ms later is a
    // lookup of its own, even from a socket with the same id.
    const DEAD = '127.0.0.9:53';
    const w = new Wire();
    w.query(0, `${C}:40000`, DEAD, 5, 'api.example.com', 'A');
    w.icmp(0.03, `${C}:40000`, DEAD, 5);
    w.query(0.1, `${C}:40001`, DEAD, 5, 'api.example.com', 'A');
    w.icmp(0.12, `${C}:40001`, DEAD, 5);
    w.query(300, `${C}:40002`, DEAD, 5, 'api.example.com', 'A');
    w.icmp(300.02, `${C}:40002`, DEAD, 5);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.status, t.icmpFrame, t.retryOf, t.retryReason])).toEqual([
      [1, 'unreachable', 2, null, null],
      [3, 'unreachable', 4, 1, 'icmp-unreachable'],
      [5, 'unreachable', 6, null, null],
    ]);
  });

  it('gives an ICMP error to the query that drew it when an earlier query of the socket and id drew one too', () => {
    // A node's million queries reuse a client port and id now and then; the earlier query's
    // error must not take the later one's.
    const DEAD = '169.254.20.10:53';
    const w = new Wire();
    w.query(0, `${C}:41589`, DEAD, 41544, 'hooks.slack.com', 'AAAA');
    w.icmp(0.02, `${C}:41589`, DEAD, 41544);
    w.query(50, `${C}:41589`, DEAD, 41544, 'github.com.svc.cluster.local', 'A');
    w.icmp(50.02, `${C}:41589`, DEAD, 41544);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.queryFrame, t.name, t.status, t.icmpFrame])).toEqual([
      [1, 'hooks.slack.com', 'unreachable', 2],
      [3, 'github.com.svc.cluster.local', 'unreachable', 4],
    ]);
  });

  it('links a truncated UDP answer to the TCP retry that followed', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 42, 'many.example.com', 'A');
    w.answer(1, NS, `${C}:40000`, 42, 'many.example.com', 'A', 'NOERROR', [A1], { tc: true, size: 512 });
    w.query(1.5, `${C}:41000`, NS, 42, 'many.example.com', 'A', 'tcp');
    w.answer(3, NS, `${C}:41000`, 42, 'many.example.com', 'A', 'NOERROR', [A1, ['A', '10.0.1.8']], { transport: 'tcp', size: 1600 });
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.transport, t.status, t.retryOf, t.retryReason, t.retriedBy, t.latencyMs, t.latencyFromLastMs])).toEqual([
      ['udp', 'truncated-retried-tcp', null, null, 3, 1, 1],
      ['tcp', 'answered-after-retry', 1, 'truncated', null, 3, 1.5],
    ]);
    expect(r.lookups).toHaveLength(1);
    expect(r.lookups[0]).toMatchObject({ outcome: 'answered', queries: 2, wastedQueries: 0, addresses: ['10.0.1.7', '10.0.1.8'] });
    expect(r.findings.find((f) => f.kind === 'truncated-tcp')?.summary).toBe(
      '1 UDP answer came back truncated (many.example.com A); 1 was asked again over TCP, adding 2 ms.',
    );
  });

  it('calls a query unanswered after the deadline, and near capture end when the capture stopped first', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'lost.example.com', 'A');
    w.query(8000, `${C}:40001`, NS, 2, 'late.example.com', 'A');
    const r = analyseWire(w, { endMs: 9000 });
    expect(r.transactions.map((t) => [t.name, t.status])).toEqual([
      ['lost.example.com', 'unanswered'],
      ['late.example.com', 'unanswered-near-capture-end'],
    ]);
  });

  it('keeps duplicate and unsolicited responses apart from the answer', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.answer(1, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.answer(300, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [['A', '10.9.9.9']]);
    w.answer(400, NS, `${C}:40999`, 77, 'b.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w);
    // In the order they completed: the unsolicited response at once, the answer a second after it came.
    expect(r.transactions.map((t) => [t.status, t.queryFrame, t.responseFrame, t.duplicateResponseFrames])).toEqual([
      ['unsolicited-response', null, 4, []],
      ['answered', 1, 2, [3]],
    ]);
    expect(r.pairing).toMatchObject({ duplicateResponses: 1, unsolicitedResponses: 1, copies: 0 });
  });

  it('counts the veth and eth0 copies of one packet once', () => {
    const w = new Wire();
    const q = w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.copy(q, 12);
    const a = w.answer(1, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.copy(a, 9);
    const r = analyseWire(w);
    expect(r.transactions).toHaveLength(1);
    expect(r.transactions[0]).toMatchObject({ copyFrames: [2, 4], retransmissionFrames: [], duplicateResponseFrames: [], natServer: null, latencyMs: 1 });
    expect(r.pairing).toMatchObject({ copies: 2, natCopies: 0 });
    expect(r.lookups[0].queries).toBe(1);
  });

  it('counts the pre- and post-DNAT copies of a query to a Service IP once, and pairs the pod answer', () => {
    const w = new Wire();
    const q = w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.copy(q, 20, { dst: '10.244.1.9:53' });
    const a = w.answer(1, '10.244.1.9:53', `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.copy(a, 15, { src: NS });
    const r = analyseWire(w);
    expect(r.transactions).toHaveLength(1);
    expect(r.transactions[0]).toMatchObject({ server: NS, natServer: '10.244.1.9:53', responseFrame: 3, copyFrames: [2, 4], status: 'answered' });
    expect(r.pairing).toMatchObject({ copies: 2, natCopies: 2 });
  });

  it('holds an answer from an address the query did not go to: taken when the client asks nothing more, ignored when it sends the query again', () => {
    const POD = '10.244.1.9:53';
    // A bridge's view of a DNAT: the query to the Service IP, the reply from the pod before the
    // DNAT is undone. The client went on: the answer was taken, when the transaction settled.
    const taken = new Wire();
    taken.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    taken.answer(0.4, POD, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    const t = analyseWire(taken);
    expect(t.transactions.map((x) => [x.queryFrame, x.responseFrame, x.status, x.server, x.natServer, x.latencyMs])).toEqual([[1, 2, 'answered', NS, POD, 0.4]]);
    expect(t.lookups.map((l) => [l.outcome, l.elapsedMs])).toEqual([['answered', 0.4]]);
    // The DNAT not undone: the client drops the reply, resends at its timeout, drops that reply too
    // and gives up (fixtures/foreign-source.pcap). Neither reply answered the query.
    const dropped = new Wire();
    dropped.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    dropped.answer(0.4, POD, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    dropped.query(5000, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    dropped.answer(5000.4, POD, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    dropped.query(20000, `${C}:40001`, NS, 2, 'b.example.com', 'A');
    const d = analyseWire(dropped);
    expect(d.transactions.filter((x) => x.name === 'a.example.com').map((x) => [x.queryFrame, x.responseFrame, x.status, x.server, x.natServer, x.retransmissionFrames])).toEqual([
      [null, 2, 'ignored-response', NS, POD, []],
      [null, 4, 'ignored-response', NS, POD, []],
      [1, null, 'unanswered', NS, null, [3]],
    ]);
    expect(d.lookups.filter((l) => l.name === 'a.example.com').map((l) => [l.outcome, l.queries])).toEqual([['timeout', 2]]);
    expect(d.pairing).toMatchObject({ ignoredResponses: 2, unsolicitedResponses: 0, duplicateResponses: 0 });
  });

  it("does not take an answer from another address when the client retries with a new id, or its own host refuses it with ICMP (Go's connected sockets)", () => {
    const POD = '10.244.1.9:53';
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.answer(0.4, POD, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    // The client's kernel answers the reply with port unreachable, quoting it with the DNAT undone.
    w.icmp(0.41, NS, `${C}:40000`, 1, true);
    // Go asks again 5 s later with a new id from a new socket; that reply is refused the same way.
    w.query(5000, `${C}:40001`, NS, 2, 'a.example.com', 'A');
    w.answer(5000.4, POD, `${C}:40001`, 2, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.icmp(5000.41, NS, `${C}:40001`, 2, true);
    w.query(10000, `${C}:40002`, NS, 3, 'b.example.com', 'A');
    const r = analyseWire(w);
    expect(r.transactions.filter((t) => t.name === 'a.example.com').map((t) => [t.queryFrame, t.responseFrame, t.status, t.icmpFrame, t.retryOf])).toEqual([
      [null, 2, 'ignored-response', 3, null],
      [null, 5, 'ignored-response', 6, null],
      [1, null, 'unanswered', null, null],
      [4, null, 'unanswered', null, 1],
    ]);
    expect(r.lookups.filter((l) => l.name === 'a.example.com').map((l) => [l.outcome, l.queries, l.retries])).toEqual([['timeout', 2, 1]]);
    // Without the ICMP errors (a `port 53` capture) the retry with a new id is what shows the first was not taken.
    const portOnly = new Wire();
    portOnly.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    portOnly.answer(0.4, POD, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    portOnly.query(5000, `${C}:40001`, NS, 2, 'a.example.com', 'A');
    const p = analyseWire(portOnly);
    expect(p.transactions.map((t) => [t.queryFrame, t.status, t.retryOf])).toEqual([
      [null, 'ignored-response', null],
      [1, 'unanswered', null],
      [3, 'unanswered-near-capture-end', 1],
    ]);
  });

  it('reads the same query to two servers at once as two sends when the capture saw one interface (musl asks every nameserver)', () => {
    const w = new Wire();
    const S2 = '10.96.0.11:53';
    w.query(0, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.query(0.01, `${C}:40000`, S2, 1, 'a.example.com', 'A');
    w.answer(0.3, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.answer(0.4, S2, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    const one = analyseWire(w, { oneInterface: true });
    expect(one.transactions.map((t) => [t.queryFrame, t.server, t.responseFrame, t.status, t.retryOf, t.copyFrames, t.natServer])).toEqual([
      [1, NS, 3, 'answered', null, [], null],
      [2, S2, 4, 'answered', null, [], null],
    ]);
    expect(one.pairing).toMatchObject({ copies: 0, natCopies: 0, duplicateResponses: 0 });
    expect(one.lookups.map((l) => [l.name, l.queries, l.retries, l.fqdnQueries])).toEqual([['a.example.com', 2, 0, 2]]);
    expect(one.resolvers[0].nameservers).toEqual(['10.96.0.10', '10.96.0.11']);
    // Where the capture may hold copies (-i any, tcpdump text), the same packets are a DNAT's two sides.
    const any = analyseWire(w);
    expect(any.transactions.map((t) => [t.queryFrame, t.copyFrames, t.natServer])).toEqual([[1, [2, 4], S2]]);
    expect(any.pairing).toMatchObject({ copies: 2, natCopies: 2 });
  });

  it('does not wait for a server that did not answer a query another server answered at once (musl takes the first answer)', () => {
    const w = new Wire();
    // The first server is dead and the capture (port 53) left its ICMP error out.
    w.query(0, `${C}:40000`, '10.96.0.9:53', 1, 'a.example.com', 'A');
    w.query(0.01, `${C}:40000`, NS, 1, 'a.example.com', 'A');
    w.answer(0.3, NS, `${C}:40000`, 1, 'a.example.com', 'A', 'NOERROR', [A1]);
    w.query(9000, `${C}:40001`, NS, 2, 'b.example.com', 'A');
    w.answer(9000.2, NS, `${C}:40001`, 2, 'b.example.com', 'A', 'NOERROR', [A1]);
    const r = analyseWire(w, { oneInterface: true });
    expect(r.transactions.filter((t) => t.name === 'a.example.com').map((t) => [t.server, t.status])).toEqual([
      ['10.96.0.9:53', 'unanswered'],
      [NS, 'answered'],
    ]);
    expect(r.lookups.filter((l) => l.name === 'a.example.com').map((l) => [l.outcome, l.queries, l.elapsedMs])).toEqual([['answered', 2, 0.3]]);
  });

  it('closes the oldest open query early past the bound, warns once, and goes on', () => {
    const w = new Wire();
    for (let i = 0; i < 5; i++) w.query(i, `${C}:${40000 + i}`, NS, i, `n${i}.example.com`, 'A');
    const warnings: string[] = [];
    const settled: Transaction[] = [];
    const p = new TransactionPairer({ timeoutMs: 5000, maxOpen: 3 }, { settled: (t) => settled.push(t) }, { anomaly: () => {}, warn: (m) => warnings.push(m) });
    for (const m of w.messages) p.add(m as DnsMessage);
    expect(settled.map((t) => [t.name, t.status])).toEqual([
      ['n0.example.com', 'unanswered'],
      ['n1.example.com', 'unanswered'],
    ]);
    p.finish(10);
    expect(settled).toHaveLength(5);
    expect(p.stats.evicted).toBe(2);
    expect(warnings).toEqual(['more than 3 queries were open at once; the oldest were closed early and may show as unanswered']);
  });

  it('meets ICMP errors kept in a separate list with their queries, in frame order', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, '127.0.0.9:53', 5, 'api.example.com', 'A');
    w.icmp(0.03, `${C}:40000`, '127.0.0.9:53', 5);
    w.query(0.1, `${C}:40001`, NS, 5, 'api.example.com', 'A');
    w.answer(0.6, NS, `${C}:40001`, 5, 'api.example.com', 'A', 'NOERROR', [A1]);
    const messages = w.messages.filter((m): m is DnsMessage => 'isResponse' in m);
    const icmp = w.messages.filter((m): m is IcmpUnreachable => !('isResponse' in m));
    const a = new DnsAnalyzer({ timeoutMs: 5000, resolver: {} });
    feedInFrameOrder(a, messages, icmp);
    const r = a.finish(600);
    expect(r.transactions.map((t) => [t.queryFrame, t.status, t.icmpFrame, t.retryReason])).toEqual([
      [1, 'unreachable', 2, null],
      [3, 'answered-after-retry', null, 'icmp-unreachable'],
    ]);
  });
});
