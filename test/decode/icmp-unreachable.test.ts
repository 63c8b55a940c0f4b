import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/fuzz/mutate.mjs';
import { decodeFrames } from './decode-helpers.js';
import { dnsQuery, frame, ipv4, ipv6, udp } from './packet-builder.js';

// The real ICMP port unreachable (IPv4) is in lab-captures.test.ts; ICMPv6 and the odd cases
// are built by hand (the lab's loopback answers IPv6 to a closed port with nothing to capture).

describe('ICMP destination unreachable quoting a DNS datagram', () => {
  it('links an ICMPv6 port unreachable (type 1, code 4) to client, server and DNS id', () => {
    const quoted = ipv6(1, 2, 17, udp(40000, 53, dnsQuery(0xbeef, 'x.example')));
    const icmp6 = Uint8Array.from([1, 4, 0, 0, 0, 0, 0, 0, ...quoted]);
    const r = decodeFrames([frame(ipv6(2, 1, 58, icmp6), 101, 5_000_000)]);
    expect(r.icmp).toEqual([
      { frame: 1, timeUs: 5_000_000, reporter: '2001:db8::2', client: '[2001:db8::1]:40000', server: '[2001:db8::2]:53', transport: 'udp', code: 4, dnsId: 0xbeef },
    ]);
    expect(r.accounting).toMatchObject({ frames: 1, notDns: 1 });
  });

  it('gives dnsId null when the quote stops after the UDP header (RFC 792 minimum)', () => {
    const quoted = ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000, 53, dnsQuery(1, 'x'))).subarray(0, 28);
    const r = decodeFrames([frame(ipv4('10.0.0.53', '10.0.0.1', 1, Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, ...quoted])))]);
    expect(r.icmp.map((i) => [i.client, i.server, i.dnsId])).toEqual([['10.0.0.1:40000', '10.0.0.53:53', null]]);
  });

  it('keeps the roles right when the quoted datagram is a response (the client had gone)', () => {
    const quoted = ipv4('10.0.0.53', '10.0.0.1', 17, udp(53, 40000, dnsQuery(9, 'x')));
    const r = decodeFrames([frame(ipv4('10.0.0.1', '10.0.0.53', 1, Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, ...quoted])))]);
    expect(r.icmp.map((i) => [i.reporter, i.client, i.server])).toEqual([['10.0.0.1', '10.0.0.1:40000', '10.0.0.53:53']]);
  });

  it('ignores unreachables about other traffic and other ICMP messages (echo)', () => {
    const other = ipv4('10.0.0.1', '10.0.0.9', 17, udp(40000, 123, new Uint8Array(4)));
    const r = decodeFrames([
      frame(ipv4('10.0.0.9', '10.0.0.1', 1, Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, ...other]))),
      frame(ipv4('10.0.0.9', '10.0.0.1', 1, Uint8Array.from([8, 0, 0, 0, 0, 1, 0, 1]))),
    ]);
    expect(r.icmp).toEqual([]);
    expect(r.accounting).toMatchObject({ frames: 2, notDns: 2 });
  });
});

describe('ICMP errors read in place (the capture path) against the general parsers', () => {
  // A dead nameserver draws one ICMP error per query, so the capture path reads ICMP in IPv4
  // in place; it must say exactly what the general parsers say, for any bytes.
  const quotes = [
    ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000, 53, dnsQuery(0x1234, 'api.example.com'))),
    ipv4('10.0.0.53', '10.0.0.1', 17, udp(53, 40000, dnsQuery(9, 'x'))),
    ipv4('10.0.0.1', '10.0.0.53', 6, Uint8Array.from([0x9c, 0x40, 0, 53, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 2, 0, 0, 0, 0, 0, 0])),
    ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000, 53, dnsQuery(1, 'x'))).subarray(0, 28),
  ];

  it('gives the same ICMP errors and accounting on 20,000 seeded mutations of ICMP port unreachables', () => {
    const random = seededRandom(0x1c3b);
    const mutated: Uint8Array[] = [];
    for (let round = 0; round < 20_000; round++) {
      const quote = quotes[Math.floor(random() * quotes.length)];
      const outer = ipv4('10.0.0.53', '10.0.0.1', 1, Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, ...quote]));
      const bytes = Uint8Array.from(outer);
      // Flip bytes, mostly of the ICMP header and of the quote's IP and UDP headers and DNS id
      // (offsets 20-59), where the readers decide; now and then of the outer header.
      const flips = Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) {
        const r = random();
        const at = r < 0.1 ? Math.floor(random() * 20) : r < 0.7 ? 20 + Math.floor(random() * 40) : 20 + Math.floor(random() * (bytes.length - 20));
        if (at >= bytes.length) continue;
        bytes[at] = random() < 0.5 ? bytes[at] ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
      }
      // Cut the frame short in one round of three, mostly inside those headers. The outer
      // header's total length is cut too now and then, so the in-place path sees the cut.
      let cut = bytes;
      if (random() < 0.33) {
        cut = bytes.subarray(0, random() < 0.8 ? 20 + Math.floor(random() * 41) : Math.floor(random() * bytes.length));
        if (random() < 0.5 && cut.length >= 4) {
          cut = Uint8Array.from(cut);
          cut[2] = cut.length >> 8;
          cut[3] = cut.length & 0xff;
        }
      }
      mutated.push(cut);
    }
    // Fifty frames to a pair of decoders: a decoder's caches take longer to make than fifty
    // frames take to decode, and each error names its frame, so a batch still says which round
    // differs; the accounting and anomalies are compared batch by batch.
    const BATCH = 50;
    let found = 0;
    for (let from = 0; from < mutated.length; from += BATCH) {
      const frames = mutated.slice(from, from + BATCH).map((cut, i) => frame(cut, 101, 7_000_000 + i));
      const fast = decodeFrames(frames);
      const reference = decodeFrames(frames, [53], { reference: true });
      const rounds = `rounds ${from}-${from + frames.length - 1}`;
      expect(fast.icmp, rounds).toStrictEqual(reference.icmp);
      expect(fast.accounting, rounds).toStrictEqual(reference.accounting);
      expect(fast.anomalies, rounds).toStrictEqual(reference.anomalies);
      found += fast.icmp.length;
    }
    // Many mutations leave an error that still quotes a DNS datagram; many do not.
    expect(found).toBeGreaterThan(5_000);
    expect(found).toBeLessThan(18_000);
  });
});
