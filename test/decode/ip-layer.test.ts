import { describe, expect, it } from 'vitest';
import { FRAGMENT_TIMEOUT_US, MAX_PENDING_DATAGRAMS } from '../../src/decode/ip-reassembly.js';
import { decodeFrames, summarize } from './decode-helpers.js';
import { dnsQuery, frame, ipv4, ipv6, udp } from './packet-builder.js';

// Hand-built: real fragmented answers are in lab-captures.test.ts (IPv4 and IPv6, in order);
// these are the cases a lab cannot produce on demand: IP options, extension-header chains,
// fragments out of order, lost fragments, floods.

const dgram = udp(40000, 53, dnsQuery(0x4242, 'fragmented.example.com', 16));

describe('IPv4 options and IPv6 extension headers', () => {
  it('skips IPv4 options (IHL 7: record route + padding) to reach UDP', () => {
    const opts = [7, 7, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const r = decodeFrames([frame(ipv4('10.0.0.1', '10.0.0.53', 17, udp(40000, 53, dnsQuery(1, 'a.example')), { options: opts }))]);
    expect(r.messages.map(summarize)).toEqual(['1 udp 10.0.0.1:40000 > 10.0.0.53:53 1 Q a.example A NOERROR an=0']);
  });

  it('walks Hop-by-Hop, Routing and Destination Options headers to reach UDP (RFC 8200 §4.1)', () => {
    // Each 8 bytes: next header (added by the builder), length 0, then 6 bytes.
    const hop = [0, 1, 4, 0, 0, 0, 0]; // PadN
    const routing = [0, 0, 0, 0, 0, 0, 0]; // type 0, segments left 0
    const dest = [0, 1, 4, 0, 0, 0, 0];
    const r = decodeFrames([frame(ipv6(1, 2, 17, udp(40000, 53, dnsQuery(2, 'b.example')), [[0, hop], [43, routing], [60, dest]]))]);
    expect(r.messages.map(summarize)).toEqual(['1 udp [2001:db8::1]:40000 > [2001:db8::2]:53 2 Q b.example A NOERROR an=0']);
  });
});

describe('IP fragment reassembly', () => {
  const v4frag = (offset: number, more: boolean, bytes: Uint8Array, id = 77, timeUs = 1_000_000) =>
    frame(ipv4('10.0.0.53', '10.0.0.1', 17, bytes, { id, offset, more }), 101, timeUs);

  it('reassembles IPv4 fragments that arrive last-first; the completing frame counts as dns', () => {
    const r = decodeFrames([v4frag(16, false, dgram.subarray(16)), v4frag(8, true, dgram.subarray(8, 16)), v4frag(0, true, dgram.subarray(0, 8))]);
    expect(r.messages.map((m) => `${m.frame} ${m.id} ${m.question?.name}`)).toEqual(['3 16962 fragmented.example.com']);
    expect(r.accounting).toEqual({ frames: 3, dns: 1, notDns: 2, malformed: 0, truncated: 0, unsupportedLinkType: 0, ipFragmentsPending: 0 });
  });

  it('reassembles IPv6 fragments (Fragment header) with the upper layer named by the first', () => {
    const frag = (offset: number, more: boolean, bytes: Uint8Array) =>
      frame(ipv6(1, 2, 17, bytes, [[44, [0, (offset >> 8) & 0xff, (offset & 0xf8) | (more ? 1 : 0), 0, 0, 0, 9]]]));
    const r = decodeFrames([frag(0, true, dgram.subarray(0, 24)), frag(24, false, dgram.subarray(24))]);
    expect(r.messages.map((m) => `${m.frame} ${m.src} ${m.id}`)).toEqual(['2 [2001:db8::1]:40000 16962']);
  });

  it('counts the fragments of a datagram that never completes as ipFragmentsPending, and says so', () => {
    const r = decodeFrames([v4frag(0, true, dgram.subarray(0, 8)), v4frag(16, false, dgram.subarray(16))]);
    expect(r.messages).toEqual([]);
    expect(r.accounting).toMatchObject({ frames: 2, ipFragmentsPending: 2 });
    expect(r.anomalies).toEqual([
      { code: 'ip-fragments-incomplete', frame: 1, detail: 'IP datagram of 2 fragment(s) (frames 1, 2) incomplete at the end of the capture' },
    ]);
  });

  it(`expires a datagram whose rest has not come ${FRAGMENT_TIMEOUT_US / 1e6} s after its first fragment`, () => {
    const late = 1_000_000 + FRAGMENT_TIMEOUT_US + 1;
    const r = decodeFrames([v4frag(0, true, dgram.subarray(0, 8)), v4frag(8, false, dgram.subarray(8), 77, late)]);
    expect(r.messages).toEqual([]);
    expect(r.anomalies.map((a) => a.detail)).toEqual([
      'IP datagram of 1 fragment(s) (frames 1) expired: incomplete 60 s after its first fragment',
      'IP datagram of 1 fragment(s) (frames 2) incomplete at the end of the capture',
    ]);
    expect(r.accounting).toMatchObject({ frames: 2, ipFragmentsPending: 2 });
  });

  it(`holds at most ${MAX_PENDING_DATAGRAMS} datagrams at once, giving up the oldest`, () => {
    const flood = Array.from({ length: MAX_PENDING_DATAGRAMS + 1 }, (_, i) => v4frag(0, true, dgram.subarray(0, 8), i));
    const r = decodeFrames(flood);
    expect(r.anomalies[0]).toEqual({
      code: 'ip-fragments-incomplete',
      frame: 1,
      detail: `IP datagram of 1 fragment(s) (frames 1) given up: more than ${MAX_PENDING_DATAGRAMS} datagrams were being reassembled at once`,
    });
    expect(r.accounting.ipFragmentsPending).toBe(MAX_PENDING_DATAGRAMS + 1);
  });

  it('refuses a fragment that would reassemble past 65535 bytes', () => {
    const r = decodeFrames([v4frag(65_528, false, new Uint8Array(16))]);
    expect(r.anomalies.map((a) => a.code)).toEqual(['ip-malformed']);
    expect(r.accounting).toMatchObject({ frames: 1, malformed: 1 });
  });
});
