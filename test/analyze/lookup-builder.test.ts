import { describe, expect, it } from 'vitest';
import { RECENT_NAMES_PER_CLIENT } from '../../src/analyze/analysis-limits.js';
import { POD_SEARCH, Wire, analyseWire } from './wire.js';

const C = '10.0.0.5';
const NS = '10.96.0.10:53';
const ADDR: [string, string][] = [['A', '172.67.165.72']];
const ADDR6: [string, string][] = [['AAAA', '2606:4700::6810:39b6']];

/**
 * One glibc search step: A and AAAA leave together on one new socket with two ids; answers come
 * back in either order (RESOLVERS.md). `rcode` for both; records only for a positive answer.
 */
function glibcStep(w: Wire, t: number, port: number, name: string, ids: [number, number], rcode: string, aaaaFirst = false): void {
  const src = `${C}:${port}`;
  w.query(t, src, NS, ids[0], name, 'A');
  w.query(t + 0.02, src, NS, ids[1], name, 'AAAA');
  // NODATA is NOERROR without records.
  const wire = rcode === 'NODATA' ? 'NOERROR' : rcode;
  const answerA = () => w.answer(t + 0.3, NS, src, ids[0], name, 'A', wire, rcode === 'NOERROR' ? ADDR : []);
  const answerAAAA = () => w.answer(t + 0.3, NS, src, ids[1], name, 'AAAA', wire, rcode === 'NOERROR' ? ADDR6 : []);
  if (aaaaFirst) {
    answerAAAA();
    answerA();
  } else {
    answerA();
    answerAAAA();
  }
}

/** A glibc walk of `base` through the pod's four suffixes (NXDOMAIN) to the name as written. */
function glibcWalk(w: Wire, t: number, port: number, base: string, firstId: number, final = 'NOERROR'): void {
  POD_SEARCH.forEach((s, i) => glibcStep(w, t + i, port + i, `${base}.${s}`, [firstId + 2 * i, firstId + 2 * i + 1], 'NXDOMAIN', i % 2 === 1));
  glibcStep(w, t + 4, port + 4, base, [firstId + 8, firstId + 9], final);
}

describe('rebuilding lookups from glibc walks', () => {
  it('rebuilds an A+AAAA walk through four suffixes, answers in either order, as one lookup', () => {
    const w = new Wire();
    glibcWalk(w, 0, 40000, 'blog.mosuke.tech', 100);
    const r = analyseWire(w);
    expect(r.lookups).toHaveLength(1);
    expect(r.lookups[0]).toMatchObject({
      client: C,
      name: 'blog.mosuke.tech',
      types: ['A', 'AAAA'],
      queries: 10,
      wastedQueries: 8,
      retries: 0,
      outcome: 'answered',
      answeredName: 'blog.mosuke.tech',
      suffix: null,
      suffixesTried: POD_SEARCH,
      addresses: ['172.67.165.72', '2606:4700::6810:39b6'],
      elapsedMs: 4.3,
      wastedMs: 4,
      fqdnQueries: 2,
      fqdnMs: 0.3,
      kind: 'search-expansion',
      firstFrame: 1,
      lastFrame: 20,
    });
    expect(r.lookups[0].attempts.map((a) => [a.name, a.type, a.rcode, a.wasted])).toHaveLength(10);
    expect(r.resolvers).toEqual([
      expect.objectContaining({ client: C, searchList: POD_SEARCH, ndots: 5, namespace: 'test', clusterDomain: 'cluster.local', aaaaMode: 'parallel', nameservers: ['10.96.0.10'] }),
    ]);
  });

  it('keeps two interleaved lookups from two threads apart, by name family', () => {
    const w = new Wire();
    // Thread 1 walks api, thread 2 walks db; their steps alternate on the wire.
    for (let i = 0; i < 4; i++) {
      glibcStep(w, i, 40000 + i, `api.${POD_SEARCH[i]}`, [1000 + 2 * i, 1001 + 2 * i], 'NXDOMAIN');
      glibcStep(w, i + 0.5, 41000 + i, `db.${POD_SEARCH[i]}`, [2000 + 2 * i, 2001 + 2 * i], 'NXDOMAIN');
    }
    glibcStep(w, 4, 40004, 'api', [1008, 1009], 'NXDOMAIN');
    glibcStep(w, 4.5, 41004, 'db', [2008, 2009], 'NXDOMAIN');
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries, l.wastedQueries, l.outcome, l.suffixesTried.length])).toEqual([
      ['api', 10, 8, 'nxdomain', 4],
      ['db', 10, 8, 'nxdomain', 4],
    ]);
  });

  it('keeps two threads asking the same name at the same moment as two lookups, each on its own socket', () => {
    const w = new Wire();
    const name = 'api.test.svc.cluster.local';
    w.query(0, `${C}:40000`, NS, 1, name, 'A');
    w.query(0.01, `${C}:40001`, NS, 3, name, 'A');
    w.query(0.02, `${C}:40000`, NS, 2, name, 'AAAA');
    w.query(0.03, `${C}:40001`, NS, 4, name, 'AAAA');
    for (const [port, id, type] of [[40000, 1, 'A'], [40001, 3, 'A'], [40000, 2, 'AAAA'], [40001, 4, 'AAAA']] as const) {
      w.answer(0.5, NS, `${C}:${port}`, id, name, type, 'NOERROR', type === 'A' ? ADDR : ADDR6);
    }
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries, l.attempts.map((a) => a.queryFrame)])).toEqual([
      ['api', 2, [1, 3]],
      ['api', 2, [2, 4]],
    ]);
  });

  it('keeps a trailing-dot lookup of the same name apart from a walk still on its second suffix', () => {
    const w = new Wire();
    glibcStep(w, 0, 40000, `blog.mosuke.tech.${POD_SEARCH[0]}`, [1, 2], 'NXDOMAIN');
    glibcStep(w, 1, 40001, `blog.mosuke.tech.${POD_SEARCH[1]}`, [3, 4], 'NXDOMAIN');
    glibcStep(w, 1.1, 41000, 'blog.mosuke.tech', [50, 51], 'NOERROR');
    glibcStep(w, 2, 40002, `blog.mosuke.tech.${POD_SEARCH[2]}`, [5, 6], 'NXDOMAIN');
    glibcStep(w, 3, 40003, `blog.mosuke.tech.${POD_SEARCH[3]}`, [7, 8], 'NXDOMAIN');
    glibcStep(w, 4, 40004, 'blog.mosuke.tech', [9, 10], 'NOERROR');
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries, l.wastedQueries, l.firstFrame])).toEqual([
      ['blog.mosuke.tech', 10, 8, 1],
      ['blog.mosuke.tech.', 2, 0, 9],
    ]);
  });

  it('abandons the search list after two timeouts and ends in the NXDOMAIN of the name as written', () => {
    const w = new Wire();
    const s1 = `my-svc.${POD_SEARCH[0]}`;
    w.query(0, `${C}:40000`, NS, 11, s1, 'A');
    w.query(0.02, `${C}:40000`, NS, 12, s1, 'AAAA');
    w.query(5000, `${C}:40000`, NS, 11, s1, 'A');
    w.query(5000.02, `${C}:40000`, NS, 12, s1, 'AAAA');
    glibcStep(w, 10000.1, 40001, 'my-svc', [13, 14], 'NXDOMAIN');
    const r = analyseWire(w);
    expect(r.lookups).toHaveLength(1);
    expect(r.lookups[0]).toMatchObject({
      name: 'my-svc',
      outcome: 'nxdomain',
      suffixesTried: [POD_SEARCH[0]],
      queries: 6,
      wastedQueries: 4,
      retries: 2,
      wastedMs: 10000.1,
      elapsedMs: 10000.4,
    });
    expect(r.resolvers[0]).toMatchObject({ timeoutMs: 5000, attempts: 2 });
    const f = r.findings.find((x) => x.kind === 'misleading-nxdomain');
    expect(f?.summary).toBe(
      `The lookup of my-svc ended NXDOMAIN on my-svc after ${s1} timed out. The resolver then gave up the rest of the search list. ` +
        `The application was told the name does not exist (6 queries, 10000.4 ms), although ${s1} may exist.`,
    );
  });

  describe('an A+AAAA walk that ends NXDOMAIN after a step answered SERVFAIL', () => {
    const s2 = `my-svc.${POD_SEARCH[1]}`;
    /** Steps 1 and 3 as glibc sends them, and step 2 (SERVFAIL) from the sockets `ports` (A's, AAAA's) at the times given. */
    const walk = (ports: [number, number], aaaaAtMs: number): Wire => {
      const w = new Wire();
      glibcStep(w, 0, 40000, `my-svc.${POD_SEARCH[0]}`, [1, 2], 'NXDOMAIN');
      w.query(1, `${C}:${ports[0]}`, NS, 3, s2, 'A');
      w.query(1 + aaaaAtMs, `${C}:${ports[1]}`, NS, 4, s2, 'AAAA');
      w.answer(1.2, NS, `${C}:${ports[0]}`, 3, s2, 'A', 'SERVFAIL');
      w.answer(1.2 + aaaaAtMs, NS, `${C}:${ports[1]}`, 4, s2, 'AAAA', 'SERVFAIL');
      glibcStep(w, 3, 40003, `my-svc.${POD_SEARCH[2]}`, [5, 6], 'NXDOMAIN');
      glibcStep(w, 4, 40004, 'my-svc', [7, 8], 'NXDOMAIN');
      return w;
    };
    const misleading = (w: Wire) => analyseWire(w).findings.filter((f) => f.kind === 'misleading-nxdomain');

    it('is not misleading from glibc, which then says "try again" (EAI_AGAIN), the pair on one socket or the AAAA from a new one after the A', () => {
      expect(misleading(walk([40001, 40001], 0.02))).toEqual([]);
      // single-request-reopen: the AAAA leaves from a new socket once the A is answered.
      expect(misleading(walk([40001, 40101], 0.3))).toEqual([]);
    });

    it('is misleading from Go, whose pair leaves from two sockets at once and which says "no such host"', () => {
      const f = misleading(walk([40001, 40101], 0.02));
      expect(f.map((x) => x.summary)).toEqual([
        `The lookup of my-svc ended NXDOMAIN on my-svc after ${s2} answered SERVFAIL. ` +
          `The application was told the name does not exist (8 queries, 4.3 ms), although ${s2} may exist.`,
      ]);
      expect(f[0].impact).toEqual({ queries: 6, ms: 4 });
    });
  });

  it('goes on after NODATA mid-walk (glibc) and reports that musl and dig would stop there', () => {
    const w = new Wire();
    glibcStep(w, 0, 40000, `default.${POD_SEARCH[0]}`, [1, 2], 'NXDOMAIN');
    glibcStep(w, 1, 40001, `default.${POD_SEARCH[1]}`, [3, 4], 'NODATA');
    glibcStep(w, 2, 40002, `default.${POD_SEARCH[2]}`, [5, 6], 'NXDOMAIN');
    glibcStep(w, 3, 40003, `default.${POD_SEARCH[3]}`, [7, 8], 'NXDOMAIN');
    glibcStep(w, 4, 40004, 'default', [9, 10], 'NXDOMAIN');
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.outcome, l.queries, l.wastedQueries])).toEqual([['default', 'nxdomain', 10, 8]]);
    const f = r.findings.find((x) => x.kind === 'nodata-midwalk');
    expect(f).toMatchObject({ evidence: [5, 6, 7, 8], impact: { queries: 2, ms: 0.58 } });
    expect(f?.summary).toBe(
      'default.svc.cluster.local exists but had no record of the type asked (NODATA) in 1 lookup: the resolver went on to the next suffix (glibc does; musl and dig would have stopped there with no address).',
    );
  });
});

describe('rebuilding lookups from dig +search', () => {
  it('stops on NODATA: one type, a new port per query, two queries', () => {
    const w = new Wire();
    w.query(0, `${C}:50001`, NS, 71, `default.${POD_SEARCH[0]}`, 'A');
    w.answer(0.4, NS, `${C}:50001`, 71, `default.${POD_SEARCH[0]}`, 'A', 'NXDOMAIN');
    w.query(0.9, `${C}:50002`, NS, 72, `default.${POD_SEARCH[1]}`, 'A');
    w.answer(1.2, NS, `${C}:50002`, 72, `default.${POD_SEARCH[1]}`, 'A', 'NOERROR');
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.types, l.outcome, l.queries, l.wastedQueries, l.suffixesTried])).toEqual([
      ['default', ['A'], 'nodata', 2, 1, [POD_SEARCH[0], POD_SEARCH[1]]],
    ]);
    expect(r.findings.find((x) => x.kind === 'nodata-midwalk')?.summary).toContain('1 stopped there with no address');
    expect(r.resolvers[0].aaaaMode).toBe('a-only');
  });

  it('joins the TCP retry with a new id after TC to the same attempt', () => {
    const w = new Wire();
    const name = `many.${POD_SEARCH[0]}`;
    w.query(0, `${C}:50001`, NS, 81, name, 'A');
    w.answer(0.5, NS, `${C}:50001`, 81, name, 'A', 'NOERROR', ADDR, { tc: true });
    w.query(1, `${C}:50002`, NS, 82, name, 'A', 'tcp');
    w.answer(2, NS, `${C}:50002`, 82, name, 'A', 'NOERROR', ADDR, { transport: 'tcp' });
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.outcome, l.queries, l.wastedQueries, l.retries, l.elapsedMs])).toEqual([['many', 'answered', 2, 0, 1, 2]]);
  });
});

describe('a search list that is not a pod', () => {
  it('learns the suffixes and ndots from the first walk, in order', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'db.corp.example.com', 'A');
    w.answer(0.5, NS, `${C}:40000`, 1, 'db.corp.example.com', 'A', 'NXDOMAIN');
    w.query(0.6, `${C}:40001`, NS, 2, 'db.example.com', 'A');
    w.answer(1, NS, `${C}:40001`, 2, 'db.example.com', 'A', 'NXDOMAIN');
    w.query(1.1, `${C}:40002`, NS, 3, 'db', 'A');
    w.answer(1.5, NS, `${C}:40002`, 3, 'db', 'A', 'NOERROR', [['A', '10.1.1.1']]);
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.suffixesTried, l.queries, l.wastedQueries, l.outcome])).toEqual([
      ['db', ['corp.example.com', 'example.com'], 3, 2, 'answered'],
    ]);
    expect(r.resolvers[0]).toMatchObject({ searchList: ['corp.example.com', 'example.com'], ndots: 1, namespace: null });
    expect(r.resolvers[0].sources.ndots).toBe('inferred: db (0 dots) was tried with the search suffixes first, so ndots is at least 1');
  });

  it('lets --search and --ndots override what was inferred, and says so', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, 'db.corp.example.com', 'A');
    w.answer(0.5, NS, `${C}:40000`, 1, 'db.corp.example.com', 'A', 'NOERROR', ADDR);
    const r = analyseWire(w, { resolver: { searchList: ['corp.example.com'], ndots: 2, origin: { searchList: 'from --resolv-conf resolv.conf' } } });
    expect(r.lookups.map((l) => [l.name, l.suffix, l.queries])).toEqual([['db', 'corp.example.com', 1]]);
    expect(r.resolvers[0]).toMatchObject({ searchList: ['corp.example.com'], ndots: 2 });
    expect(r.resolvers[0].sources).toMatchObject({ searchList: 'from --resolv-conf resolv.conf', ndots: 'given on the command line' });
  });
});

describe('the A/AAAA mode of a resolver', () => {
  it('reads single-request-reopen from A and AAAA on two sockets, one after the other', () => {
    const w = new Wire();
    const name = `api.${POD_SEARCH[0]}`;
    w.query(0, `${C}:40000`, NS, 1, name, 'A');
    w.answer(0.3, NS, `${C}:40000`, 1, name, 'A', 'NOERROR', ADDR);
    w.query(0.4, `${C}:40001`, NS, 2, name, 'AAAA');
    w.answer(0.7, NS, `${C}:40001`, 2, name, 'AAAA', 'NOERROR', ADDR6);
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries])).toEqual([['api', 2]]);
    expect(r.resolvers[0].aaaaMode).toBe('serial-reopen');
  });

  it("reads Go's A and AAAA on two sockets at once as parallel, not as single-request-reopen", () => {
    // go-search.pcap: the AAAA leaves first, the A 0.1 ms later from another socket, before any answer.
    const w = new Wire();
    const name = `api.${POD_SEARCH[0]}`;
    w.query(0, `${C}:45336`, NS, 23119, name, 'AAAA');
    w.query(0.1, `${C}:45320`, NS, 14398, name, 'A');
    w.answer(0.3, NS, `${C}:45336`, 23119, name, 'AAAA', 'NOERROR', ADDR6);
    w.answer(0.45, NS, `${C}:45320`, 14398, name, 'A', 'NOERROR', ADDR);
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries])).toEqual([['api', 2]]);
    expect(r.resolvers[0].aaaaMode).toBe('parallel');
  });
});

describe('one-round-trip CNAME answers', () => {
  function oneStep(name: string, records: [string, string][]) {
    const w = new Wire();
    w.query(0, `${C}:40000`, NS, 1, name, 'A');
    w.answer(1, NS, `${C}:40000`, 1, name, 'A', 'NOERROR', records);
    return analyseWire(w).lookups[0];
  }

  it('tells an ExternalName Service (arbitrary external target) from autopath (target is the name as written) and a plain CNAME', () => {
    expect(oneStep('my-blog.test.svc.cluster.local', [['CNAME', 'blog.mosuke.tech'], ['A', '172.67.165.72']])).toMatchObject({
      name: 'my-blog',
      kind: 'externalname',
      cname: 'blog.mosuke.tech',
    });
    expect(oneStep('google.com.test.svc.cluster.local', [['CNAME', 'google.com'], ['A', '142.250.1.1']])).toMatchObject({
      name: 'google.com',
      kind: 'autopath',
      suffix: 'test.svc.cluster.local',
    });
    expect(oneStep('www.example.com', [['CNAME', 'edge.cdn.example.net'], ['A', '192.0.2.1']])).toMatchObject({ kind: 'cname', suffix: null });
    expect(oneStep('web.test.svc.cluster.local', [['CNAME', 'web-v2.test.svc.cluster.local'], ['A', '10.0.0.9']])).toMatchObject({ kind: 'cname' });
  });
});

describe('timeouts and nameservers', () => {
  it('finds the 5-second pattern: the AAAA of a pair resent after the timeout while the A came back at once', () => {
    const w = new Wire();
    const name = `api.${POD_SEARCH[0]}`;
    w.query(0, `${C}:40000`, NS, 1, name, 'A');
    w.query(0.02, `${C}:40000`, NS, 2, name, 'AAAA');
    w.answer(0.3, NS, `${C}:40000`, 1, name, 'A', 'NOERROR', ADDR);
    w.query(5000.02, `${C}:40000`, NS, 2, name, 'AAAA');
    w.answer(5000.3, NS, `${C}:40000`, 2, name, 'AAAA', 'NOERROR', ADDR6);
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.queries, l.retries, l.elapsedMs])).toEqual([['api', 3, 1, 5000.3]]);
    const f = r.findings.find((x) => x.kind === 'five-second-delay');
    expect(f).toMatchObject({ evidence: [2, 4, 5], impact: { queries: 1, ms: 5000 } });
    expect(f?.summary).toBe(
      '1 query of an A/AAAA pair lost one answer and were sent again 5000 ms later on the same socket (api.test.svc.cluster.local AAAA), while the other type was answered at once: 5 s of waiting in all.',
    );
  });

  it('tells a silent first nameserver (5 s per lookup) apart', () => {
    const w = new Wire();
    w.query(0, `${C}:40000`, '10.0.0.53:53', 1, 'api.example.com', 'A');
    w.query(5000, `${C}:40001`, NS, 1, 'api.example.com', 'A');
    w.answer(5000.4, NS, `${C}:40001`, 1, 'api.example.com', 'A', 'NOERROR', ADDR);
    const r = analyseWire(w);
    expect(r.transactions.map((t) => [t.server, t.status, t.retryReason])).toEqual([
      ['10.0.0.53:53', 'unanswered', null],
      [NS, 'answered-after-retry', 'timeout'],
    ]);
    expect(r.lookups.map((l) => [l.name, l.queries, l.outcome, l.elapsedMs])).toEqual([['api.example.com', 2, 'answered', 5000.4]]);
    const f = r.findings.find((x) => x.kind === 'silent-nameserver');
    expect(f).toMatchObject({ title: 'A nameserver never answers: 10.0.0.53', impact: { queries: 1, ms: 5000 } });
    expect(r.resolvers[0].nameservers).toEqual(['10.0.0.53', '10.96.0.10']);
  });
  it('calls a name that does not exist not found, not misleadingly so, when every step failed over from a dead first server', () => {
    // Each step: A and AAAA to the dead 127.0.0.9 (ICMP port unreachable each), then at once the
    // pair, same ids, from a new port, to the cluster DNS (dead-nameserver-pair.pcap). Every
    // suffix and the name as written are NXDOMAIN: nothing timed out, no suffix was given up.
    const w = new Wire();
    const DEAD = '127.0.0.9:53';
    const names = [...POD_SEARCH.map((s) => `redis-mastr.${s}`), 'redis-mastr'];
    names.forEach((name, i) => {
      const t = i * 2;
      const ids: [number, number] = [40 + 2 * i, 41 + 2 * i];
      w.query(t, `${C}:${31000 + i}`, DEAD, ids[0], name, 'A');
      w.icmp(t + 0.01, `${C}:${31000 + i}`, DEAD, ids[0]);
      w.query(t + 0.02, `${C}:${31000 + i}`, DEAD, ids[1], name, 'AAAA');
      w.icmp(t + 0.03, `${C}:${31000 + i}`, DEAD, ids[1]);
      glibcStep(w, t + 0.05, 32000 + i, name, ids, 'NXDOMAIN');
    });
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.kind, l.outcome, l.queries, l.wastedQueries])).toEqual([['redis-mastr', 'search-expansion', 'nxdomain', 20, 16]]);
    expect(r.findings.map((f) => f.kind)).not.toContain('misleading-nxdomain');
    expect(r.findings.map((f) => f.kind)).toContain('dead-nameserver');
  });
});

describe('a server that loses answers (5 s timeouts all through the capture)', () => {
  /**
   * `api` in the pod's namespace from `tMs`: its AAAA is NODATA at once, its A is lost; `meanwhile`
   * writes what the client sends while it waits, and 5 s later the A is sent again and answered.
   */
  function apiWaitingAround(w: Wire, tMs: number, meanwhile: () => void): void {
    const api = `api.${POD_SEARCH[0]}`;
    w.query(tMs, `${C}:40000`, NS, 500, api, 'A');
    w.query(tMs + 0.02, `${C}:40000`, NS, 501, api, 'AAAA');
    w.answer(tMs + 0.3, NS, `${C}:40000`, 501, api, 'AAAA', 'NOERROR');
    meanwhile();
    w.query(tMs + 5000, `${C}:40000`, NS, 500, api, 'A');
    w.answer(tMs + 5000.3, NS, `${C}:40000`, 500, api, 'A', 'NOERROR', ADDR);
  }

  it('starts a new walk at a name with the first suffix instead of joining a walk of its first label still waiting', () => {
    const w = new Wire();
    // A first walk shows the search list.
    glibcWalk(w, 0, 30000, 'blog.mosuke.tech', 100);
    // While `api` waits for its lost A, the application looks up api.segment.io.
    apiWaitingAround(w, 100, () => glibcWalk(w, 200, 41000, 'api.segment.io', 600));
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.kind, l.outcome, l.queries, l.wastedQueries])).toEqual([
      ['blog.mosuke.tech', 'search-expansion', 'answered', 10, 8],
      ['api.segment.io', 'search-expansion', 'answered', 10, 8],
      ['api', 'direct', 'answered', 3, 0],
    ]);
  });

  it('does not read the next lookup of a name that ended its walk as the name tried as written first', () => {
    const w = new Wire();
    const x = 'metrics.internal.example';
    // x does not exist. Its walk's last suffix step loses its AAAA: the name as written goes out
    // 5 s later, when the pod's other lookups have pushed the walk's first steps out of the
    // client's recent names (RECENT_NAMES_PER_CLIENT). The application asks again 10 ms after
    // the last answer, and that walk starts with the first suffix.
    POD_SEARCH.slice(0, 3).forEach((s, i) => glibcStep(w, i, 30000 + i, `${x}.${s}`, [100 + 2 * i, 101 + 2 * i], 'NXDOMAIN'));
    const last = `${x}.${POD_SEARCH[3]}`;
    w.query(3, `${C}:30003`, NS, 106, last, 'A');
    w.query(3.02, `${C}:30003`, NS, 107, last, 'AAAA');
    w.answer(3.3, NS, `${C}:30003`, 106, last, 'A', 'NXDOMAIN');
    for (let i = 0; i < RECENT_NAMES_PER_CLIENT + 8; i++) glibcStep(w, 100 + i * 20, 31000 + i, `svc${i}.${POD_SEARCH[0]}`, [1000 + 2 * i, 1001 + 2 * i], 'NOERROR');
    w.query(5003, `${C}:30003`, NS, 107, last, 'AAAA');
    w.answer(5003.3, NS, `${C}:30003`, 107, last, 'AAAA', 'NXDOMAIN');
    glibcStep(w, 5004, 30004, x, [108, 109], 'NXDOMAIN');
    glibcWalk(w, 5015, 32000, x, 200, 'NXDOMAIN');
    const r = analyseWire(w);
    expect(r.lookups.filter((l) => l.name === x).map((l) => [l.kind, l.outcome, l.queries, l.retries])).toEqual([
      ['search-expansion', 'nxdomain', 11, 1],
      ['search-expansion', 'nxdomain', 10, 0],
    ]);
    // ndots:5 stands; "at most 3" would say x went as written before its suffixes.
    expect(r.resolvers).toEqual([expect.objectContaining({ client: C, ndots: 5 })]);
    expect(r.resolvers[0].sources.ndots).toBe('assumed: the Kubernetes default for pods');
  });

  it('learns no suffix from the walk of a longer name when a shorter one gives up its list on a silent step', () => {
    // `api`'s first suffix is never answered: after two timeouts glibc asks `api` as written,
    // while the steps of a walk of api.stripe.com are among the client's recent names. They are
    // that walk's (`api.stripe.com` + a known suffix), not suffixes `stripe.com.<suffix>` of `api`;
    // nor is `api.payments`, which ended a walk of its own (a suffix `payments`).
    const w = new Wire();
    glibcWalk(w, 0, 30000, 'blog.mosuke.tech', 100);
    const s1 = `api.${POD_SEARCH[0]}`;
    w.query(100, `${C}:31000`, NS, 11, s1, 'A');
    w.query(100.02, `${C}:31000`, NS, 12, s1, 'AAAA');
    w.query(5100, `${C}:31000`, NS, 11, s1, 'A');
    w.query(5100.02, `${C}:31000`, NS, 12, s1, 'AAAA');
    glibcWalk(w, 10080, 33000, 'api.payments', 300, 'NXDOMAIN');
    glibcWalk(w, 10090, 32000, 'api.stripe.com', 200);
    glibcStep(w, 10100.1, 31001, 'api', [13, 14], 'NXDOMAIN');
    const r = analyseWire(w);
    expect(r.resolvers.map((p) => p.searchList)).toEqual([POD_SEARCH]);
    expect(r.lookups.map((l) => [l.name, l.kind, l.outcome, l.queries, l.wastedQueries])).toEqual([
      ['blog.mosuke.tech', 'search-expansion', 'answered', 10, 8],
      ['api', 'search-expansion', 'nxdomain', 6, 4],
      ['api.payments', 'search-expansion', 'nxdomain', 10, 8],
      ['api.stripe.com', 'search-expansion', 'answered', 10, 8],
    ]);
  });

  it('keeps the lookup an application starts again at once, after one that ended SERVFAIL, apart from it', () => {
    // The upstream is down: CoreDNS answers SERVFAIL for the node suffix and the name as written.
    // glibc asks each failing pair twice, same socket, same ids, then moves on; the application,
    // told "try again", walks the list again at once with new sockets and ids. Its node-suffix
    // query is the question the first walk asked a millisecond before, still lingering: it must
    // start no retry of that walk.
    const w = new Wire();
    const x = 'api.segment.io';
    const failingWalk = (t: number, port: number, id: number): void => {
      POD_SEARCH.slice(0, 3).forEach((s, i) => glibcStep(w, t + i, port + i, `${x}.${s}`, [id + 2 * i, id + 2 * i + 1], 'NXDOMAIN'));
      for (const [k, name] of [`${x}.${POD_SEARCH[3]}`, x].entries()) {
        const ids: [number, number] = [id + 6 + 2 * k, id + 7 + 2 * k];
        glibcStep(w, t + 3 + k, port + 3 + k, name, ids, 'SERVFAIL');
        glibcStep(w, t + 3.4 + k, port + 3 + k, name, ids, 'SERVFAIL');
      }
    };
    failingWalk(0, 30000, 100);
    failingWalk(4.8, 31000, 200);
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.kind, l.outcome, l.queries, l.wastedQueries, l.retries])).toEqual([
      [x, 'search-expansion', 'servfail', 14, 10, 4],
      [x, 'search-expansion', 'servfail', 14, 10, 4],
    ]);
    expect(r.transactions.filter((t) => t.retryReason === 'servfail')).toHaveLength(8);
  });

  it('continues a walk at a suffix the list does not know yet, not another walk of its first label that waits', () => {
    const w = new Wire();
    // The pod's first query shows its three Kubernetes suffixes; the node domain is not known yet.
    // `api` waits for a lost A while api.segment.io walks on to the node domain.
    apiWaitingAround(w, 0, () => glibcWalk(w, 10, 41000, 'api.segment.io', 600));
    const r = analyseWire(w);
    expect(r.lookups.map((l) => [l.name, l.kind, l.outcome, l.queries, l.suffixesTried])).toEqual([
      ['api.segment.io', 'search-expansion', 'answered', 10, POD_SEARCH],
      ['api', 'direct', 'answered', 3, [POD_SEARCH[0]]],
    ]);
  });
});
