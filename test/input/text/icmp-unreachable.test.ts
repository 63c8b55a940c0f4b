import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTcpdumpText } from '../../../src/input/text/read-tcpdump-text.js';
import type { DnsMessage, IcmpUnreachable, Report } from '../../../src/model.js';
import { FIXTURES, analyzeFile, framesByLine } from '../../helpers.js';

async function read(text: string, fastLines = true) {
  const messages: DnsMessage[] = [];
  const icmp: IcmpUnreachable[] = [];
  const info = await readTcpdumpText(
    (async function* () { yield new TextEncoder().encode(text); })(),
    (m) => messages.push(m),
    { anomaly: () => {}, warn: () => {} },
    [53],
    { fastLines, onIcmp: (u) => icmp.push(u) },
  );
  return { messages, icmp, info };
}

/** What the analysis made of the ICMP errors, in capture frames and addresses (the names tcpdump resolved them to mapped back). */
function icmpView(r: Report, frame: (n: number | null) => number | null) {
  const host = (e: string) => e.replace(/^debug(?=:|$)/, '127.0.0.1').replace(/^dns-default\.openshift-dns\.svc\.cluster\.local(?=:|$)/, '127.0.0.10');
  return {
    icmp: (r.icmpUnreachable ?? []).map((u) => ({ ...u, frame: frame(u.frame), client: host(u.client), timeUs: null })),
    transactions: r.transactions
      .map((t) => ({ id: t.id, server: host(t.server), status: t.status, queryFrame: frame(t.queryFrame), icmpFrame: frame(t.icmpFrame), retriedBy: frame(t.retriedBy) }))
      .sort((a, b) => (a.queryFrame ?? 0) - (b.queryFrame ?? 0)),
    findings: r.findings.map((f) => ({ kind: f.kind, title: host(f.title), summary: f.summary.replaceAll('dns-default.openshift-dns.svc.cluster.local', '127.0.0.10'), impact: f.impact, evidence: f.evidence.map(frame) })),
    unanswered: r.summary.unanswered,
  };
}

describe('ICMP port unreachable in tcpdump text', () => {
  for (const suffix of ['.txt', '.n.txt', '.nn-v.txt', '.vv.txt', '.tttt.txt']) {
    it(`dead-nameserver${suffix} gives the capture's ICMP errors, unreachable queries and findings`, async () => {
      const path = `${FIXTURES}dead-nameserver${suffix}`;
      const lines = framesByLine(path);
      const capture = icmpView(await analyzeFile(`${FIXTURES}dead-nameserver.pcap`), (n) => n);
      const text = icmpView(await analyzeFile(path), (n) => (n === null ? null : lines[n]));
      expect(capture.icmp.length).toBe(6);
      expect(capture.transactions.filter((t) => t.status === 'unreachable').length).toBe(6);
      expect(text).toEqual(capture);
    });
  }

  const Q1 = '10:00:00.000100 IP 10.0.0.1.40001 > 10.0.0.9.53: 11+ A? a.example. (27)';
  const Q2 = '10:00:00.000200 IP 10.0.0.1.40001 > 10.0.0.9.53: 12+ AAAA? a.example. (27)';
  const ICMP = '10:00:00.000300 IP 10.0.0.9 > 10.0.0.1: ICMP 10.0.0.9 udp port 53 unreachable, length 63';

  it('ties an error without -v to the one open query it can be about', async () => {
    const { icmp, info } = await read([Q1, ICMP, ''].join('\n'));
    expect(icmp).toEqual([{ frame: 2, timeUs: 36_000_000_300, reporter: '10.0.0.9', client: '10.0.0.1:40001', server: '10.0.0.9:53', transport: 'udp', code: 3, dnsId: 11 }]);
    expect(info.notDns).toBe(1);
  });

  it('leaves the DNS id unknown when two open queries fit an error without -v', async () => {
    const { icmp } = await read([Q1, Q2, ICMP, ICMP, ''].join('\n'));
    expect(icmp.map((u) => [u.client, u.dnsId])).toEqual([['10.0.0.1', null], ['10.0.0.1', null]]);
  });

  it('does not tie an error to a query that was answered or already refused', async () => {
    const answer = '10:00:00.000250 IP 10.0.0.9.53 > 10.0.0.1.40001: 11 0/0/0 (27)';
    const { icmp } = await read([Q1, Q2, answer, ICMP, ICMP, ''].join('\n'));
    expect(icmp.map((u) => u.dnsId)).toEqual([12, null]);
  });

  it('reads the quote of a -v error, a refused response included, the same from bytes and from text', async () => {
    const text = [
      '10:00:00.000300 IP (tos 0xc0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 91)',
      '    10.0.0.1 > 10.0.0.9: ICMP 10.0.0.1 udp port 40001 unreachable, length 71',
      '\tIP (tos 0x0, ttl 64, id 2, offset 0, flags [DF], proto UDP (17), length 63)',
      '    10.0.0.9.53 > 10.0.0.1.40001: 11 NXDomain 0/0/0 (35)',
      '10:00:00.000400 IP (tos 0xc0, ttl 64, id 3, offset 0, flags [none], proto ICMP (1), length 91)',
      '    10.0.0.9 > 10.0.0.1: ICMP 10.0.0.9 udp port 53 unreachable, length 71',
      '\tIP (tos 0x0, ttl 64, id 4, offset 0, flags [DF], proto UDP (17), length 63)',
      '    10.0.0.1.40002 > 10.0.0.9.53: [bad udp cksum 0x1 -> 0x2!] 13+ A? a.example. (35)',
      '',
    ].join('\n');
    const expected = [
      { frame: 1, timeUs: 36_000_000_300, reporter: '10.0.0.1', client: '10.0.0.1:40001', server: '10.0.0.9:53', transport: 'udp', code: 3, dnsId: 11 },
      { frame: 5, timeUs: 36_000_000_400, reporter: '10.0.0.9', client: '10.0.0.1:40002', server: '10.0.0.9:53', transport: 'udp', code: 3, dnsId: 13 },
    ];
    for (const fastLines of [true, false]) {
      const { icmp, messages } = await read(text, fastLines);
      expect(icmp).toEqual(expected);
      expect(messages).toEqual([]);
    }
  });

  it('ties an error about a response without -v to the newest response to the refused port, and names its server as the quote would', async () => {
    // Go's connected socket refuses an answer from an address it did not ask (go-foreign-source):
    // the query went to 10.0.0.9, the answer came from 10.0.0.11, and the error goes back to
    // 10.0.0.9 through the NAT; -v would quote "10.0.0.9.53 > 10.0.0.1.40001: 11 …".
    const lines = [
      '10:00:00.000100 IP 10.0.0.1.40001 > 10.0.0.9.53: 11+ A? a.example. (27)',
      '10:00:00.000200 IP 10.0.0.1.40002 > 10.0.0.9.53: 12+ AAAA? a.example. (27)',
      '10:00:00.000300 IP 10.0.0.11.53 > 10.0.0.1.40002: 12 0/0/0 (27)',
      '10:00:00.000310 IP 10.0.0.11.53 > 10.0.0.1.40001: 11 1/0/0 A 192.0.2.1 (43)',
      '10:00:00.000320 IP 10.0.0.1 > 10.0.0.9: ICMP 10.0.0.1 udp port 40001 unreachable, length 79',
      '10:00:00.000330 IP 10.0.0.1 > 10.0.0.9: ICMP 10.0.0.1 udp port 40002 unreachable, length 63',
      // The same port refused again with no new response to it: nothing to tie it to.
      '10:00:00.000340 IP 10.0.0.1 > 10.0.0.9: ICMP 10.0.0.1 udp port 40002 unreachable, length 63',
      '',
    ];
    const { icmp, info } = await read(lines.join('\n'));
    expect(icmp).toEqual([
      { frame: 5, timeUs: 36_000_000_320, reporter: '10.0.0.1', client: '10.0.0.1:40001', server: '10.0.0.9:53', transport: 'udp', code: 3, dnsId: 11 },
      { frame: 6, timeUs: 36_000_000_330, reporter: '10.0.0.1', client: '10.0.0.1:40002', server: '10.0.0.9:53', transport: 'udp', code: 3, dnsId: 12 },
    ]);
    expect(info.notDns).toBe(3);
  });

  it('go-foreign-source: every rendering gives the capture reading, one lookup that failed after 50 s, not ten answered at once', async () => {
    const [call] = JSON.parse(readFileSync(`${FIXTURES}go-foreign-source.calls.json`, 'utf8')) as { result: string; seconds: number }[];
    expect(call.result).toBe('error');
    for (const suffix of ['.pcap', '.txt', '.n.txt', '.nn-v.txt', '.vv.txt', '.tttt.txt']) {
      const r = await analyzeFile(`${FIXTURES}go-foreign-source${suffix}`);
      expect(r.icmpUnreachable?.length, suffix).toBe(20);
      expect(r.lookups.map((l) => [l.name, l.outcome, l.queries]), suffix).toEqual([['my-blog', 'timeout', 20]]);
      expect(r.lookups[0].elapsedMs).toBeGreaterThan(call.seconds * 1000 - 10);
      expect(r.lookups[0].elapsedMs).toBeLessThanOrEqual(call.seconds * 1000);
      expect(r.transactions.filter((t) => t.status === 'ignored-response')).toHaveLength(20);
      expect(r.findings[0].kind).toBe('ignored-answers');
    }
  });

  it('reads an ICMPv6 port unreachable, with and without -v, by the one open query', async () => {
    const q = '10:00:00.000100 IP6 2001:db8::1.40001 > 2001:db8::9.53: 11+ A? a.example. (27)';
    const plain = '10:00:00.000300 IP6 2001:db8::9 > 2001:db8::1: ICMP6, destination unreachable, unreachable port, 2001:db8::9 udp port 53, length 83';
    const verbose =
      '10:00:00.000300 IP6 (flowlabel 0x1, hlim 64, next-header ICMPv6 (58) payload length: 83) 2001:db8::9 > 2001:db8::1: [icmp6 sum ok] ICMP6, destination unreachable, unreachable port, 2001:db8::9 udp port 53';
    for (const line of [plain, verbose]) {
      const { icmp } = await read([q, line, ''].join('\n'));
      expect(icmp).toEqual([{ frame: 2, timeUs: 36_000_000_300, reporter: '2001:db8::9', client: '[2001:db8::1]:40001', server: '[2001:db8::9]:53', transport: 'udp', code: 4, dnsId: 11 }]);
    }
  });

  it('passes over ICMP errors that are not about DNS', async () => {
    const { icmp, info } = await read([Q1, '10:00:00.000300 IP 10.0.0.9 > 10.0.0.1: ICMP 10.0.0.9 udp port 123 unreachable, length 56', ''].join('\n'));
    expect(icmp).toEqual([]);
    expect(info.notDns).toBe(1);
  });
});
