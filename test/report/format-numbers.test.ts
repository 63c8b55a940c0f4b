import { describe, expect, it } from 'vitest';
import { timestamp } from '../../src/report/format-numbers.js';

describe('timestamp', () => {
  it('writes a time of day for text without a date, and a UTC date and time otherwise', () => {
    expect(timestamp(86_399_999_000)).toBe('23:59:59.999000');
    expect(timestamp(1_795_715_015_737_214)).toBe('2026-11-26 17:43:35.737214 UTC');
    expect(timestamp(null)).toBe('–');
  });

  it('writes a time no calendar holds as a number, not a crash (a pcapng interface counting seconds from an offset of its choosing)', () => {
    expect(timestamp(1.8446744073709552e25)).toBe('1.8446744073709552e+25 µs since the epoch');
    expect(timestamp(-1e19)).toBe('-10000000000000000000 µs since the epoch');
    expect(timestamp(Number.NaN)).toBe('NaN µs since the epoch');
  });
});
