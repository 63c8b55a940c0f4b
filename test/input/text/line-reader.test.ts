import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_LINE_CHARS, readLines } from '../../../src/input/line-reader.js';

async function lines(chunks: Uint8Array[]) {
  const out: { number: number; text: string; cut: boolean }[] = [];
  for await (const batch of readLines((async function* () { yield* chunks; })())) out.push(...batch);
  return out;
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readLines', () => {
  it('keeps a UTF-8 character split across two chunks whole and drops CR of CRLF', async () => {
    const all = bytes('café\r\nnext');
    const got = await lines([all.subarray(0, 4), all.subarray(4)]); // "caf" + first byte of "é"
    expect(got).toEqual([{ number: 1, text: 'café', cut: false }, { number: 2, text: 'next', cut: false }]);
  });

  it('cuts a line longer than the limit, streamed in small chunks, and goes on with the next', async () => {
    const long = bytes(`${'x'.repeat(MAX_LINE_CHARS + 5000)}\nshort\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < long.length; i += 1000) chunks.push(long.subarray(i, i + 1000));
    const got = await lines(chunks);
    expect(got.map((l) => [l.number, l.text.length, l.cut])).toEqual([[1, MAX_LINE_CHARS, true], [2, 5, false]]);
  });
});

/**
 * The line splitter before it read bytes: one streaming TextDecoder, lines split in the text.
 * The byte splitter must give exactly its lines, whatever the bytes and the chunking.
 */
async function textLines(chunks: Uint8Array[]) {
  const decoder = new TextDecoder('utf-8');
  const out: { number: number; text: string; cut: boolean }[] = [];
  let carry = '';
  let cut = false;
  const keep = (text: string, from: number, to: number) => {
    const room = MAX_LINE_CHARS - carry.length;
    if (to - from > room) {
      cut = true;
      to = from + room;
    }
    if (to > from) carry += text.slice(from, to);
  };
  const finish = (text: string, from: number, to: number) => {
    let line: string;
    if (carry === '' && !cut && to - from <= MAX_LINE_CHARS) line = text.slice(from, to);
    else {
      keep(text, from, to);
      line = carry;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out.push({ number: out.length + 1, text: line, cut });
    carry = '';
    cut = false;
  };
  const split = (text: string, last: boolean) => {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      finish(text, from, nl);
      from = nl + 1;
    }
    keep(text, from, text.length);
    if (last && (carry !== '' || cut)) finish('', 0, 0);
  };
  for (const c of chunks) split(decoder.decode(c, { stream: true }), false);
  split(decoder.decode(), true);
  return out;
}

const chunksOf = (b: Uint8Array, size: number) => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));

describe('readLines from bytes against one streaming TextDecoder', () => {
  it('gives the same lines for 2,000 random byte strings (invalid UTF-8, byte-order marks, CRs) in random chunkings', async () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 30 }),
      fc.constantFrom(bytes('\n'), bytes('\r\n'), bytes('\r'), Uint8Array.from([0xef, 0xbb, 0xbf]), Uint8Array.from([0xe2, 0x82]), Uint8Array.from([0xf0, 0x9f, 0x98, 0x80]), bytes('é')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 20 }), fc.integer({ min: 1, max: 40 }), async (pieces, size) => {
        const all = Uint8Array.from(pieces.flatMap((p) => [...p]));
        expect(await lines(chunksOf(all, size))).toEqual(await textLines(chunksOf(all, size)));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('gives the same lines around the length limit: lines of multi-byte characters just under, at and over it', async () => {
    for (const ch of ['x', 'é', '€', '😀']) {
      for (const n of [MAX_LINE_CHARS - 1, MAX_LINE_CHARS, MAX_LINE_CHARS + 1]) {
        const text = `${ch.repeat(Math.ceil(n / ch.length))}\r\nnext`;
        const all = bytes(text);
        for (const size of [1000, 65_536, all.length]) expect(await lines(chunksOf(all, size)), `${ch} ${n} ${size}`).toEqual(await textLines(chunksOf(all, size)));
      }
    }
  });
});
