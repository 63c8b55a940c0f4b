import { afterAll, expect, it } from 'vitest';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnalyzeOptions, analyze } from '../src/pipeline.js';
import type { Report } from '../src/model.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = `${ROOT}fixtures/`;
/** Real captures made by others (tcpdump's test suite); present in CI, maybe not elsewhere. */
export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
export const HAVE_CORPUS = existsSync(CORPUS);

export function analyzeFile(path: string, options: Partial<AnalyzeOptions> = {}): Promise<Report> {
  return analyze({ name: path, chunks: createReadStream(path) }, options);
}

export function analyzeText(text: string, options: Partial<AnalyzeOptions> = {}): Promise<Report> {
  return analyzeBytes(new TextEncoder().encode(text), options);
}

export function analyzeBytes(bytes: Uint8Array, options: Partial<AnalyzeOptions> = {}, name = '-'): Promise<Report> {
  return analyze({ name, chunks: (async function* () { yield bytes; })() }, options);
}

/**
 * Inside a describe that reads the shared corpus: where the corpus is absent, says so and
 * registers one test recording the skip (a suite with no test fails), and returns true.
 */
export function skipWithoutCorpus(what: string): boolean {
  if (HAVE_CORPUS) return false;
  console.log(`shared corpus not found: ${what} skipped`);
  it(`skips ${what}: the shared corpus is not here`, () => expect(HAVE_CORPUS).toBe(false));
  return true;
}

const tempDirs: string[] = [];
// Registered in every test file that imports this module: its temporary directories go when it ends.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new directory under the system's temporary directory, removed when the test file ends. */
export function makeTempDir(prefix = 'dnstrace-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A tcpdump text file's line number → capture frame number: the n-th timestamped line starts the n-th packet. */
export function framesByLine(path: string): number[] {
  const frames = [0];
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d+ /.test(line)) n++;
    frames.push(n);
  }
  return frames;
}
