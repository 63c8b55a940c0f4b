import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers.js';
import { type ReportFormat } from '../../src/write-report.js';
import { writeReportToString } from './write-report-to-string.js';

/**
 * Golden files: every report format for every fixture, compared byte for byte. A missing golden
 * fails; goldens are (re)written only with UPDATE_GOLDEN=1, and a person reads each diff before
 * committing it (see README, "Reports"). Each is written the way `dnstrace analyze` writes it:
 * streamed as the analysis runs, the JSON report's lookups through a temporary file.
 */
const GOLDEN = `${ROOT}test/golden/`;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const FORMATS: Record<string, ReportFormat> = { 'report.md': 'markdown', 'report.json': 'json', 'report.jsonl': 'jsonl', 'report.txt': 'text' };

/** Inputs: every capture and tcpdump text in fixtures/, plus the two seeds in one input (the side-by-side case). */
const inputs: { name: string; bytes: () => Uint8Array }[] = [
  ...readdirSync(FIXTURES)
    .filter((f) => /\.(pcap|pcapng|pcap\.gz|pcapng\.gz|tcpdump\.txt)$/.test(f))
    .sort()
    .map((f) => ({ name: f, bytes: () => readFileSync(FIXTURES + f) })),
  {
    name: 'seeds-combined.tcpdump.txt',
    bytes: () => Buffer.concat([readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`), readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`)]),
  },
];

describe('golden reports', () => {
  if (UPDATE) console.log('UPDATE_GOLDEN=1: rewriting golden files; review the diff before committing');
  for (const input of inputs) {
    for (const [ext, format] of Object.entries(FORMATS)) {
      it(`${input.name} as ${ext}`, async () => {
        const bytes = input.bytes();
        // A relative source name, so the golden files hold no path of this machine.
        let actual: string;
        try {
          actual = await writeReportToString({ name: `fixtures/${input.name}`, chunks: (async function* () { yield bytes; })() }, format);
        } catch (e) {
          // An input the pipeline cannot read yet (pcapng today) pins its one-line error instead,
          // so the golden fails, and is looked at, the day it becomes readable.
          if ((e as Error).name !== 'InputError') throw e;
          actual = `input error: ${(e as Error).message}\n`;
        }
        const file = `${GOLDEN}${input.name}.${ext}`;
        if (UPDATE) writeFileSync(file, actual);
        expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm test and review it`).toBe(true);
        expect(actual).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});
