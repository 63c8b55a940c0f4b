import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PCAPNG_BLOCK, readPcapng } from '../../src/input/pcapng-reader.js';
import type { Anomaly, Frame } from '../../src/model.js';
import { CORPUS, skipWithoutCorpus } from '../helpers.js';
import { decodeFile } from '../decode/decode-helpers.js';

// Hand-built files: no tool at hand writes big-endian sections, Simple or obsolete Packet blocks,
// binary if_tsresol, or broken block lengths on demand. Real pcapng files are tested below and
// in test/decode/lab-captures.test.ts (dumpcap, editcap).

type Order = 'le' | 'be';

function block(order: Order, type: number, body: number[]): number[] {
  const padded = [...body, ...new Array((4 - (body.length % 4)) % 4).fill(0)];
  const len = padded.length + 12;
  return [...u32(order, type), ...u32(order, len), ...padded, ...u32(order, len)];
}
function u32(order: Order, v: number): number[] {
  const b = Buffer.alloc(4);
  if (order === 'le') b.writeUInt32LE(v >>> 0);
  else b.writeUInt32BE(v >>> 0);
  return [...b];
}
function u16(order: Order, v: number): number[] {
  const b = Buffer.alloc(2);
  if (order === 'le') b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return [...b];
}
const shb = (o: Order) => block(o, 0x0a0d0d0a, [...u32(o, 0x1a2b3c4d), ...u16(o, 1), ...u16(o, 0), ...u32(o, 0xffffffff), ...u32(o, 0xffffffff)]);
function idb(o: Order, linkType: number, options: [number, number[]][] = [], snapLen = 0): number[] {
  const opts = options.flatMap(([code, v]) => [...u16(o, code), ...u16(o, v.length), ...v, ...new Array((4 - (v.length % 4)) % 4).fill(0)]);
  return block(o, 1, [...u16(o, linkType), 0, 0, ...u32(o, snapLen), ...(opts.length ? [...opts, 0, 0, 0, 0] : [])]);
}
function epb(o: Order, ifId: number, ts: bigint, data: number[], origLen = data.length): number[] {
  return block(o, 6, [...u32(o, ifId), ...u32(o, Number(ts >> 32n)), ...u32(o, Number(ts & 0xffffffffn)), ...u32(o, data.length), ...u32(o, origLen), ...data]);
}

async function read(bytes: number[] | Uint8Array, chunkSize = 7) {
  const all = Uint8Array.from(bytes);
  const frames: Frame[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const chunks = (async function* () {
    for (let i = 0; i < all.length; i += chunkSize) yield all.subarray(i, i + chunkSize);
  })();
  const info = await readPcapng(chunks, (f) => frames.push({ ...f, data: f.data.slice() }), { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) });
  return { frames, anomalies, warnings, info };
}

describe('the pcapng reader', () => {
  it('reads two sections of opposite byte order, each with its own interfaces and link types', async () => {
    const file = [
      ...shb('le'), ...idb('le', 1), ...idb('le', 113), ...epb('le', 1, 1_700_000_000_000_000n, [0xaa]),
      ...shb('be'), ...idb('be', 276), ...epb('be', 0, 1_700_000_001_000_000n, [0xbb, 0xcc]),
    ];
    const { frames, info, anomalies } = await read(file);
    expect(anomalies).toEqual([]);
    expect(frames.map((f) => [f.number, f.linkType, f.timeUs, [...f.data]])).toEqual([
      [1, 113, 1_700_000_000_000_000, [0xaa]],
      [2, 276, 1_700_000_001_000_000, [0xbb, 0xcc]],
    ]);
    expect(info.linkTypes).toEqual([1, 113, 276]);
  });

  it('scales timestamps by if_tsresol, decimal (10^-9) and binary (2^-10), and adds if_tsoffset', async () => {
    const file = [
      ...shb('le'),
      ...idb('le', 101, [[9, [9]]]),
      ...idb('le', 101, [[9, [0x80 | 10]], [14, u32('le', 100).concat(u32('le', 0))]]),
      ...epb('le', 0, 1_700_000_000_123_456_789n, [1]),
      ...epb('le', 1, 1024n * 3n + 512n, [2]),
    ];
    const { frames } = await read(file);
    expect(frames[0].timeUs).toBeCloseTo(1_700_000_000_123_456.789, -1);
    // 3.5 s after the 100 s offset.
    expect(frames[1].timeUs).toBe(103_500_000);
  });

  it('reads Simple Packet blocks (cut to the snaplen) and obsolete Packet blocks', async () => {
    const spb = block('le', 3, [...u32('le', 6), 1, 2, 3, 4, 5, 6]);
    const pb = block('le', 2, [...u16('le', 0), ...u16('le', 0), ...u32('le', 0), ...u32('le', 7_000_000), ...u32('le', 2), ...u32('le', 2), 9, 8]);
    const { frames, anomalies } = await read([...shb('le'), ...idb('le', 101, [], 4), ...spb, ...pb]);
    expect(anomalies).toEqual([]);
    expect(frames.map((f) => [f.number, f.timeUs, [...f.data], f.originalLength])).toEqual([
      [1, 0, [1, 2, 3, 4], 6],
      [2, 7_000_000, [9, 8], 2],
    ]);
  });

  it('skips statistics, name resolution and unknown blocks by their length', async () => {
    const file = [...shb('le'), ...idb('le', 101), ...block('le', 5, [1, 2, 3, 4]), ...block('le', 4, [0, 0, 0, 0]), ...block('le', 0x40000bad, [7]), ...epb('le', 0, 0n, [0x45])];
    const { frames, anomalies } = await read(file);
    expect(anomalies).toEqual([]);
    expect(frames).toHaveLength(1);
  });

  for (const [what, length] of [['shorter than a block can be', 8], ['not a multiple of 4', 30], ['over the 16 MiB limit', MAX_PCAPNG_BLOCK + 4]] as const) {
    it(`stops at a block length ${what} (${length}), keeping the frames before it`, async () => {
      const bad = [...u32('le', 6), ...u32('le', length), ...new Array(40).fill(0)];
      const good = [...shb('le'), ...idb('le', 101), ...epb('le', 0, 0n, [1])];
      const { frames, anomalies, warnings } = await read([...good, ...bad, ...epb('le', 0, 0n, [2])]);
      expect(frames).toHaveLength(1);
      expect(anomalies).toEqual([{ code: 'pcapng-bad-block-length', frame: 2, detail: `block at byte ${good.length}: type 0x6 claims a length of ${length} bytes` }]);
      expect(warnings).toEqual([`capture is corrupt from byte ${good.length} (type 0x6 claims a length of ${length} bytes); everything before it was analysed`]);
    });
  }

  it('stops at a block whose trailing length disagrees with its leading length', async () => {
    const good = [...shb('le'), ...idb('le', 101)];
    const broken = epb('le', 0, 0n, [1]);
    broken[broken.length - 4] = 99;
    const { frames, anomalies } = await read([...good, ...broken]);
    expect(frames).toHaveLength(0);
    expect(anomalies[0].code).toBe('pcapng-bad-block-length');
  });

  it('reports a capture cut off mid-block with the byte offset of that block', async () => {
    const good = [...shb('le'), ...idb('le', 101), ...epb('le', 0, 0n, [1, 2, 3, 4])];
    const last = epb('le', 0, 0n, [5, 6, 7, 8]);
    const { frames, anomalies, warnings, info } = await read([...good, ...last.slice(0, 20)]);
    expect(frames).toHaveLength(1);
    expect(info.truncatedAt).toBe(good.length);
    expect(anomalies).toEqual([{ code: 'pcapng-truncated-block', frame: 2, detail: `the capture ends 20 bytes into a block that starts at byte ${good.length}` }]);
    expect(warnings).toEqual([`capture is cut off: the last block (byte offset ${good.length}) is incomplete; everything before it was analysed`]);
  });

  it('reads a 4 MiB block that arrives in 4096 chunks of 1 KiB', async () => {
    const size = 4 * 1024 * 1024;
    const head = Uint8Array.from([...shb('le'), ...idb('le', 101)]);
    const packet = Uint8Array.from(epb('le', 0, 0n, [0x5a]));
    // The same EPB grown to 4 MiB of data: patch the lengths, keep the layout.
    const big = Buffer.alloc(packet.length - 4 + size);
    big.set(packet.subarray(0, 28));
    big.writeUInt32LE(big.length, 4);
    big.writeUInt32LE(size, 20);
    big.writeUInt32LE(size, 24);
    big.writeUInt32LE(big.length, big.length - 4);
    const { frames, anomalies } = await read(Buffer.concat([head, big]), 1024);
    expect(anomalies).toEqual([]);
    expect(frames.map((f) => f.data.length)).toEqual([4 * 1024 * 1024]);
  });

  it('counts a packet on an interface its section never described as a frame, with an anomaly', async () => {
    const { frames, anomalies } = await read([...shb('le'), ...idb('le', 101), ...epb('le', 3, 0n, [1])]);
    expect(frames.map((f) => f.linkType)).toEqual([-1]);
    expect(anomalies.map((a) => a.code)).toEqual(['pcapng-unknown-interface']);
  });
});

describe('the pcapng reader on real captures', () => {
  if (skipWithoutCorpus('corpus pcapng captures')) return;
  const files = readdirSync(`${CORPUS}tcpdump`).filter((f) => f.endsWith('.pcapng'));
  it('finds the corpus pcapng captures (3)', () => expect(files).toHaveLength(3));
  it('reads the 2106/2107 timestamps of time_2107.pcapng past 32-bit seconds', async () => {
    const r = await decodeFile(`${CORPUS}tcpdump/time_2107.pcapng`);
    expect(r.messages).toHaveLength(1);
    // tshark: 4323283200.000000 (2107-01-01 00:00:00 UTC)
    expect(new Date(r.messages[0].timeUs / 1000).toISOString()).toBe('2107-01-01T00:00:00.000Z');
  });
});
