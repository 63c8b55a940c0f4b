import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DnsFormatError } from '../../src/decode/dns-name.js';
import { decodeDnsWire } from '../../src/decode/dns-wire.js';
import { FastDnsDecoder } from '../../src/decode/fast-dns-decoder.js';
import { cnameData, encodeDns, encodeName, txtData } from './build-capture.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** Decodes, and turns the only exception the decoder may throw into a value. */
function tryDecode(m: Uint8Array): { ok: true; value: ReturnType<typeof decodeDnsWire> } | { ok: false; error: string } {
  try {
    return { ok: true, value: decodeDnsWire(m) };
  } catch (e) {
    if (e instanceof DnsFormatError) return { ok: false, error: e.message };
    throw e;
  }
}

const header = (counts: [number, number, number, number], id = 0x1234, flags = 0x8180) =>
  [id >> 8, id & 0xff, flags >> 8, flags & 0xff, ...counts.flatMap((c) => [c >> 8, c & 0xff])];

describe('the DNS wire decoder on any bytes', () => {
  it('returns a message or throws a DnsFormatError, for 3000 random messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        tryDecode(bytes);
      }),
      { numRuns: 3000, seed: 8 },
    );
  });

  it('never reports more records than the message holds, for 3000 messages with a valid-looking header', () => {
    // A plausible header (small counts) followed by random bytes reaches the name and record
    // decoders far more often than fully random bytes do.
    const arb = fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(arb, ([counts, body]) => {
        const m = Uint8Array.from([...header(counts as [number, number, number, number]), ...body]);
        const r = tryDecode(m);
        if (r.ok) {
          expect(r.value.answers.length).toBe(counts[1]);
          expect(r.value.authorities.length).toBe(counts[2]);
          expect(r.value.additionals.length).toBe(counts[3]);
          for (const rr of [...r.value.answers, ...r.value.authorities, ...r.value.additionals]) {
            // Names reach reports: no control characters and no non-ASCII code points, ever.
            expect(rr.name).toMatch(/^[\x20-\x7e]*$/);
          }
        }
      }),
      { numRuns: 3000, seed: 8 },
    );
  });
});

describe('the fast DNS decoder of the capture path on any bytes', () => {
  it('gives what the reference decoder gives, or the same DnsFormatError, for 3000 messages inside random buffers', () => {
    // One decoder for the whole run, as in a capture: its caches must not leak one message into another.
    const fast = new FastDnsDecoder();
    const arb = fc.tuple(
      fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(arb, ([before, counts, body, after]) => {
        const message = Uint8Array.from([...header(counts as [number, number, number, number]), ...body]);
        const buf = Uint8Array.from([...before, ...message, ...after]);
        const reference = tryDecode(message);
        let got: ReturnType<FastDnsDecoder['decode']> | string;
        try {
          got = fast.decode(buf, before.length, before.length + message.length, 1, 0, 'a', 'b', 'a', 'b', 'udp');
        } catch (e) {
          if (!(e instanceof DnsFormatError)) throw e;
          got = e.message;
        }
        if (!reference.ok) expect(got).toBe(reference.error);
        else {
          expect(typeof got).toBe('object');
          const g = got as Exclude<typeof got, string>;
          expect({ question: g.question, answers: g.answers, authorities: g.authorities, additionals: g.additionals, counts: g.counts, rcode: g.rcode, flags: g.flags })
            .toEqual({ question: reference.value.question, answers: reference.value.answers, authorities: reference.value.authorities, additionals: reference.value.additionals, counts: reference.value.counts, rcode: reference.value.rcode, flags: reference.value.flags });
        }
      }),
      { numRuns: 3000, seed: 8 },
    );
  });
});

describe('the DNS wire decoder on the classic parser attacks', () => {
  it('rejects a 12-byte message claiming 65535 records in every section by the count check, before reading a section', () => {
    const r = tryDecode(Uint8Array.from(header([0xffff, 0xffff, 0xffff, 0xffff])));
    expect(r).toEqual({
      ok: false,
      error: 'section counts 65535/65535/65535/65535 need at least 2490342 bytes; the message has 12',
    });
  });

  it('rejects 65535 questions with 40 bytes of body by the count check too', () => {
    const r = tryDecode(Uint8Array.from([...header([0xffff, 0, 0, 0]), ...new Array(40).fill(0)]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^section counts 65535\/0\/0\/0 need at least 327687 bytes; the message has 52$/);
  });

  it('rejects a compression pointer that points at itself', () => {
    const m = Uint8Array.from([...header([1, 0, 0, 0]), 0xc0, 12, 0, 1, 0, 1]);
    expect(tryDecode(m)).toEqual({ ok: false, error: 'compression pointer at byte 12 points forward to 12' });
  });

  it('rejects two compression pointers that point at each other', () => {
    // Question name at 12: label "a", then a pointer to 17; at 17 a pointer back to 12.
    const m = Uint8Array.from([...header([1, 0, 0, 0]), 1, 0x61, 0xc0, 17, 0, 0xc0, 12, 0, 1, 0, 1]);
    const r = tryDecode(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^compression pointer at byte \d+ points forward to \d+$/);
  });

  it('rejects a compression pointer that points forward into the rest of the message', () => {
    const m = Uint8Array.from([...header([1, 0, 0, 0]), 0xc0, 18, 0, 1, 0, 1, 3, 0x63, 0x6f, 0x6d, 0]);
    expect(tryDecode(m)).toEqual({ ok: false, error: 'compression pointer at byte 12 points forward to 18' });
  });

  it('rejects a compression pointer past the end of the message', () => {
    const m = Uint8Array.from([...header([1, 0, 0, 0]), 0xc0, 12, 0, 1, 0, 1]);
    m[13] = 0xff;
    m[12] = 0xff;
    expect(tryDecode(m).ok).toBe(false);
  });

  /**
   * A record of an unknown type holds `n` compression pointers, each pointing at the one
   * before it (legal: every jump goes backwards, RFC 1035 §4.1.4), the first at the name "a";
   * the next record's owner name points at the last of them: n + 1 jumps to read one name.
   */
  function pointerChain(n: number): Uint8Array {
    const rdata: number[] = [];
    for (let i = 0; i < n; i++) {
      const target = i === 0 ? 12 : 25 + 2 * (i - 1);
      rdata.push(0xc0 | (target >> 8), target & 0xff);
    }
    const last = 25 + 2 * (n - 1);
    return Uint8Array.from([
      ...header([0, 2, 0, 0]),
      1, 0x61, 0, 0xff, 0x00, 0, 1, 0, 0, 0, 30, rdata.length >> 8, rdata.length & 0xff, ...rdata,
      0xc0 | (last >> 8), last & 0xff, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1,
    ]);
  }

  it('follows a chain of 101 backward pointers to one name', () => {
    const r = tryDecode(pointerChain(100));
    expect(r.ok && r.value.answers[1]).toMatchObject({ name: 'a', type: 'A', data: '10.0.0.1' });
  });

  it('stops a chain of 201 backward pointers at the hop limit of 128', () => {
    const r = tryDecode(pointerChain(200));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^compression pointers loop at byte \d+$/);
  });

  it('rejects a label of 64 bytes (RFC 1035 §2.3.4 allows 63)', () => {
    const m = Uint8Array.from([...header([1, 0, 0, 0]), 64, ...new Array(64).fill(0x61), 0, 0, 1, 0, 1]);
    expect(tryDecode(m)).toEqual({ ok: false, error: 'label type 0x40 at byte 12 is not supported' });
  });

  it('accepts a label of exactly 63 bytes', () => {
    const m = encodeDns({ question: { name: ['a'.repeat(63), 'example'], type: 1 } });
    const r = tryDecode(m);
    expect(r.ok && r.value.question?.name).toBe(`${'a'.repeat(63)}.example`);
  });

  it('rejects a name of 257 wire bytes (five labels of 50), and accepts one of 255', () => {
    const long = tryDecode(encodeDns({ question: { name: new Array(5).fill('b'.repeat(50)), type: 1 } }));
    expect(long).toEqual({ ok: false, error: 'name at byte 12 is longer than 255 bytes' });
    // 4 × (1 + 62) + (1 + 1) + 1 = 255.
    const max = tryDecode(encodeDns({ question: { name: [...new Array(4).fill('c'.repeat(62)), 'd'], type: 1 } }));
    expect(max.ok).toBe(true);
  });

  it('rejects a name made longer than 255 bytes through compression pointers', () => {
    // Four labels of 62 (252 bytes with the root) at offset 12, then a name "x.y.z" + pointer to it.
    const base = [...new Array(4).fill(0).flatMap(() => [62, ...new Array(62).fill(0x65)]), 0];
    const m = Uint8Array.from([...header([2, 0, 0, 0]), ...base, 0, 1, 0, 1, 1, 0x78, 1, 0x79, 1, 0x7a, 0xc0, 12, 0, 1, 0, 1]);
    const r = tryDecode(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/longer than 255 bytes/);
  });

  it.each([
    ['an A record with 5 bytes of data', 1, Uint8Array.from([10, 0, 0, 1, 9]), 'A record with 5 bytes of data'],
    ['an A record with 0 bytes of data', 1, new Uint8Array(0), 'A record with 0 bytes of data'],
    ['an AAAA record with 4 bytes of data', 28, Uint8Array.from([1, 2, 3, 4]), 'AAAA record with 4 bytes of data'],
    ['a CNAME whose name is shorter than its data', 5, Uint8Array.from([...cnameData(['x', 'com']), 7, 7]), 'record data of 9 bytes holds a name of 7'],
    ['an MX record with 2 bytes of data', 15, Uint8Array.from([0, 10]), 'MX record with 2 bytes of data'],
    ['an SRV record with 6 bytes of data', 33, Uint8Array.from([0, 1, 0, 1, 0, 80]), 'SRV record with 6 bytes of data'],
    ['a TXT string longer than its record', 16, Uint8Array.from([20, 0x61, 0x62]), 'TXT string runs past its record'],
    ['an SOA record with missing numbers', 6, Uint8Array.from([...encodeName(['ns']), ...encodeName(['h']), 0, 0, 0, 1]), 'SOA record length disagrees with its fields'],
  ])('rejects %s', (_what, type, data, error) => {
    const m = encodeDns({ response: true, question: { name: ['x', 'com'], type }, answers: [{ name: ['x', 'com'], type, data }] });
    expect(tryDecode(m)).toEqual({ ok: false, error });
  });

  it('rejects a record whose RDLENGTH runs past the end of the message', () => {
    const m = encodeDns({ response: true, question: { name: ['x'], type: 1 }, answers: [{ name: ['x'], type: 1, data: Uint8Array.from([1, 2, 3, 4]) }] });
    // RDLENGTH is the two bytes before the last four.
    m[m.length - 6] = 0xff;
    m[m.length - 5] = 0xff;
    const r = tryDecode(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/claims 65535 bytes; 4 remain$/);
  });

  it('keeps a DNSSEC record whose data dns-packet cannot decode as RFC 3597 bytes instead of failing', () => {
    // An RRSIG of 3 bytes: dns-packet would read past it; the wrapper keeps the raw bytes.
    const m = encodeDns({ response: true, question: { name: ['x'], type: 46 }, answers: [{ name: ['x'], type: 46, data: Uint8Array.from([1, 2, 3]) }] });
    const r = tryDecode(m);
    expect(r.ok && r.value.answers[0].data).toBe('\\# 3 010203');
  });

  it('writes control bytes, ESC and invalid UTF-8 in names and TXT data as printable ASCII', () => {
    const hostile = Uint8Array.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a, 0xff, 0xfe, 0x7c, 0x60]);
    const m = encodeDns({
      response: true,
      question: { name: [hostile, 'com'], type: 16 },
      answers: [{ name: [hostile, 'com'], type: 16, data: txtData(hostile) }],
    });
    const r = tryDecode(m);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.question?.name).toBe('^[[31m^JM-^?M-~|`.com');
      expect(r.value.answers[0].data).toBe('"^[[31m^JM-^?M-~|`"');
    }
  });
});
