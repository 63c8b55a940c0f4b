import { describe, expect, it } from 'vitest';
import { EvidenceFrames } from '../../src/analyze/findings/evidence-frames.js';
import { createPrng } from '../../scripts/bench/create-prng.js';

describe('evidence frames kept as they come', () => {
  it('are the 20 smallest distinct frames, sorted, whatever the order they came in', () => {
    const prng = createPrng(42);
    for (let round = 0; round < 200; round++) {
      const frames = Array.from({ length: prng.int(0, 80) }, () => (prng.chance(0.1) ? null : prng.int(1, 60)));
      const e = new EvidenceFrames();
      e.addAll(frames);
      const expected = [...new Set(frames.filter((f): f is number => f !== null))].sort((a, b) => a - b).slice(0, 20);
      expect(e.list()).toEqual(expected);
    }
  });
});
