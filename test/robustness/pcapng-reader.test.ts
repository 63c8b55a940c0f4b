import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { concatBytes, dnsFrame, encodeDns, pcapngBlock, pcapngEpb, pcapngIdb, pcapngShb } from './build-capture.js';
import { analyzeHostile, expectSoundReport } from './invariants.js';
import { realCaptures } from './real-inputs.js';

// Thousands of inputs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

const query = (id: number) => dnsFrame(encodeDns({ id, question: { name: [`q${id}`, 'example'], type: 1 } }));
const head = () => concatBytes(pcapngShb(), pcapngIdb());
/** Three good packets, then whatever is being tested. */
const good = () => concatBytes(head(), pcapngEpb(query(1)), pcapngEpb(query(2)), pcapngEpb(query(3)));

async function reportOf(bytes: Uint8Array, sizes?: number[]) {
  const out = await analyzeHostile(bytes, sizes);
  expect(out.inputError).toBeNull();
  expectSoundReport(out.report!);
  return out.report!;
}

describe('the pcapng reader on any bytes after a valid section and interface', () => {
  it('returns a report whose accounting adds up, for 400 random tails in random chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }), async (tail, sizes) => {
        await reportOf(concatBytes(good(), tail), sizes);
      }),
      { numRuns: 400, seed: 8 },
    );
  });

  it('returns a report whose accounting adds up, for 400 random blocks with random lengths', async () => {
    const block = fc.record({
      type: fc.constantFrom(1, 2, 3, 5, 6, 0x0a0d0d0a, 0x12345678),
      body: fc.uint8Array({ maxLength: 200 }),
      length: fc.option(fc.oneof(fc.constantFrom(0, 4, 8, 11, 12, 13, 0xffffffff, 0x80000000), fc.nat()), { nil: undefined }),
      trailingLength: fc.option(fc.nat(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(block, { maxLength: 6 }), async (blocks) => {
        await reportOf(concatBytes(good(), ...blocks.map(pcapngBlock), pcapngEpb(query(9))));
      }),
      { numRuns: 400, seed: 8 },
    );
  });
});

describe('pcapng blocks whose lengths lie', () => {
  it.each([
    ['0 (a reader that trusts it never moves on)', 0],
    ['4 (shorter than a block header)', 4],
    ['8 (no room for the trailing length)', 8],
    ['37 (not a multiple of 4)', 37],
    ['0xFFFFFFFF', 0xffffffff],
    ['0x7FFFFFF8 (2 GB)', 0x7ffffff8],
  ])('keeps the 3 packets before a block whose length is %s, stops there, and says so', async (_what, length) => {
    const r = await reportOf(concatBytes(good(), pcapngEpb(query(4), { length }), pcapngEpb(query(5))));
    expect(r.summary.frameAccounting).toMatchObject({ frames: 3, dns: 3 });
    expect(r.anomalies).toEqual([{ code: 'pcapng-bad-block-length', frame: 4, detail: `block at byte 360: type 0x6 claims a length of ${length} bytes` }]);
    expect(r.warnings).toEqual([`capture is corrupt from byte 360 (type 0x6 claims a length of ${length} bytes); everything before it was analysed`]);
  });

  it('keeps the 3 packets before a block whose trailing length disagrees with its leading length, and says so', async () => {
    const r = await reportOf(concatBytes(good(), pcapngEpb(query(4), { trailingLength: 999 }), pcapngEpb(query(5))));
    expect(r.summary.frameAccounting).toMatchObject({ frames: 3, dns: 3 });
    expect(r.anomalies.map((a) => [a.code, a.frame])).toEqual([['pcapng-bad-block-length', 4]]);
    expect(r.warnings).toHaveLength(1);
  });

  it('reports a packet whose captured length is larger than its block, and reads the next one', async () => {
    const r = await reportOf(concatBytes(good(), pcapngEpb(query(4), { capturedLength: 60_000 }), pcapngEpb(query(5))));
    // The bytes the block does hold are still a whole DNS query.
    expect(r.summary.frameAccounting).toMatchObject({ frames: 5, dns: 5 });
    expect(r.anomalies).toEqual([{ code: 'pcapng-bad-block', frame: 4, detail: 'packet block at byte 360 claims 60000 captured bytes; it holds 72' }]);
  });

  it('accounts for a packet on an interface that was never described, and reads the next one', async () => {
    const r = await reportOf(concatBytes(good(), pcapngEpb(query(4), { interfaceId: 7 }), pcapngEpb(query(5))));
    expect(r.summary.frameAccounting).toMatchObject({ frames: 5, dns: 4, unsupportedLinkType: 1 });
    expect(r.anomalies[0]).toMatchObject({ code: 'pcapng-unknown-interface', frame: 4 });
  });

  it('finishes 10000 interface blocks and 10000 unknown blocks in one section', async () => {
    const many = [];
    for (let i = 0; i < 10000; i++) many.push(pcapngIdb(1, 0), pcapngBlock({ type: 0x12345678, body: new Uint8Array(4) }));
    const r = await reportOf(concatBytes(good(), ...many, pcapngEpb(query(4))));
    expect(r.summary.frameAccounting.dns).toBe(4);
  });

  it('reads on past a second section header in the middle of the file', async () => {
    const r = await reportOf(concatBytes(good(), head(), pcapngEpb(query(4))));
    expect(r.summary.frameAccounting.dns).toBe(4);
  });
});

describe('a pcapng capture cut off at every byte offset', () => {
  const inputs = [
    { name: 'a hand-built pcapng of 3 DNS packets', bytes: good() },
    ...realCaptures().filter((c) => c.name.endsWith('.pcapng')).slice(0, 2),
  ];
  for (const input of inputs) {
    it(`never crashes and keeps accounting for every cut of ${input.name}`, async () => {
      const whole = await analyzeHostile(input.bytes);
      const frames = whole.report!.summary.frames;
      let last = 0;
      for (let cut = 0; cut <= input.bytes.length; cut++) {
        const out = await analyzeHostile(input.bytes.subarray(0, cut), [61]);
        if (out.report === null) continue;
        expectSoundReport(out.report, { render: cut % 16 === 0 });
        // Frames only ever appear as the cut moves on, and never more than the whole file has.
        expect(out.report.summary.frames).toBeGreaterThanOrEqual(last);
        expect(out.report.summary.frames).toBeLessThanOrEqual(frames);
        last = out.report.summary.frames;
      }
      expect(last).toBe(frames);
    });
  }
});
