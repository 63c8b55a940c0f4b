import { describe, expect, it } from 'vitest';
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
