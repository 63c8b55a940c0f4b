import { describe, expect, it } from 'vitest';
import { CORPUS, skipWithoutCorpus } from '../helpers.js';
import { decodeFile, decodeFrames, summarize } from './decode-helpers.js';
import { dnsQuery, ethernet, frame, ipv4, ipv6, udp } from './packet-builder.js';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import type { DnsMessage } from '../../src/model.js';

const query = () => ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000, 53, dnsQuery(0x1234, 'example.com')));
const QUERY_LINE = '1 udp 10.0.0.1:40000 > 10.0.0.53:53 4660 Q example.com A NOERROR an=0';

describe('link layers on real captures', () => {
  if (skipWithoutCorpus('corpus link-layer captures')) return;
  // [capture, LINKTYPE, DNS messages tshark finds]; the lab's SLL and SLL2 are in lab-captures.test.ts.
  const cases: [string, number, number][] = [
    ['dns_udp.pcap', 1, 2], // Ethernet
    ['dns-badcookie.pcap', 0, 4], // BSD NULL (loopback, host byte order)
    ['LINKTYPE_RAW_ipv4.pcap', 101, 1],
    ['LINKTYPE_RAW_ipv6.pcap', 101, 1],
    ['LINKTYPE_IPV4.pcap', 228, 1],
    ['LINKTYPE_IPV6.pcap', 229, 1],
    ['nflog.pcap', 239, 4], // Linux NFLOG (tcpdump -i nflog)
    ['LINKTYPE_PKTAP.pcap', 258, 1], // Apple PKTAP wrapping Ethernet
    ['LINKTYPE_USER2_PKTAP.pcap', 149, 1], // PKTAP as macOS writes it, under DLT_USER2
    ['arcnet-rfc1051-arp-icmp-http.pcap', 129, 4], // Linux ARCnet, RFC 1051 framing
    ['arcnet-rfc1201-arp-icmp-http.pcap', 129, 4], // Linux ARCnet, RFC 1201 framing
  ];
  for (const [file, linkType, messages] of cases) {
    it(`reads link type ${linkType} in ${file}: ${messages} DNS messages`, async () => {
      const r = await decodeFile(`${CORPUS}tcpdump/${file}`);
      expect(r.info.linkTypes).toEqual([linkType]);
      expect(r.messages).toHaveLength(messages);
      expect(r.accounting.unsupportedLinkType).toBe(0);
    });
  }
  it('counts PPP serial (link type 50) as an unsupported link type, by frame', async () => {
    const r = await decodeFile(`${CORPUS}tcpdump/ppp_ip_udp_dns.pcap`);
    expect(r.accounting).toMatchObject({ frames: 1, unsupportedLinkType: 1 });
  });
});

// Hand-built: nothing here can capture these. BSD NULL/LOOP need a BSD or macOS loopback (the
// corpus's dns-badcookie.pcap covers NULL for real); 802.1Q/802.1ad tags need a VLAN on a real
// or veth interface, and the lab may only use loopback addresses; link types 12 and 14 are
// historical spellings of raw IP that no current libpcap writes.
describe('link layers built by hand', () => {
  const cases: [string, number, Uint8Array][] = [
    ['BSD NULL, little-endian AF_INET (macOS lo0)', 0, Uint8Array.from([2, 0, 0, 0, ...query()])],
    ['BSD NULL, big-endian AF_INET', 0, Uint8Array.from([0, 0, 0, 2, ...query()])],
    ['OpenBSD LOOP, network order', 108, Uint8Array.from([0, 0, 0, 2, ...query()])],
    ['Ethernet with an 802.1Q tag', 1, ethernet(0x0800, query(), [[0x8100, 100]])],
    ['Ethernet with 802.1ad + 802.1Q tags (QinQ)', 1, ethernet(0x0800, query(), [[0x88a8, 10], [0x8100, 100]])],
    ['raw IP as link type 12', 12, query()],
    ['raw IP as link type 14', 14, query()],
  ];
  for (const [what, linkType, data] of cases) {
    it(`decodes a query over ${what}`, () => {
      const r = decodeFrames([frame(data, linkType)]);
      expect(r.messages.map(summarize)).toEqual([QUERY_LINE]);
    });
  }

  it('decodes BSD NULL carrying IPv6 (AF_INET6 = 30 on macOS)', () => {
    const r = decodeFrames([frame(Uint8Array.from([30, 0, 0, 0, ...ipv6(1, 2, 17, udp(40000, 53, dnsQuery(7, 'a.b')))]), 0)]);
    expect(r.messages.map((m) => `${m.src} ${m.id}`)).toEqual(['[2001:db8::1]:40000 7']);
  });

  it('counts frames of an unknown link type by type, never guessing', () => {
    const r = decodeFrames([frame(query(), 147), frame(query(), 147)]);
    expect(r.accounting).toMatchObject({ frames: 2, unsupportedLinkType: 2 });
  });

  it('counts ARP and other ethertypes as not DNS', () => {
    const r = decodeFrames([frame(ethernet(0x0806, new Uint8Array(28)), 1)]);
    expect(r.accounting).toMatchObject({ frames: 1, notDns: 1 });
  });
});

describe('whether a capture saw several interfaces (where one packet can be seen twice)', () => {
  const seen = (linkTypes: number[]): boolean => {
    const decoder = new FrameDecoder({ anomaly: () => {}, warn: () => {} });
    const out: DnsMessage[] = [];
    linkTypes.forEach((lt, i) => decoder.decode({ ...frame(query(), lt, 1_000 * i), number: i + 1 }, out));
    return decoder.seesSeveralInterfaces;
  };

  it('says no for frames of one link type that is not Linux "any"', () => {
    expect(seen([1, 1, 1])).toBe(false);
    expect(seen([101])).toBe(false);
  });

  it('says yes once a frame came from Linux "any" (SLL, SLL2) or frames of two link types came in', () => {
    expect(seen([113])).toBe(true);
    expect(seen([1, 276])).toBe(true);
    expect(seen([1, 101])).toBe(true);
  });
});
