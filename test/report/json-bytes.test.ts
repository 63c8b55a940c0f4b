import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/fuzz/mutate.mjs';
import { written } from './json-bytes-helpers.js';
import { JsonBytes, asciiPiece } from '../../src/report/json-bytes.js';

const random = seededRandom(20260115);


/** Each number on a line of its own, as JsonBytes writes it and as JSON.stringify does. */
function expectNumbersAsStringify(numbers: readonly number[]): void {
  const ours = written((out) => {
    for (const n of numbers) {
      out.number(n);
      out.byte(0x0a);
    }
  }).split('\n');
  const theirs = numbers.map((n) => JSON.stringify(n));
  for (let i = 0; i < numbers.length; i++) if (ours[i] !== theirs[i]) expect(ours[i], `number ${numbers[i]}`).toBe(theirs[i]);
}

describe('JsonBytes', () => {
  it('writes every integer as JSON.stringify does, up to 2^53 and past it', () => {
    const edges = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999_999, 1e8 - 1, 1e8, 1e8 + 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, 1e21, -1, -1e8];
    const counted = Array.from({ length: 100_000 }, (_, i) => i);
    const randomOnes = Array.from({ length: 100_000 }, () => Math.floor(random() * Number.MAX_SAFE_INTEGER));
    const belowMultiples = Array.from({ length: 100_000 }, () => Math.floor(random() * 9e7 + 1) * 1e8 - 1);
    const timestamps = Array.from({ length: 100_000 }, () => 1_768_471_200_000_000 + Math.floor(random() * 1e11));
    expectNumbersAsStringify([...edges, ...counted, ...randomOnes, ...belowMultiples, ...timestamps]);
  });

  it('writes every number of milliseconds with up to three decimals as JSON.stringify does', () => {
    const counted = Array.from({ length: 200_000 }, (_, m) => m / 1000);
    const large = Array.from({ length: 100_000 }, () => Math.floor(random() * 1e11) / 1000);
    const nearLimit = Array.from({ length: 2000 }, (_, i) => (1e11 - 1000 + i) / 1000);
    const rounded = Array.from({ length: 100_000 }, () => Math.round(random() * 6e6 * 1000) / 1000);
    expectNumbersAsStringify([...counted, ...large, ...nearLimit, ...rounded]);
  });

  it('writes any other number as JSON.stringify does: fractions, tiny and huge numbers, negatives, NaN and infinities', () => {
    const edges = [0.1 + 0.2, 1 / 3, 0.0001, 0.00015, 1e-7, 5e-324, 1.5e300, Number.MAX_VALUE, -0.5, -37.828, 1e8 + 0.5, 99_999_999.999, 1e8 + 0.001, NaN, Infinity, -Infinity];
    const randomOnes = Array.from({ length: 100_000 }, () => random() * 10 ** Math.floor(random() * 30 - 10));
    const fourDecimals = Array.from({ length: 100_000 }, () => Math.round(random() * 1e9) / 10_000);
    expectNumbersAsStringify([...edges, ...randomOnes, ...fourDecimals]);
  });

  it('hands on full buffers of 64 KiB, and a value longer than that in a buffer of its own', () => {
    const pieces: Uint8Array[] = [];
    const out = new JsonBytes((bytes) => pieces.push(bytes));
    for (let i = 0; i < 20_000; i++) out.string('0123456789');
    out.string('x'.repeat(100_000));
    out.flush();
    expect(pieces.slice(0, 3).map((p) => p.length)).toEqual([65_532, 65_532, 65_532]);
    expect(pieces.map((p) => p.length)).toContain(100_002);
    expect(pieces.reduce((n, p) => n + p.length, 0)).toBe(20_000 * 12 + 100_002);
  });

  it('writes into one buffer for a sink that is done with the bytes when it returns, and a new one each time for any other', () => {
    for (const sinkIsSynchronous of [true, false]) {
      const copies: string[] = [];
      const pieces: Uint8Array[] = [];
      const out = new JsonBytes(
        (bytes) => {
          copies.push(Buffer.from(bytes).toString('latin1'));
          pieces.push(bytes);
        },
        { sinkIsSynchronous },
      );
      for (let i = 0; i < 20_000; i++) out.string(String(i % 10).repeat(10));
      out.string('x'.repeat(100_000));
      out.string('tail');
      out.flush();
      expect(copies.join('')).toBe(Array.from({ length: 20_000 }, (_, i) => `"${String(i % 10).repeat(10)}"`).join('') + `"${'x'.repeat(100_000)}""tail"`);
      expect(pieces[1].buffer === pieces[0].buffer).toBe(sinkIsSynchronous);
    }
  });

  it('copies pieces and digits a word at a time with no stray byte, wherever a buffer ends', () => {
    const pieces = Array.from({ length: 45 }, (_, n) => asciiPiece('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ'.slice(0, n)));
    const numbers = [0, 7, 42, 999, 1234, 98_765, 1_768_471_200_000_078, 0.5, 0.05, 0.005, 12.34, 99_999_999.999];
    for (const bufferBytes of [16, 17, 18, 19, 61, 64]) {
      const handed: Uint8Array[] = [];
      const out = new JsonBytes((b) => handed.push(Buffer.from(b)), { bufferBytes, sinkIsSynchronous: bufferBytes % 2 === 0 });
      let expected = '';
      for (let i = 0; i < 400; i++) {
        const p = pieces[(i * 7) % pieces.length];
        out.piece(p);
        const n = numbers[i % numbers.length];
        out.number(n);
        out.byte(0x2c);
        expected += `${Buffer.from(p.bytes).toString('latin1')}${JSON.stringify(n)},`;
      }
      out.flush();
      expect(Buffer.concat(handed).toString('latin1'), `buffers of ${bufferBytes}`).toBe(expected);
    }
  });
});
