import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.js';
import { decodeFile } from './decode-helpers.js';

// The fixture lab's real captures (fixtures/README.md describes how each was made). Every one is
// also compared message by message with tshark in test/conformance/tshark-conformance.test.ts.

describe('lab fixtures', () => {
  it('cuts glibc\'s A and AAAA, sent back to back in one 92-byte TCP segment, into 2 queries (tc-tcp.pcap)', async () => {
    const r = await decodeFile(`${FIXTURES}tc-tcp.pcap`);
    const tcp = r.messages.filter((m) => m.transport === 'tcp');
    expect(tcp.map((m) => `${m.frame} ${m.isResponse ? 'R' : 'Q'} ${m.question?.type} ${m.answers.length}`)).toEqual([
      '9 Q A 0', '9 Q AAAA 0', '11 R A 100', '13 R AAAA 0',
      '25 Q A 0', '25 Q AAAA 0', '27 R A 100', '29 R AAAA 0',
      '42 Q A 0', '42 Q AAAA 0', '44 R A 100', '46 R AAAA 0',
    ]);
    // 24 messages in 21 frames (3 frames carry 2 queries); 29 frames without a whole message.
    expect(r.accounting).toEqual({ frames: 50, dns: 21, notDns: 29, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 });
    expect(r.anomalies).toEqual([]);
  });

  it('names the client whose socket had closed when an ICMP error quotes a late AAAA answer (tc-tcp.pcap)', async () => {
    const r = await decodeFile(`${FIXTURES}tc-tcp.pcap`);
    expect(r.icmp.map((i) => [i.frame, i.client, i.server, i.dnsId])).toEqual([
      [5, '127.0.0.1:46882', '127.0.0.10:53', 0xb0f5],
      [39, '127.0.0.1:52601', '127.0.0.10:53', 0x35f5],
    ]);
  });

  it('reports the 6 ICMP port unreachables of a dead first nameserver with the ids glibc resent (dead-nameserver.pcap)', async () => {
    const r = await decodeFile(`${FIXTURES}dead-nameserver.pcap`);
    expect(r.icmp.map((i) => [i.frame, i.reporter, i.server, i.code, i.dnsId])).toEqual([
      [2, '127.0.0.9', '127.0.0.9:53', 3, 12186],
      [6, '127.0.0.9', '127.0.0.9:53', 3, 395],
      [10, '127.0.0.9', '127.0.0.9:53', 3, 10300],
      [14, '127.0.0.9', '127.0.0.9:53', 3, 44898],
      [18, '127.0.0.9', '127.0.0.9:53', 3, 15138],
      [22, '127.0.0.9', '127.0.0.9:53', 3, 64310],
    ]);
    // Each query to 127.0.0.9 and its ICMP error: the query is dns, the ICMP frame notDns.
    expect(r.accounting).toMatchObject({ frames: 24, dns: 18, notDns: 6 });
    for (const i of r.icmp) {
      const query = r.messages.find((m) => m.frame === i.frame - 1);
      expect([query?.src, query?.dst, query?.id]).toEqual([i.client, i.server, i.dnsId]);
    }
  });

  it('keeps nanoseconds from a nanosecond pcap (nanosecond.pcap: 1795715009.531509416)', async () => {
    const r = await decodeFile(`${FIXTURES}nanosecond.pcap`);
    expect(r.messages[0].timeUs).toBeCloseTo(1_795_715_009_531_509.416, 0);
    expect(r.messages[1].timeUs - r.messages[0].timeUs).toBeCloseTo(229.455, 0);
  });

  it('reads the same 12 messages from tcpdump -i any as SLL2, as SLL, from dumpcap pcapng and from gzip', async () => {
    const base = await decodeFile(`${FIXTURES}externalname-vs-search.pcap`);
    const gz = await decodeFile(`${FIXTURES}externalname-vs-search.pcap.gz`);
    expect(gz.messages).toEqual(base.messages);
    for (const [file, linkType] of [['sll2-any.pcap', 276], ['sll-any.pcap', 113], ['dumpcap.pcapng', 1], ['ipv6-transport.pcap', 1]] as const) {
      const r = await decodeFile(`${FIXTURES}${file}`);
      expect(r.info.linkTypes, file).toEqual([linkType]);
      expect(r.messages, file).toHaveLength(12);
      expect(r.accounting.dns, file).toBe(12);
    }
    const v6 = await decodeFile(`${FIXTURES}ipv6-transport.pcap`);
    expect(v6.messages.every((m) => m.src.startsWith('[') && m.dst.startsWith('['))).toBe(true);
  });
});
