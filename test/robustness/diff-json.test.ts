import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type ComparedReport, compareReports } from '../../src/diff/compare-reports.js';
import { loadReport } from '../../src/diff/load-report.js';
import { InputError } from '../../src/input/input-error.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderDiffJson } from '../../src/report/diff/render-diff-json.js';
import { renderDiffMarkdown } from '../../src/report/diff/render-diff-markdown.js';
import { renderDiffText } from '../../src/report/diff/render-diff-text.js';
import { FIXTURES } from '../helpers.js';
import { analyzeHostile } from './invariants.js';

// Hundreds of whole diffs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * `dnstrace diff` reads JSON reports back: a file anyone can edit, so hostile input too. Any
 * JSON in place of any value of a real report must end in a diff or one input error, and the
 * diff must render without control bytes.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const hostileString = fc.constantFrom('\u001b[2J|<script>`x`', 'a\nb\r\nc', '\u202e', '', '|'.repeat(50), 'x'.repeat(5000));
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  hostileString,
  fc.constantFrom<Json>(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5, [], {}),
);

const HOSTILE_STRINGS = ['\u001b[2J|<script>`x`', 'a\nb\r\nc', '\u202e', '', '|'.repeat(50), 'x'.repeat(5000)];
const ODD_NUMBERS = [-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5, 1e-9];

/** A value of the same JSON kind as `v` that a hand-edited report might hold. */
function sameKind(v: Json, pick: number): Json {
  if (typeof v === 'string') return HOSTILE_STRINGS[pick % HOSTILE_STRINGS.length];
  if (typeof v === 'number') return ODD_NUMBERS[pick % ODD_NUMBERS.length];
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return pick % 2 === 0 ? [] : [...v, ...v];
  return pick % 2 === 0 ? {} : v;
}

function valueAt(v: Json, path: (string | number)[]): Json {
  for (const k of path) v = v !== null && typeof v === 'object' ? ((v as Record<string, Json>)[k as string] ?? null) : null;
  return v;
}

/** Every path to a value in `v`, shortest first. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.slice(0, 5).forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function replaceAt(v: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  // An earlier edit may have replaced a container by a scalar: build the path again.
  if (v === null || typeof v !== 'object') v = {};
  const copy: Json = Array.isArray(v) ? [...v] : { ...(v as Record<string, Json>) };
  const [head, ...rest] = path;
  (copy as Record<string, Json>)[head as string] = replaceAt((v as Record<string, Json>)[head as string], rest, value);
  return copy;
}

async function loadJson(json: string): Promise<ComparedReport | InputError> {
  try {
    return await loadReport({ name: 'edited.json', chunks: (async function* () { yield new TextEncoder().encode(json); })() });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

describe('dnstrace diff on edited JSON reports', async () => {
  const real = (await analyzeHostile(new Uint8Array(readFileSync(`${FIXTURES}diff-ndots5.pcap`)))).report!;
  const base = JSON.parse(renderJson(real)) as Json;
  const allPaths = paths(base);
  const before = await loadJson(renderJson(real));

  it('reads the unedited report back', () => {
    expect(before).not.toBeInstanceOf(InputError);
  });

  it('ends 500 reports with one value replaced by any JSON in a diff or one input error, rendered without control bytes', async () => {
    let diffs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: allPaths.length - 1 }), anyJson, fc.nat(), fc.boolean()), { minLength: 1, maxLength: 3 }), async (edits) => {
        let edited = base;
        // Half the edits keep the kind of value (a string stays a string) so they get past the
        // reader's validation and reach the comparison and the renderers.
        for (const [i, value, pick, keepKind] of edits) {
          edited = replaceAt(edited, allPaths[i], keepKind ? sameKind(valueAt(edited, allPaths[i]), pick) : value);
        }
        const after = await loadJson(JSON.stringify(edited));
        if (after instanceof InputError) return;
        const diff = compareReports(before as ComparedReport, after);
        diffs++;
        for (const text of [renderDiffMarkdown(diff, { top: 20 }), renderDiffText(diff, { top: 20 })]) {
          expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), 'a control character in the diff').toBe(false);
        }
        JSON.parse(renderDiffJson(diff));
      }),
      { numRuns: 500, seed: 8 },
    );
    // Enough edits get past the reader's validation to exercise the comparison and renderers.
    expect(diffs).toBeGreaterThan(50);
  });
});
