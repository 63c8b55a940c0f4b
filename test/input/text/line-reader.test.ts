import { describe, expect, it } from 'vitest';
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
