import { describe, expect, it } from 'vitest';
import { appendSmall } from '../../src/analyze/append-small.js';

describe('appendSmall', () => {
  it('appends in order through the copied sizes and past them', () => {
    let list: number[] = [];
    const seen: number[][] = [];
    for (let i = 0; i < 9; i++) {
      list = appendSmall(list, i);
      seen.push([...list]);
    }
    expect(list).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seen[3]).toStrictEqual([0, 1, 2, 3]);
  });

  it('returns a new array up to four items and grows the same one after', () => {
    const three = [1, 2, 3];
    const four = appendSmall(three, 4);
    expect(four).not.toBe(three);
    expect(three).toStrictEqual([1, 2, 3]);
    expect(appendSmall(four, 5)).toBe(four);
  });
});
