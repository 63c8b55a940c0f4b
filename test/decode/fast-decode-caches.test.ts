import { describe, expect, it } from 'vitest';
import { decodeDnsWire } from '../../src/decode/dns-wire.js';
import { FastDnsDecoder } from '../../src/decode/fast-dns-decoder.js';
import { MAX_CACHED_BYTES, MAX_CACHED_MESSAGE, type MessageBodyCache } from '../../src/decode/message-body-cache.js';
import { NameInterner } from '../../src/decode/name-interner.js';
import { decodeFrames } from './decode-helpers.js';
import { dnsQuery, frame, ipv4, ipv6, udp } from './packet-builder.js';

// The fast path caches names, endpoints and header objects. A cache must never hand one name's
// or endpoint's text to another: these pin the cases a cache gets wrong.

const wire = (name: string) => Uint8Array.from([...name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0]);

describe('the name cache', () => {
  it('gives each of two names that share lengths and edge bytes its own text, alternately 1,000 times', () => {
    // Same label lengths and the same first, middle and last bytes: the same hash slot.
    const a = wire('abcde.svc');
    const b = wire('axcze.svc');
    const names = new NameInterner();
    for (let i = 0; i < 1000; i++) {
      expect(names.read(a, 0, a.length, 0)).toBe('abcde.svc');
      expect(names.read(b, 0, b.length, 0)).toBe('axcze.svc');
    }
  });

  it('writes a 0x20-randomised name in lower case, as the reference does, whichever spelling came first', () => {
    const names = new NameInterner();
    for (const spelling of ['ExAmPlE.CoM', 'example.com', 'EXAMPLE.COM']) {
      const m = wire(spelling);
      expect(names.read(m, 0, m.length, 0)).toBe('example.com');
      expect(names.end).toBe(13);
    }
  });

  it('does not take a pointer to an offset remembered from the previous message', () => {
    const decoder = new FastDnsDecoder();
    // First message: question "a.example" at offset 12. Second: question "zz.test" at 12 and an
    // answer owner pointing to 12, which must read "zz.test".
    const first = dnsQuery(1, 'a.example');
    const q = dnsQuery(2, 'zz.test');
    const response = Uint8Array.from([...q.subarray(0, 6), 0, 1, 0, 0, 0, 0, ...q.subarray(12), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
    response[2] = 0x81;
    decoder.decode(first, 0, first.length, 1, 0, 'c', 's', 'c', 's', 'udp');
    const m = decoder.decode(response, 0, response.length, 2, 0, 's', 'c', 's', 'c', 'udp');
    expect(m.answers).toStrictEqual([{ name: 'zz.test', type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }]);
  });
});

describe('shared header objects', () => {
  it('shares one frozen flags, counts, question and record arrays between identical queries, so none can be changed', () => {
    const decoder = new FastDnsDecoder();
    const q = dnsQuery(7, 'example.com');
    const one = decoder.decode(q, 0, q.length, 1, 0, 'c', 's', 'c', 's', 'udp');
    const two = decoder.decode(q, 0, q.length, 2, 0, 'c', 's', 'c', 's', 'udp');
    expect(two.flags).toBe(one.flags);
    expect(two.counts).toBe(one.counts);
    expect(two.question).toBe(one.question);
    expect(Object.isFrozen(one.flags) && Object.isFrozen(one.counts) && Object.isFrozen(one.question)).toBe(true);
    expect(one.flags).toStrictEqual({ aa: false, tc: false, rd: true, ra: false, ad: false, cd: false });
    expect(one.counts).toStrictEqual({ qd: 1, an: 0, ns: 0, ar: 0 });
    // The record arrays of a repeated body are shared too, and frozen: extending one throws.
    expect(two.answers).toBe(one.answers);
    expect(Object.isFrozen(two.answers)).toBe(true);
    expect(() => two.answers.push({ name: 'x', type: 'A', class: 'IN', ttl: 1, data: '192.0.2.1' })).toThrow(TypeError);
  });
});

describe('the message body cache', () => {
  const reference = (m: Uint8Array) => ({ frame: 1, timeUs: 0, src: 'c', dst: 's', srcHost: 'c', dstHost: 's', transport: 'udp', ...decodeDnsWire(m), sectionsComplete: true, size: m.length });

  it('takes the id, flags and rcode of each message, not of the one whose body it cached', () => {
    const decoder = new FastDnsDecoder();
    const q = dnsQuery(1, 'a.test');
    // The same body (counts, question, an A record) under two headers: NOERROR with AA, and
    // NXDOMAIN with RA and another id.
    const body = [...q.subarray(4, 6), 0, 1, 0, 0, 0, 0, ...q.subarray(12), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
    const first = Uint8Array.from([0x12, 0x34, 0x85, 0x00, ...body]);
    const second = Uint8Array.from([0xab, 0xcd, 0x81, 0x83, ...body]);
    for (const m of [first, second, first, second]) {
      expect(decoder.decode(m, 0, m.length, 1, 0, 'c', 's', 'c', 's', 'udp')).toStrictEqual(reference(m));
    }
  });

  it('does not keep a body whose name points into the id and flags, which differ from message to message', () => {
    const decoder = new FastDnsDecoder();
    // The answer's owner points to offset 0, where the id reads as the label "a" (then "b") and
    // the first flags byte (0: a query) ends the name.
    const body = [0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
    const a = Uint8Array.from([0x01, 0x61, 0x00, 0x00, ...body]);
    const b = Uint8Array.from([0x01, 0x62, 0x00, 0x00, ...body]);
    expect(decoder.decode(a, 0, a.length, 1, 0, 'c', 's', 'c', 's', 'udp').answers[0].name).toBe('a');
    expect(decoder.decode(b, 0, b.length, 1, 0, 'c', 's', 'c', 's', 'udp').answers[0].name).toBe('b');
    expect(decoder.decode(b, 0, b.length, 1, 0, 'c', 's', 'c', 's', 'udp')).toStrictEqual(reference(b));
  });

  it('gives the same message for a body found in the cache as for one decoded afresh, with the model\'s field order', () => {
    const decoder = new FastDnsDecoder();
    const q = dnsQuery(5, 'svc.ns.svc.cluster.local', 28);
    const fresh = decoder.decode(q, 0, q.length, 3, 7, 'c', 's', 'c', 's', 'udp');
    const cached = decoder.decode(q, 0, q.length, 3, 7, 'c', 's', 'c', 's', 'udp');
    expect(cached).toStrictEqual(fresh);
    const order = ['frame', 'timeUs', 'src', 'dst', 'srcHost', 'dstHost', 'transport', 'id', 'isResponse', 'opcode', 'flags', 'rcode', 'question', 'answers', 'authorities', 'additionals', 'sectionsComplete', 'counts', 'size', 'ednsUdpSize'];
    expect(Object.keys(fresh)).toStrictEqual(order);
    expect(Object.keys(cached)).toStrictEqual(order);
  });

  it(`keeps at most MAX_CACHED_BYTES (${MAX_CACHED_BYTES}) of bodies: 10,000 distinct 660-byte bodies decode exactly, and the cache starts over`, () => {
    const decoder = new FastDnsDecoder();
    const cache = (decoder as unknown as { bodies: MessageBodyCache }).bodies;
    let most = 0;
    let startedOver = false;
    for (let i = 0; i < 10_000; i++) {
      const before = cache.storedBytes;
      const q = dnsQuery(i, `n${i}.test`);
      const answers = Array.from({ length: 40 }, (_, k) => [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, k, i >> 8, i & 0xff]).flat();
      const m = Uint8Array.from([i >> 8, i & 0xff, 0x81, 0x80, 0, 1, 0, 40, 0, 0, 0, 0, ...q.subarray(12), ...answers]);
      if (i % 1000 === 0) expect(decoder.decode(m, 0, m.length, 1, 0, 'c', 's', 'c', 's', 'udp')).toStrictEqual(reference(m));
      else decoder.decode(m, 0, m.length, 1, 0, 'c', 's', 'c', 's', 'udp');
      most = Math.max(most, cache.storedBytes);
      if (cache.storedBytes < before - 1_000_000) startedOver = true;
    }
    expect(most).toBeLessThanOrEqual(MAX_CACHED_BYTES);
    expect(most).toBeGreaterThan(MAX_CACHED_BYTES * 0.9);
    expect(startedOver).toBe(true);
  });

  it(`decodes a message longer than MAX_CACHED_MESSAGE (${MAX_CACHED_MESSAGE} bytes) afresh each time, as the reference does`, () => {
    const decoder = new FastDnsDecoder();
    const q = dnsQuery(9, 'many.test');
    const answers = Array.from({ length: 100 }, (_, i) => [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, i >> 8, i & 0xff]).flat();
    const m = Uint8Array.from([0, 9, 0x81, 0x80, 0, 1, 0, 100, 0, 0, 0, 0, ...q.subarray(12), ...answers]);
    expect(m.length).toBeGreaterThan(MAX_CACHED_MESSAGE);
    for (let i = 0; i < 3; i++) expect(decoder.decode(m, 0, m.length, 1, 0, 'c', 's', 'c', 's', 'udp')).toStrictEqual(reference(m));
  });
});

describe('the endpoint cache', () => {
  it('keeps 3,000 IPv4 and IPv6 endpoints apart: every message names its own address and port', () => {
    const frames = [];
    const want: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const port = 1024 + ((i * 7919) % 60000);
      const v4 = `10.${i >> 8}.${i & 0xff}.${(i * 13) & 0xff}`;
      frames.push(frame(ipv4(v4, '10.96.0.10', 17, udp(port, 53, dnsQuery(i, 'a.test')))));
      want.push(`${v4}:${port} > 10.96.0.10:53`);
      const last = 1 + (i % 250);
      frames.push(frame(ipv6(last, 0x35, 17, udp(port, 53, dnsQuery(i, 'a.test')))));
      want.push(`[2001:db8::${last.toString(16)}]:${port} > [2001:db8::35]:53`);
    }
    // Twice over, so the second pass reads from the cache.
    const r = decodeFrames([...frames, ...frames]);
    expect(r.messages).toHaveLength(6000);
    expect(r.messages.map((m) => `${m.src} > ${m.dst}`)).toStrictEqual([...want, ...want]);
  });
});

describe('whole datagrams decoded in place', () => {
  it('gives the general path\'s verdicts on 14 edge cases it hands over or decides itself', () => {
    const q = () => dnsQuery(9, 'edge.test');
    const cut = (b: Uint8Array, n: number) => ({ ...frame(b.subarray(0, b.length - n)), originalLength: b.length });
    const frames = [
      frame(ipv4('10.0.0.1', '10.0.0.53', 17, udp(4000, 53, q()), { options: [1, 1, 1, 0] })), // IPv4 options
      frame((() => { const b = ipv4('10.0.0.1', '10.0.0.53', 17, udp(4001, 53, q())); b[2] = 0; b[3] = 0; return b; })()), // TSO: total length 0
      frame(ipv4('10.0.0.1', '10.0.0.53', 17, new Uint8Array(40), { more: true, id: 5 })), // first fragment, never completed
      frame(ipv6(1, 2, 17, udp(4003, 53, q()), [[0, [0, 1, 4, 0, 0, 0, 0]]])), // IPv6 hop-by-hop header
      frame((() => { const b = udp(4004, 53, q()); b[4] = 0; b[5] = 0; return ipv4('10.0.0.1', '10.0.0.53', 17, b); })()), // UDP length 0
      frame((() => { const b = udp(4005, 53, q()); b[5] += 9; return ipv4('10.0.0.1', '10.0.0.53', 17, b); })()), // UDP length too long
      frame((() => { const b = udp(4006, 53, q()); b[4] = 0; b[5] = 5; return ipv4('10.0.0.1', '10.0.0.53', 17, b); })()), // UDP length 5
      cut(ipv4('10.0.0.1', '10.0.0.53', 17, udp(4007, 53, q())), 4), // snaplen cut the DNS message
      frame(ipv4('10.0.0.1', '10.0.0.80', 6, new Uint8Array(20))), // TCP, not DNS
      frame(ipv4('10.0.0.1', '10.0.0.53', 6, new Uint8Array(12))), // TCP header cut short
      frame(ipv4('10.0.0.1', '10.0.0.9', 17, udp(5353, 5353, q()))), // mDNS port, not asked for
      frame(ipv4('10.0.0.1', '10.0.0.9', 47, new Uint8Array(8))), // GRE
      frame(ipv4('10.0.0.1', '10.0.0.53', 17, udp(4008, 53, Uint8Array.from([0, 1, 2])))), // 3-byte DNS message
      frame(ipv6(1, 2, 17, udp(4009, 53, q()))), // plain IPv6: decoded in place
    ];
    const fast = decodeFrames(frames);
    const reference = decodeFrames(frames, [53], { reference: true });
    expect(fast.messages).toStrictEqual(reference.messages);
    expect(fast.anomalies).toStrictEqual(reference.anomalies);
    expect(fast.accounting).toStrictEqual(reference.accounting);
    expect(fast.accounting).toStrictEqual({ frames: 14, dns: 5, notDns: 3, malformed: 4, truncated: 1, unsupportedLinkType: 0, ipFragmentsPending: 1 });
  });
});
