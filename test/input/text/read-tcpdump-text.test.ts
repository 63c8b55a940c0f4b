import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTcpdumpText } from '../../../src/input/text/read-tcpdump-text.js';
import { FIXTURES, analyzeBytes } from '../../helpers.js';
import { renderMarkdown } from '../../../src/report/render-markdown.js';
import { MAX_STAMP_US } from '../../../src/input/text/parse-line.js';
import type { Anomaly, DnsMessage } from '../../../src/model.js';

async function read(text: string | Uint8Array[], ports: readonly number[] = [53]) {
  const messages: DnsMessage[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const chunks = typeof text === 'string' ? [new TextEncoder().encode(text)] : text;
  const info = await readTcpdumpText(
    (async function* () { yield* chunks; })(),
    (m) => messages.push(m),
    { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) },
    ports,
  );
  return { messages, anomalies, warnings, info };
}

const Q = '09:19:54.740079 IP 192.168.1.11.43966 > 209.87.249.18.53: 22836+ [1au] A? www.tcpdump.org. (56)';
const R = '09:19:54.870361 IP 209.87.249.18.53 > 192.168.1.11.43966: 22836*- 2/2/5 A 192.139.46.66, A 198.199.88.104 (224)';

describe('timestamps', () => {
  it('reads the time of day and rolls over midnight into the next day', async () => {
    const { messages } = await read('23:59:59.999000 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)\n00:00:00.001000 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)\n');
    expect(messages.map((m) => m.timeUs)).toEqual([86_399_999_000, 86_400_001_000]);
  });

  it('does not read a stamp past the year 2255 as one (a digit run pasted into a line), from bytes or from text', async () => {
    const lines = [
      '4323283200:02:28.310077 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)',
      '99999999999999999.310077 IP 10.0.0.1.5000 > 10.0.0.2.53: 2+ A? b. (17)',
      '2026-01-01 4323283200:02:28.310077 IP 10.0.0.1.5000 > 10.0.0.2.53: 3+ A? c. (17)',
      '23:59:59.999000 IP 10.0.0.1.5000 > 10.0.0.2.53: 4+ A? d. (17)',
      '',
    ].join('\n');
    const { messages } = await read(lines);
    // Read as packets printed without a stamp (as with -t), not at a time no calendar holds.
    expect(messages.map((m) => [m.id, m.timeUs])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 86_399_999_000],
    ]);
    // The last second MAX_STAMP_US allows (2255-06-05) is still a stamp.
    const lastSecond = Math.floor(MAX_STAMP_US / 1e6);
    const kept = await read(`${lastSecond}.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 5+ A? e. (17)\n`);
    expect(kept.messages.map((m) => m.timeUs)).toEqual([lastSecond * 1e6]);
    // And the report renders (it threw on such a time, found by the fuzzer).
    const report = await analyzeBytes(new TextEncoder().encode(lines));
    expect(renderMarkdown(report)).toContain('# DNS report');
  });

  it('reads -tt epoch seconds and -tttt dates as UTC, to the microsecond', async () => {
    const { messages } = await read('1591780794.740079 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)\n2020-06-10 09:19:54.870361 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)\n');
    expect(messages.map((m) => m.timeUs)).toEqual([1591780794740079, 1591780794870361]);
  });

  it('reads -ttt as deltas once a stamp goes back, counting non-DNS packets too', async () => {
    const { messages, warnings } = await read([
      ' 00:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)',
      ' 00:00:00.500000 IP 10.0.0.1.22 > 10.0.0.2.40000: Flags [.], ack 1, win 5, length 0',
      ' 00:00:00.000300 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)',
      '',
    ].join('\n'));
    expect(messages.map((m) => m.timeUs)).toEqual([0, 500_300]);
    expect(warnings).toEqual(['relative timestamps read as time since the previous packet (-ttt); the first packet is at time 0']);
  });

  it('reads -ttttt (never going back) as time since the first packet', async () => {
    const { messages, warnings } = await read(' 00:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)\n 00:00:01.250000 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)\n');
    expect(messages.map((m) => m.timeUs)).toEqual([0, 1_250_000]);
    expect(warnings[0]).toContain('-ttttt');
  });

  it('keeps nanosecond stamps (--nano) as fractional microseconds', async () => {
    const { messages } = await read('09:19:54.740079123 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)\n');
    expect(messages[0].timeUs).toBe(33594740079.123);
  });

  it('warns that latencies are unknown when -t left the timestamps out', async () => {
    const { messages, warnings } = await read('IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)\n');
    expect(messages.map((m) => m.timeUs)).toEqual([0]);
    expect(warnings[0]).toContain('no timestamps (-t)');
  });

  it('reads the -# packet number and the --lengths prefix in front of the timestamp', async () => {
    const { messages } = await read('   12  caplen 98 len 266 2020-06-10 09:19:54.870361 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)\n');
    expect(messages[0]).toMatchObject({ frame: 1, timeUs: 1591780794870361 });
  });
});

describe('addresses and link headers', () => {
  it('keeps resolved host names and turns the "domain" service name into port 53', async () => {
    const { messages } = await read('08:24:54.761076 IP debug.43126 > dns-default.openshift-dns.svc.cluster.local.domain: 6985+ [1au] A? my-blog.test.svc.cluster.local. (71)\n');
    expect(messages[0]).toMatchObject({ src: 'debug:43126', dst: 'dns-default.openshift-dns.svc.cluster.local:53' });
  });

  it('splits IPv6 address and port on the last dot and brackets the address', async () => {
    const { messages } = await read('17:59:26.204450 IP6 2001:db8::1.12345 > 2620:fe::9.53: 4660+ A? example.com. (29)\n');
    expect(messages[0]).toMatchObject({ src: '[2001:db8::1]:12345', dst: '[2620:fe::9]:53', id: 4660 });
  });

  it('reads "-i any" direction prefixes and -e Ethernet headers', async () => {
    const { messages } = await read([
      '10:00:00.000001 eth0 Out IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? a. (17)',
      '10:00:00.000002 lo   In  IP6 ::1.5001 > ::1.53: 2+ AAAA? a. (17)',
      '10:00:00.000003 00:11:22:33:44:55 (oui Unknown) > 00:11:22:33:44:66 (oui Unknown), ethertype IPv4 (0x0800), length 98: 10.0.0.2.53 > 10.0.0.1.5000: 1 0/0/0 (17)',
      '',
    ].join('\n'));
    expect(messages.map((m) => [m.src, m.dst])).toEqual([
      ['10.0.0.1:5000', '10.0.0.2:53'],
      ['[::1]:5001', '[::1]:53'],
      ['10.0.0.2:53', '10.0.0.1:5000'],
    ]);
  });

  it('joins the two lines of an IPv4 -v packet and numbers the message by its first line', async () => {
    const { messages, info } = await read([
      '09:19:54.740079 IP (tos 0x0, ttl 64, id 22989, offset 0, flags [none], proto UDP (17), length 84)',
      '    192.168.1.11.43966 > 209.87.249.18.53: [bad udp cksum 0xfe49 -> 0xb5ef!] 22836+ [1au] A? www.tcpdump.org. (56)',
      '09:19:54.870361 IP6 (hlim 64, next-header UDP (17) payload length: 37) 2001:db8::1.53 > 2001:db8::2.4000: [udp sum ok] 7 0/0/0 (29)',
      '',
    ].join('\n'));
    expect(messages.map((m) => [m.frame, m.timeUs, m.id])).toEqual([[1, 33594740079, 22836], [3, 33594870361, 7]]);
    expect(info).toMatchObject({ lines: 3, dns: 2, joined: 1 });
  });
});

describe('the DNS text', () => {
  it('reads a default-verbosity query and response with every field the text shows', async () => {
    const { messages } = await read(`${Q}\n${R}\n`);
    expect(messages[0]).toMatchObject({
      id: 22836, isResponse: false, opcode: 'QUERY', rcode: 'NOERROR', transport: 'udp', size: 56,
      flags: { aa: false, tc: false, rd: true, ra: false, ad: false, cd: false },
      question: { name: 'www.tcpdump.org', type: 'A', class: 'IN' },
      counts: { qd: 1, an: 0, ns: 0, ar: 1 }, sectionsComplete: false,
    });
    expect(messages[1]).toMatchObject({
      id: 22836, isResponse: true, rcode: 'NOERROR', size: 224, question: null, sectionsComplete: false,
      flags: { aa: true, tc: false, ra: false, ad: false },
      counts: { qd: 1, an: 2, ns: 2, ar: 5 },
      answers: [
        { name: '', type: 'A', class: 'IN', ttl: null, data: '192.139.46.66' },
        { name: '', type: 'A', class: 'IN', ttl: null, data: '198.199.88.104' },
      ],
    });
  });

  it('reads -vvv: the question, owners, TTLs, the ns: and ar: sections and EDNS', async () => {
    const { messages } = await read('10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 9 q: MX? Example.COM. 1/1/2 example.com. [1h1m40s] MX mail.example.com. 10 ns: example.com. [1d] SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300 ar: mail.example.com. [5m] AAAA 2001:db8::25, . OPT UDPsize=1232 DO [COOKIE 0011223344556677] (140)\n');
    expect(messages[0]).toMatchObject({
      question: { name: 'example.com', type: 'MX', class: 'IN' },
      answers: [{ name: 'example.com', type: 'MX', ttl: 3700, data: '10 mail.example.com' }],
      authorities: [{ name: 'example.com', type: 'SOA', ttl: 86400, data: 'ns1.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300' }],
      additionals: [
        { name: 'mail.example.com', type: 'AAAA', ttl: 300, data: '2001:db8::25' },
        { name: '', type: 'OPT', class: 'UDP1232', ttl: null, data: '' },
      ],
      ednsUdpSize: 1232,
      sectionsComplete: true,
    });
  });

  it('reads SRV (target:port prio weight), TXT strings and records with no data', async () => {
    const { messages } = await read('10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 3 q: ANY? x.test. 4/0/0 x.test. SRV web.x.test.:8080 1 5, x.test. TXT "v=spf1 -all" "Quote "in" \\b", x.test. RRSIG, x.test. Type65 (120)\n');
    expect(messages[0].answers.map((a) => [a.type, a.data])).toEqual([
      ['SRV', '1 5 8080 web.x.test'],
      ['TXT', '"v=spf1 -all" "Quote \\"in\\" \\\\b"'],
      ['RRSIG', ''],
      ['HTTPS', ''],
    ]);
  });

  it('reads every flag marker, opcodes and rcodes including tcpdump\'s glued Resp17', async () => {
    const { messages } = await read([
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 1 NXDomain*-|$ 0/1/0 (40)',
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 2Resp17 0/0/1 (40)',
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 3 BadCookie 0/0/1 (56)',
      '10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 4 notify [b2&3=0x2400] [1a] SOA? dhcp.lbnl.us. (105)',
      '10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 5 update [1a] [3n] [1au] SOA? StratoLab.org. (226)',
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 6 zoneRef NoChange 0/0/0 (12)',
      '10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 7% [1au] NXT? _ACme-ChALLeNGe.Intmail.CbS.mpg.de. (63)',
      '',
    ].join('\n'));
    expect(messages.map((m) => [m.id, m.opcode, m.rcode])).toEqual([
      [1, 'QUERY', 'NXDOMAIN'], [2, 'QUERY', 'BADKEY'], [3, 'QUERY', 'BADCOOKIE'], [4, 'NOTIFY', 'NOERROR'],
      [5, 'UPDATE', 'NOERROR'], [6, 'OPCODE15', 'RCODE15'], [7, 'QUERY', 'NOERROR'],
    ]);
    expect(messages[0].flags).toMatchObject({ aa: true, ra: false, tc: true, ad: true });
    expect(messages[3]).toMatchObject({ flags: { aa: true, rd: false }, counts: { qd: 1, an: 1, ns: 0, ar: 0 } });
    expect(messages[4].counts).toEqual({ qd: 1, an: 1, ns: 3, ar: 1 });
    expect(messages[6]).toMatchObject({ flags: { rd: false, cd: true }, question: { name: '_acme-challenge.intmail.cbs.mpg.de', type: 'TYPE30' } });
  });

  it('reads names with spaces, escapes and classes, and mDNS cache-flush records', async () => {
    const { messages } = await read('10:00:00.000000 IP 10.0.0.1.5353 > 224.0.0.251.5353: 0*- [0q] 2/0/0 (Cache flush) PTR My Printer._ipp._tcp.local., (Cache flush) A 10.0.0.9 (80)\n10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 8+ TXT CHAOS? Version.Bind. (30)\n10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 9+ A? M-AB^C.x. (30)\n', [53, 5353]);
    expect(messages[0]).toMatchObject({ counts: { qd: 0, an: 2 }, answers: [{ type: 'PTR', data: 'my printer._ipp._tcp.local' }, { type: 'A', data: '10.0.0.9' }] });
    expect(messages[1].question).toEqual({ name: 'version.bind', type: 'TXT', class: 'CH' });
    expect(messages[2].question?.name).toBe('M-ab^C.x');
  });

  it('reads DNS over TCP and skips segments that hold no whole message', async () => {
    const { messages, info } = await read([
      '10:00:00.000000 IP 10.0.0.1.33779 > 10.0.0.2.53: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0',
      '10:00:00.000001 IP 10.0.0.1.33779 > 10.0.0.2.53: Flags [P.], cksum 0x7796 (correct), seq 1:59, ack 1, win 64240, length 58 17177+ [1au] A? www.tcpdump.org. (56)',
      '10:00:00.000002 IP 10.0.0.1.25000 > 10.0.0.2.53: Flags [P.], seq 1:3, ack 1, win 16060, length 2 [prefix length(27) != length(0)] (invalid)',
      '',
    ].join('\n'));
    expect(messages.map((m) => [m.frame, m.transport, m.id, m.size])).toEqual([[2, 'tcp', 17177, 56]]);
    expect(info).toMatchObject({ dns: 1, notDns: 2, unparsed: 0 });
  });
});

describe('noise and bad lines', () => {
  it('skips and counts prompts, kubectl and tcpdump chatter, counters and blank lines', async () => {
    const { messages, anomalies, info } = await read([
      '$ kubectl exec -it debug -- tcpdump -n port 53',
      'kubectl exec debug -- tcpdump -n port 53',
      'Defaulted container "debug" out of: debug, istio-proxy',
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
      'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      'dropped privs to tcpdump',
      Q,
      '',
      '^C',
      '2 packets captured',
      '2 packets received by filter',
      '0 packets dropped by kernel',
      '',
    ].join('\n'));
    expect(messages).toHaveLength(1);
    expect(anomalies).toEqual([]);
    expect(info).toMatchObject({ lines: 12, dns: 1, noise: 11, unparsed: 0 });
  });

  it('joins a DNS line a terminal wrapped into two', async () => {
    const { messages, info } = await read(`${R.slice(0, 100)}\n${R.slice(100)}\n`);
    expect(messages.map((m) => [m.frame, m.id, m.answers.length])).toEqual([[1, 22836, 2]]);
    expect(info).toMatchObject({ lines: 2, dns: 1, joined: 1, unparsed: 0 });
  });

  it('reports unreadable lines with their line numbers and goes on', async () => {
    const { messages, anomalies, info } = await read(`${Q}\nsomething else entirely\n10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: garbage (12)\n${R}\n`);
    expect(messages.map((m) => m.frame)).toEqual([1, 4]);
    expect(anomalies.map((a) => [a.code, a.frame])).toEqual([['text-unparsed-line', 2], ['text-unparsed-dns', 3]]);
    expect(info).toMatchObject({ lines: 4, dns: 2, unparsed: 2 });
  });

  it('counts tcpdump\'s own [|domain], <BAD PTR> and (invalid) marks as malformed, each with its anomaly code', async () => {
    const { messages, anomalies, info } = await read([
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 22836*- q: A? www.tcpdump.org. 2/2/5 www.tcpdump.org. A 192.139.46.66, www.tcpdump.org. [|domain]',
      '10:00:00.000000 IP 10.0.0.2.53 > 10.0.0.1.5000: 51584 q: A? M-{.<BAD PTR> [|domain]',
      '10:00:00.000000 IP 10.0.0.1.1024 > 10.0.0.2.53: domain [length 0 < 12] (invalid)',
      '',
    ].join('\n'));
    expect(messages).toEqual([]);
    expect(anomalies.map((a) => [a.code, a.frame])).toEqual([['text-dns-truncated', 1], ['text-dns-malformed', 2], ['text-dns-malformed', 3]]);
    expect(info).toMatchObject({ malformed: 3 });
  });

  it('reads a megabyte-long line in bounded memory and reports it cut', async () => {
    const long = `10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ A? ${'a'.repeat(1 << 20)}. (17)\n`;
    const { messages, anomalies } = await read(`${long}${Q}\n`);
    expect(messages.map((m) => m.frame)).toEqual([2]);
    expect(anomalies.map((a) => [a.code, a.frame])).toEqual([['text-line-too-long', 1], ['text-unparsed-dns', 1]]);
  });
});

describe('packets inside packets', () => {
  it('does not take the query an ICMP port-unreachable quotes (-v) for a resend', async () => {
    const { messages, info } = await read([
      '17:39:25.859516 IP (tos 0x0, ttl 64, id 40074, offset 0, flags [DF], proto UDP (17), length 76)',
      '    127.0.0.1.60025 > 127.0.0.9.53: 52366+ A? my-blog.test.svc.cluster.local. (48)',
      '17:39:25.859561 IP (tos 0xc0, ttl 64, id 48189, offset 0, flags [none], proto ICMP (1), length 104)',
      '    127.0.0.9 > 127.0.0.1: ICMP 127.0.0.9 udp port 53 unreachable, length 84',
      '\tIP (tos 0x0, ttl 64, id 40074, offset 0, flags [DF], proto UDP (17), length 76)',
      '    127.0.0.1.60025 > 127.0.0.9.53: 52366+ A? my-blog.test.svc.cluster.local. (48)',
      '',
    ].join('\n'));
    expect(messages.map((m) => m.frame)).toEqual([1]);
    expect(info).toMatchObject({ lines: 6, dns: 1, notDns: 2, joined: 3 });
  });

  it('reads an ICMP line between hosts ending in .53 as not DNS', async () => {
    const { messages, anomalies, info } = await read('10:00:00.000000 IP 10.0.0.1 > 10.0.0.53: ICMP echo request, id 1, seq 1, length 64\n');
    expect([messages.length, anomalies.length, info.notDns]).toEqual([0, 0, 1]);
  });
});

describe('untrusted text', () => {
  it('does not take words on every object\'s prototype for types, rcodes or service names', async () => {
    const { messages, anomalies } = await read([
      '10:00:00.000000 IP 10.0.0.1.5000 > 10.0.0.2.53: 1+ constructor? a. (17)',
      '10:00:00.000000 IP 10.0.0.1.constructor > 10.0.0.2.53: 2+ A? a. (17)',
      '',
    ].join('\n'));
    expect(anomalies.map((a) => [a.code, a.frame])).toEqual([['text-unparsed-dns', 1]]);
    expect(messages.map((m) => m.src)).toEqual(['10.0.0.1:constructor']);
  });
});

describe('relative timestamps in long inputs', () => {
  it('decides -ttttt after 256 stamps that never go back and emits every held message in order', async () => {
    const text = Array.from({ length: 300 }, (_, i) => ` 00:00:${String(Math.floor(i / 100)).padStart(2, '0')}.${String((i % 100) * 10000).padStart(6, '0')} IP 10.0.0.1.5000 > 10.0.0.2.53: ${i}+ A? a. (17)`).join('\n');
    const { messages, warnings } = await read(`${text}\n`);
    expect(messages).toHaveLength(300);
    expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect([messages[0].timeUs, messages[255].timeUs, messages[299].timeUs]).toEqual([0, 2_550_000, 2_990_000]);
    expect(warnings[0]).toContain('-ttttt');
  });
});

describe('whether the text came from a capture of several interfaces (tcpdump -i any)', () => {
  const several = async (file: string): Promise<boolean> => {
    const interfaces = { several: false };
    const chunks = (async function* () {
      yield readFileSync(`${FIXTURES}${file}`);
    })();
    await readTcpdumpText(chunks, () => {}, { anomaly: () => {}, warn: () => {} }, [53], { interfaces });
    return interfaces.several;
  };

  it('says yes for lines that name the interface and direction ("lo    In  IP ..."), in every timestamp form', async () => {
    for (const f of ['sll2-any.txt', 'sll2-any.n.txt', 'sll2-any.tttt.txt', 'sll2-any.vv.txt']) expect(await several(f), f).toBe(true);
  });

  it('says no for the lines of a capture on one interface, whatever their DNS text holds', async () => {
    for (const f of ['musl-two-servers.txt', 'musl-two-servers.nn-v.txt', 'externalname-vs-search.vv.txt', 'search-expansion.tcpdump.txt']) expect(await several(f), f).toBe(false);
  });
});
