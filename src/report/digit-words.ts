/**
 * The digits JsonBytes writes, as little-endian 32-bit words it stores whole with a DataView:
 * a number's text costs one table read and one store per four digits.
 */

/** Four bytes as one little-endian word, as a DataView stores them with `setInt32(at, word, true)`. */
function word(b0: number, b1: number, b2: number, b3: number): number {
  return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
}

const ZERO = 0x30;

/** 0000 to 9999 as four ASCII digits, zero-padded, in one word. */
export const FOUR_DIGITS = new Int32Array(10000);
/** 0 to 9999 in as many ASCII digits as it takes, from the word's first byte (the rest is left over), and how many. */
export const SHORT_DIGITS = new Int32Array(10000);
export const SHORT_LENGTH = new Uint8Array(10000);
/** 1 to 999 thousandths as a point and its digits without trailing zeros (".5", ".05", ".123"), and how many bytes. */
export const FRACTION = new Int32Array(1000);
export const FRACTION_LENGTH = new Uint8Array(1000);
for (let i = 0; i < 10000; i++) {
  const d = [Math.floor(i / 1000), Math.floor(i / 100) % 10, Math.floor(i / 10) % 10, i % 10].map((x) => ZERO + x);
  FOUR_DIGITS[i] = word(d[0], d[1], d[2], d[3]);
  const skip = i < 10 ? 3 : i < 100 ? 2 : i < 1000 ? 1 : 0;
  const short = d.slice(skip);
  SHORT_DIGITS[i] = word(short[0], short[1] ?? 0, short[2] ?? 0, short[3] ?? 0);
  SHORT_LENGTH[i] = short.length;
}
for (let i = 1; i < 1000; i++) {
  const digits = [Math.floor(i / 100), Math.floor(i / 10) % 10, i % 10];
  while (digits[digits.length - 1] === 0) digits.pop();
  const text = [0x2e, ...digits.map((x) => ZERO + x)];
  FRACTION[i] = word(text[0], text[1], text[2] ?? 0, text[3] ?? 0);
  FRACTION_LENGTH[i] = text.length;
}
