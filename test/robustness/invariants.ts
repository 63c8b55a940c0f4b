import { expect } from 'vitest';
import { MAX_LISTED_ANOMALIES } from '../../src/collect-diagnostics.js';
import { InputError } from '../../src/input/input-error.js';
import type { FrameAccounting, Report } from '../../src/model.js';
import { analyze } from '../../src/pipeline.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { chunked } from './build-capture.js';

/** What a run on hostile bytes may end in: a report, or one input error for the file as a whole. */
export type Outcome = { report: Report; inputError: null } | { report: null; inputError: string };

/**
 * Runs the whole pipeline on `bytes` fed in pieces of `chunkSizes`. Bad data must become
 * anomalies; only an InputError (no such format, empty, a header cut short) may end the run.
 * Anything else thrown is a bug and is rethrown so the test fails with its stack.
 */
export async function analyzeHostile(bytes: Uint8Array, chunkSizes?: readonly number[]): Promise<Outcome> {
  try {
    const report = await analyze({ name: 'hostile', chunks: chunked(bytes, chunkSizes) });
    return { report, inputError: null };
  } catch (e) {
    if (e instanceof InputError) return { report: null, inputError: e.message };
    throw e;
  }
}

export function bucketSum(a: FrameAccounting): number {
  return a.dns + a.notDns + a.malformed + a.truncated + a.unsupportedLinkType + a.ipFragmentsPending;
}

/**
 * The accounting guarantees of issue 8, for any report: every frame or line lands in exactly
 * one bucket, every anomaly names a frame that exists (or the whole file), and the summary
 * agrees with the lists it summarises.
 */
export function expectSoundReport(r: Report, opts: { render?: boolean } = {}): void {
  const a = r.summary.frameAccounting;
  expect(bucketSum(a), `accounting ${JSON.stringify(a)}`).toBe(a.frames);
  expect(r.summary.frames).toBe(a.frames);
  expect(r.summary.malformed).toBe(a.malformed);
  expect(r.summary.dnsMessages).toBe(r.summary.queries + r.summary.responses);
  expect(r.summary.transactions).toBe(r.transactions.length);
  expect(r.summary.lookups).toBe(r.lookups.length);
  // Checked in plain code and asserted once: expect() per anomaly is slow on 20000 of them.
  const badAnomalies = r.anomalies.filter(
    (an) =>
      !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(an.code) ||
      typeof an.detail !== 'string' ||
      an.detail.length === 0 ||
      // A truncated last record is reported against the frame it would have been: frames + 1.
      (an.frame !== null && (!Number.isInteger(an.frame) || an.frame < 1 || an.frame > a.frames + 1)),
  );
  expect(badAnomalies.slice(0, 3)).toEqual([]);
  // The list stops at its first MAX_LISTED_ANOMALIES; the counts by code hold every one.
  const counted = anomalyCounts(r);
  expect(r.anomalies.length).toBeLessThanOrEqual(MAX_LISTED_ANOMALIES);
  expect(Object.values(counted).reduce((n, c) => n + c, 0)).toBeGreaterThanOrEqual(r.anomalies.length);
  for (const a of r.anomalies) expect(counted[a.code]).toBeGreaterThan(0);
  // Anything counted malformed carries its reason.
  if (a.malformed > 0) expect(r.anomalies.length).toBeGreaterThan(0);
  if (a.truncated > 0) expect(r.anomalies.length).toBeGreaterThan(0);
  // Rendering is most of the cost; loops over thousands of near-identical inputs render a sample.
  if (opts.render !== false) expectRenderable(r);
}

/** Every anomaly of the input by code, listed or not (the aggregates count them all). */
export function anomalyCounts(r: Report): Record<string, number> {
  return Object.fromEntries((r.aggregates?.anomalyCounts ?? []).map((a) => [a.code, a.count]));
}

/** Every report renders: the markdown holds no control character, the JSON parses. */
export function expectRenderable(r: Report): void {
  const md = renderMarkdown(r, { top: 20 });
  expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(md), 'markdown holds a control character').toBe(false);
  expect(() => JSON.parse(renderJson(r))).not.toThrow();
}
