import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { mutate, seededRandom } from '../../scripts/fuzz/mutate.mjs';
import { analyzeHostile, expectSoundReport } from './invariants.js';
import { noteMissingCorpus, realCaptures, realTexts } from './real-inputs.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Bit flips, truncation, splicing and lying length fields over every real capture and text
 * we have, with a fixed seed (the same mutants on every run and machine) and a bounded count.
 * Longer campaigns with fresh seeds: `npm run fuzz -- --minutes N`.
 */
const SEED = 0x8d5;
const MUTANTS_PER_CAPTURE = 30;
const MUTANTS_PER_TEXT = 8;

noteMissingCorpus();
const captures = realCaptures();
const texts = realTexts();

describe('mutated real inputs never crash the pipeline', () => {
  it('finds real inputs to mutate', () => {
    expect(captures.length + texts.length).toBeGreaterThan(0);
  });

  const groups: [string, typeof captures, number][] = [
    ['capture', captures, MUTANTS_PER_CAPTURE],
    ['text', texts, MUTANTS_PER_TEXT],
  ];
  for (const [kind, inputs, perInput] of groups) {
    for (const [index, input] of inputs.entries()) {
      it(`ends ${perInput} mutants of ${kind} ${input.name} in a sound report or one input error`, async () => {
        const rnd = seededRandom(SEED + index * 7919 + (kind === 'text' ? 1 : 0));
        const other = inputs[(index + 1) % inputs.length].bytes;
        let reports = 0;
        for (let i = 0; i < perInput; i++) {
          // A gzip file: mutate the capture inside and compress it again, so the reader behind
          // the gzip layer is reached (a flipped compressed bit only fails the CRC).
          const gz = input.name.endsWith('.gz');
          const mutant = mutate(gz ? new Uint8Array(gunzipSync(input.bytes)) : input.bytes, rnd, other);
          const bytes = gz ? new Uint8Array(gzipSync(mutant.bytes)) : mutant.bytes;
          const applied = mutant.applied;
          const chunk = 1 + Math.floor(rnd() * 4096);
          let out;
          try {
            out = await analyzeHostile(bytes, [chunk]);
          } catch (e) {
            // Say how to get the same mutant back before failing.
            throw new Error(`mutant ${i} of ${input.name} (seed ${SEED}, ${applied.join('+')}) crashed: ${(e as Error).stack}`);
          }
          if (out.report) {
            reports++;
            expectSoundReport(out.report);
          } else {
            expect(out.inputError.length).toBeGreaterThan(0);
          }
        }
        // When a capture is readable, some mutants keep a readable header too, so the readers
        // and decoders behind the sniffer are exercised, not only the format check. (A text of
        // two DNS lines can lose both to eight mutants: no such check for texts.)
        if (kind === 'capture' && (await analyzeHostile(input.bytes)).report) expect(reports).toBeGreaterThan(0);
      });
    }
  }
});
