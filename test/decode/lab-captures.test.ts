import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES, decodeChunks, decodeFile, summarize } from './decode-helpers.js';

// Real captures made by scripts/conformance/make-decode-captures.sh: BIND and dig in a network
// namespace with a 1280-byte loopback MTU, captured by tcpdump -i any (SLL2, and -y LINUX_SLL)
// and by dumpcap (pcapng, nanosecond timestamps); converted by editcap and gzip.

/** What tcpdump -i any saw, message by message (tshark agrees on every line). */
const SLL2_MESSAGES = [
  '1 udp 127.0.0.1:47981 > 127.0.0.1:53 41868 Q svc.example.test HTTPS NOERROR an=0',
  '2 udp 127.0.0.1:53 > 127.0.0.1:47981 41868 R svc.example.test HTTPS NOERROR an=1',
  '3 udp 127.0.0.1:33087 > 127.0.0.1:53 58461 Q alias.example.test HTTPS NOERROR an=0',
  '4 udp 127.0.0.1:53 > 127.0.0.1:33087 58461 R alias.example.test HTTPS NOERROR an=1',
  '5 udp [::1]:54022 > [::1]:53 19763 Q www.example.test AAAA NOERROR an=0',
  '6 udp [::1]:53 > [::1]:54022 19763 R www.example.test AAAA NOERROR an=1',
  '7 udp 127.0.0.1:54311 > 127.0.0.1:53 24791 Q big.example.test TXT NOERROR an=0',
  // Frames 8 and 9 are the first two IPv4 fragments; frame 10 completes the datagram.
  '10 udp 127.0.0.1:53 > 127.0.0.1:54311 24791 R big.example.test TXT NOERROR an=12',
  '11 udp [::1]:42891 > [::1]:53 18723 Q big.example.test TXT NOERROR an=0',
  // Frames 12 and 13 are IPv6 fragments (Fragment header, RFC 8200 §4.5); 14 completes it.
  '14 udp [::1]:53 > [::1]:42891 18723 R big.example.test TXT NOERROR an=12',
  '15 udp 127.0.0.1:34908 > 127.0.0.1:53 40210 Q big.example.test TXT NOERROR an=0',
  '16 udp 127.0.0.1:53 > 127.0.0.1:34908 40210 R big.example.test TXT NOERROR TC an=2',
  // dig retries over TCP after TC: the 2592-byte answer spans several TCP segments on the wire.
  '20 tcp 127.0.0.1:39317 > 127.0.0.1:53 841 Q big.example.test TXT NOERROR an=0',
  '22 tcp 127.0.0.1:53 > 127.0.0.1:39317 841 R big.example.test TXT NOERROR an=12',
  '27 udp 127.0.0.1:35517 > 127.0.0.2:53 17937 Q www.example.test A NOERROR an=0',
];

describe('real lab captures', () => {
  it('decodes tcpdump -i any (Linux cooked v2) with fragments, TCP and ICMP: 15 messages in 28 frames', async () => {
    const r = await decodeFile(`${CAPTURES}lab-any-sll2.pcap`);
    expect(r.info.linkTypes).toEqual([276]);
    expect(r.messages.map(summarize)).toEqual(SLL2_MESSAGES);
    expect(r.anomalies).toEqual([]);
    // 15 frames complete a DNS message; the 4 non-final fragments, the 10 TCP segments without
    // a whole message and the ICMP error are notDns: 15 + 13 = 28.
    expect(r.accounting).toEqual({ frames: 28, dns: 15, notDns: 13, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 });
  });

  it('links the ICMP port unreachable to the query it answers, with the DNS id from the quote', async () => {
    const r = await decodeFile(`${CAPTURES}lab-any-sll2.pcap`);
    expect(r.icmp).toEqual([
      { frame: 28, timeUs: r.icmp[0].timeUs, reporter: '127.0.0.2', client: '127.0.0.1:35517', server: '127.0.0.2:53', transport: 'udp', code: 3, dnsId: 17937 },
    ]);
    // tshark: frame 27 at .334674, frame 28 at .334826 (152 µs later).
    expect(r.icmp[0].timeUs - r.messages[14].timeUs).toBe(152);
  });

  it('decodes HTTPS records into RFC 9460 presentation form, ServiceMode and AliasMode', async () => {
    const r = await decodeFile(`${CAPTURES}lab-any-sll2.pcap`);
    expect(r.messages[1].answers.map((a) => `${a.type} ${a.data}`)).toEqual([
      'HTTPS 1 . alpn="h3,h2" port=8443 ipv4hint=192.0.2.10,192.0.2.11 ipv6hint=2001:db8::10',
    ]);
    expect(r.messages[3].answers.map((a) => `${a.type} ${a.data}`)).toEqual(['HTTPS 0 svc.example.test']);
  });

  it('decodes tcpdump -i any -y LINUX_SLL (Linux cooked v1) the same way: 15 messages', async () => {
    const r = await decodeFile(`${CAPTURES}lab-any-sll.pcap`);
    expect(r.info.linkTypes).toEqual([113]);
    expect(r.messages.map((m) => `${m.frame} ${m.transport} ${m.question?.type} ${m.isResponse ? 'R' : 'Q'}`)).toEqual(
      SLL2_MESSAGES.map((l) => { const f = l.split(' '); return `${f[0]} ${f[1]} ${f[8]} ${f[6]}`; }),
    );
    expect(r.accounting.dns).toBe(15);
    expect(r.icmp).toHaveLength(1);
  });

  it('reads dumpcap pcapng with nanosecond timestamps (if_tsresol 9) on Ethernet loopback', async () => {
    const r = await decodeFile(`${CAPTURES}lab-lo-dumpcap.pcapng`);
    expect(r.format).toBe('pcapng');
    expect(r.info.linkTypes).toEqual([1]);
    expect(r.messages).toHaveLength(15);
    expect(r.accounting).toEqual({ frames: 28, dns: 15, notDns: 13, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 });
    // dumpcap stores nanoseconds: the first frame is at ...264615.5 µs (tshark: .264615500).
    expect(r.messages[0].timeUs).toBe(1_795_714_948_264_615.5);
  });

  it('decodes the same packets identically as pcap, pcapng (editcap), nanosecond pcap and gzip', async () => {
    const base = await decodeFile(`${CAPTURES}lab-any-sll2.pcap`);
    for (const other of ['lab-any-sll2.pcapng', 'lab-any-sll2-nsec.pcap', 'lab-any-sll2.pcap.gz']) {
      const r = await decodeFile(`${CAPTURES}${other}`);
      expect(r.messages, other).toEqual(base.messages);
      expect(r.accounting, other).toEqual(base.accounting);
      expect(r.icmp, other).toEqual(base.icmp);
    }
  });

  it('keeps what a cut-off gzip held and warns with the uncompressed offset', async () => {
    const gz = readFileSync(`${CAPTURES}lab-any-sll2.pcap.gz`);
    const r = await decodeChunks((async function* () { yield gz.subarray(0, 900); })());
    expect(r.anomalies.map((a) => a.code)).toEqual(['gzip-corrupt', 'pcap-truncated-record']);
    expect(r.warnings[0]).toMatch(/^the gzip stream is corrupt or cut off \(unexpected end of file\) after \d+ uncompressed bytes; everything before it was analysed$/);
    expect(r.messages.length).toBeGreaterThan(0);
    const f = r.accounting;
    expect(f.dns + f.notDns + f.malformed + f.truncated + f.unsupportedLinkType + f.ipFragmentsPending).toBe(f.frames);
  });
});
