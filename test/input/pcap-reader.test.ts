import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// pcap-parser is unfit for production (no nanosecond pcap, silent truncation) but is an
// independent implementation: both readers must agree on every valid classic capture.
import pcapParser from 'pcap-parser';
import { readPcap } from '../../src/input/pcap-reader.js';
import type { Anomaly, Frame } from '../../src/model.js';
import { CORPUS, FIXTURES, HAVE_CORPUS } from '../helpers.js';

interface OracleFrame { sec: number; usec: number; caplen: number; origlen: number; data: string }

function readWithOracle(path: string): Promise<OracleFrame[]> {
  return new Promise((resolve, reject) => {
    const frames: OracleFrame[] = [];
    const parser = pcapParser.parse(createReadStream(path));
    parser.on('packet', (p: { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }; data: Buffer }) =>
      frames.push({ sec: p.header.timestampSeconds, usec: p.header.timestampMicroseconds, caplen: p.header.capturedLength, origlen: p.header.originalLength, data: p.data.toString('hex') }),
    );
    parser.on('end', () => resolve(frames));
    parser.on('error', reject);
  });
}

async function readWithOurs(bytes: Uint8Array, chunkSize = 1 << 20) {
  const frames: Frame[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const chunks = (async function* () {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  })();
  const info = await readPcap(chunks, (f) => frames.push({ ...f, data: f.data.slice() }), { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) });
  return { frames, anomalies, warnings, info };
}

function isMicrosecondPcap(bytes: Uint8Array): boolean {
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('hex');
  return magic === 'a1b2c3d4' || magic === 'd4c3b2a1';
}

const captures = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap')).map((f) => FIXTURES + f),
  ...(HAVE_CORPUS ? readdirSync(`${CORPUS}tcpdump`).filter((f) => f.endsWith('.pcap')).map((f) => `${CORPUS}tcpdump/${f}`) : []),
];

describe('the classic pcap reader agrees with pcap-parser on every real capture', () => {
  if (!HAVE_CORPUS) console.log('shared corpus not found: corpus captures skipped, fixtures only');
  for (const path of captures) {
    const bytes = readFileSync(path);
    if (!isMicrosecondPcap(bytes)) continue;
    it(`reads ${path.split('/').slice(-1)[0]} frame for frame`, async () => {
      const oracle = await readWithOracle(path);
      // Split into awkward chunk sizes so records straddle chunk boundaries.
      const ours = await readWithOurs(bytes, 97);
      expect(ours.anomalies).toEqual([]);
      expect(ours.frames.length).toBe(oracle.length);
      ours.frames.forEach((f, i) => {
        const o = oracle[i];
        expect(f.number).toBe(i + 1);
        expect(f.timeUs).toBe(o.sec * 1e6 + o.usec);
        expect(f.data.length).toBe(o.caplen);
        expect(f.originalLength).toBe(o.origlen);
        expect(Buffer.from(f.data).toString('hex')).toBe(o.data);
      });
    });
  }
});

/** A pcap built by hand: the header and records in either byte order, µs or ns. */
function buildPcap(opts: { little: boolean; nano: boolean; records: { sec: number; frac: number; data: number[] }[] }): Uint8Array {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number) => (opts.little ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const w16 = (b: Buffer, v: number, o: number) => (opts.little ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  w32(h, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(h, 2, 4);
  w16(h, 4, 6);
  w32(h, 262144, 16);
  w32(h, 101, 20);
  parts.push(h);
  for (const r of opts.records) {
    const rh = Buffer.alloc(16);
    w32(rh, r.sec, 0);
    w32(rh, r.frac, 4);
    w32(rh, r.data.length, 8);
    w32(rh, r.data.length, 12);
    parts.push(rh, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

describe('the classic pcap reader', () => {
  for (const little of [true, false]) {
    for (const nano of [true, false]) {
      it(`reads ${little ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} captures`, async () => {
        const bytes = buildPcap({ little, nano, records: [{ sec: 1_700_000_000, frac: nano ? 123_456_789 : 123_456, data: [0x45, 1, 2] }] });
        const { frames, info } = await readWithOurs(bytes, 5);
        expect(info.linkTypes).toEqual([101]);
        expect(frames).toHaveLength(1);
        expect(frames[0].timeUs).toBeCloseTo(1_700_000_000_123_456 + (nano ? 0.789 : 0), 0);
        expect([...frames[0].data]).toEqual([0x45, 1, 2]);
      });
    }
  }

  it('reports a final record cut off mid-write, with its byte offset, and keeps the frames before it', async () => {
    const whole = buildPcap({ little: true, nano: false, records: [{ sec: 1, frac: 0, data: [1, 2, 3, 4] }, { sec: 2, frac: 0, data: [5, 6, 7, 8] }] });
    const { frames, anomalies, warnings, info } = await readWithOurs(whole.subarray(0, whole.length - 2));
    expect(frames).toHaveLength(1);
    expect(info.truncatedAt).toBe(24 + 16 + 4);
    expect(anomalies).toEqual([{ code: 'pcap-truncated-record', frame: 2, detail: 'the capture ends 18 bytes into a record that starts at byte 44' }]);
    expect(warnings[0]).toContain('byte offset 44');
    // The same in 3-byte chunks: the cut-off record is pieced together from set-aside chunks.
    const small = await readWithOurs(whole.subarray(0, whole.length - 2), 3);
    expect(small.frames).toHaveLength(1);
    expect(small.anomalies).toEqual(anomalies);
  });

  it('stops at a record length no capture can have instead of reading gigabytes', async () => {
    const bytes = Buffer.from(buildPcap({ little: true, nano: false, records: [{ sec: 1, frac: 0, data: [1] }, { sec: 2, frac: 0, data: [2] }] }));
    bytes.writeUInt32LE(0xffffffff, 24 + 17 + 8);
    const { frames, anomalies } = await readWithOurs(bytes);
    expect(frames).toHaveLength(1);
    expect(anomalies[0].code).toBe('pcap-bad-record-length');
  });
});

describe('reading records in place', () => {
  it('hands over the records inside a chunk as that chunk, and copies only the record split between two, exactly', async () => {
    const records = Array.from({ length: 6 }, (_, i) => ({ sec: i, frac: 0, data: Array.from({ length: 10 + i }, (_, j) => i * 16 + j) }));
    const bytes = buildPcap({ little: true, nano: false, records });
    // Record 3 (frame 4) straddles the two chunks.
    const cut = 24 + (16 + 10) + (16 + 11) + (16 + 12) + 9;
    const chunks = [bytes.slice(0, cut), bytes.slice(cut)];
    const seen: { bytes: Uint8Array; start: number; end: number; number: number }[] = [];
    const sink = { frameAt: (b: Uint8Array, start: number, end: number, number: number) => void seen.push({ bytes: b, start, end, number }) };
    await readPcap((async function* () { yield* chunks; })(), sink, { anomaly: () => {}, warn: () => {} });
    expect(seen.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.slice(0, 3).every((s) => s.bytes === chunks[0])).toBe(true);
    expect(seen.slice(4).every((s) => s.bytes === chunks[1])).toBe(true);
    // The joined record: its header and data, nothing of the chunk after it.
    expect(seen[3].bytes.length).toBe(16 + 13);
    seen.forEach((s, i) => expect([...s.bytes.subarray(s.start, s.end)]).toEqual(records[i].data));
  });
});
