import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { MAX_PCAP_RECORD } from '../../src/input/pcap-reader.js';
import { dnsFrame, encodeDns, pcap } from './build-capture.js';
import { analyzeHostile, expectSoundReport } from './invariants.js';
import { noteMissingCorpus, realCaptures } from './real-inputs.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** Ten DNS frames: five queries for distinct names and their answers. */
function smallCapture(): Uint8Array {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) {
    const question = { name: [`host${i}`, 'example', 'com'], type: 1 };
    frames.push(dnsFrame(encodeDns({ id: 100 + i, question })));
    frames.push(dnsFrame(encodeDns({ id: 100 + i, response: true, question, answers: [{ name: question.name, type: 1, data: Uint8Array.from([10, 0, 0, i]) }] }), true));
  }
  return pcap(frames);
}

/** Byte offsets where each record of a classic pcap ends. */
function recordEnds(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const little = v.getUint32(0, false) === 0xd4c3b2a1 || v.getUint32(0, false) === 0x4d3cb2a1;
  const ends: number[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    at += 16 + v.getUint32(at + 8, little);
    if (at > b.length) break;
    ends.push(at);
  }
  return ends;
}

const pcapHeader = pcap([]);

describe('the pcap reader on any bytes after a valid header', () => {
  it('returns a report whose accounting adds up, for 400 random bodies in random chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), async (body, sizes) => {
        const bytes = Uint8Array.from([...pcapHeader, ...body]);
        const out = await analyzeHostile(bytes, sizes);
        expect(out.inputError).toBeNull();
        expectSoundReport(out.report!);
      }),
      { numRuns: 400, seed: 8 },
    );
  });

  it('returns a report whose accounting adds up, for 400 captures of real DNS frames with random bytes flipped', async () => {
    const base = smallCapture();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: base.length - 25 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), async (edits) => {
        const bytes = base.slice();
        for (const [at, v] of edits) bytes[24 + at] = v;
        const out = await analyzeHostile(bytes);
        expect(out.inputError).toBeNull();
        expectSoundReport(out.report!);
      }),
      { numRuns: 400, seed: 8 },
    );
  });
});

describe('a capture cut off at every byte offset', () => {
  noteMissingCorpus();
  const inputs = [
    { name: 'a hand-built capture of 10 DNS frames', bytes: smallCapture() },
    ...realCaptures().filter((c) => /dns_udp\.pcap$|dns_tcp\.pcap$|dns-zlip-3\.pcap$/.test(c.name)),
  ];
  for (const input of inputs) {
    it(`analyses every whole record before the cut and warns about the rest: ${input.name}`, async () => {
      const ends = recordEnds(input.bytes);
      expect(ends.at(-1)).toBe(input.bytes.length);
      for (let cut = 0; cut <= input.bytes.length; cut++) {
        const out = await analyzeHostile(input.bytes.subarray(0, cut), [97]);
        if (cut < 24) {
          // Shorter than the global header: the whole input is unreadable, one clear error.
          expect(out.inputError, `cut at ${cut}`).not.toBeNull();
          continue;
        }
        const r = out.report!;
        expect(r, `cut at ${cut}`).not.toBeNull();
        expectSoundReport(r, { render: cut % 16 === 0 });
        const whole = ends.filter((e) => e <= cut).length;
        expect(r.summary.frames, `cut at ${cut}`).toBe(whole);
        const atBoundary = cut === 24 || ends.includes(cut);
        expect(r.warnings.length, `cut at ${cut}`).toBe(atBoundary ? 0 : 1);
        expect(r.anomalies.some((a) => a.code === 'pcap-truncated-record'), `cut at ${cut}`).toBe(!atBoundary);
      }
    });
  }
});

describe('pcap record and file headers that lie', () => {
  const query = dnsFrame(encodeDns({ id: 7, question: { name: ['a', 'example'], type: 1 } }));

  it('counts a record of length 0 as a truncated frame and reads on', async () => {
    const out = await analyzeHostile(pcap([query, { data: new Uint8Array(0), origLen: 74 }, query]));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 3, dns: 2, truncated: 1 });
    expect(r.anomalies).toContainEqual({ code: 'frame-truncated', frame: 2, detail: 'captured 0 of 74 bytes; the link-layer header is cut off' });
  });

  it('stops at a record claiming 0xFFFFFFFF bytes, keeps what came before, and warns', async () => {
    const q = (id: number) => dnsFrame(encodeDns({ id, question: { name: ['a', 'example'], type: 1 } }));
    const out = await analyzeHostile(pcap([q(1), q(2), { data: q(3), inclLen: 0xffffffff }, q(4)]));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 2, dns: 2 });
    expect(r.anomalies[0]).toMatchObject({ code: 'pcap-bad-record-length', frame: 3 });
    expect(r.anomalies[0].detail).toContain(`claims 4294967295 bytes (more than ${MAX_PCAP_RECORD})`);
    expect(r.warnings).toEqual(['capture is corrupt from byte 194: a record claims 4294967295 bytes; everything before it was analysed']);
  });

  it(`reads a record of exactly MAX_PCAP_RECORD (${MAX_PCAP_RECORD}) bytes fed in 64 KB pieces`, async () => {
    const big = new Uint8Array(MAX_PCAP_RECORD);
    big.set(query, 0);
    const out = await analyzeHostile(pcap([{ data: big }, query]), [65536]);
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting.frames).toBe(2);
  });

  it.each([
    ['0', 0],
    ['0xFFFFFFFF', 0xffffffff],
    ['1', 1],
  ])('ignores a snaplen of %s in the file header and reads every record', async (_what, snaplen) => {
    const out = await analyzeHostile(pcap([query, query, query], { snaplen }));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 3, dns: 3 });
  });

  it('counts frames of a link type it cannot read as unsupported and still finishes', async () => {
    const out = await analyzeHostile(pcap([query, query], { linkType: 147 }));
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 2, unsupportedLinkType: 2 });
  });

  it('reads 20000 one-byte frames fed in 4093-byte pieces, each counted truncated', async () => {
    const records = new Array(20000).fill(0).map(() => ({ data: Uint8Array.from([0]), origLen: 1 }));
    const bytes = pcap(records);
    const out = await analyzeHostile(bytes, [4093]);
    const r = out.report!;
    expectSoundReport(r);
    expect(r.summary.frameAccounting).toMatchObject({ frames: 20000, truncated: 20000 });
  });
});
