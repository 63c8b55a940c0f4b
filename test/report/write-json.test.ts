import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { renderJsonLines } from '../../src/report/json-lines-writer.js';
import { renderJson, writeJson } from '../../src/report/render-json.js';
import { FIXTURES, analyzeFile } from '../helpers.js';
import { writeReportToString } from './write-report-to-string.js';
import { asWritten } from '../transaction-with.js';

const captures = readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap'));

function source(f: string) {
  const bytes = readFileSync(`${FIXTURES}${f}`);
  return { name: f, chunks: (async function* () { yield bytes; })() };
}

/** A value as it reads back from JSON (no undefined members), for comparing with a parsed report. */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('the JSON report, streamed as the analysis runs', () => {
  it('parses, and holds exactly what the library returns (every list and field; only the key order differs) for every lab capture', async () => {
    expect(captures.length).toBeGreaterThan(20);
    for (const f of captures) {
      const streamed = JSON.parse(await writeReportToString(source(f), 'json'));
      const report = await analyzeFile(`${FIXTURES}${f}`);
      expect(streamed, f).toEqual(asJson({ ...report, transactions: report.transactions.map(asWritten), input: { ...report.input, source: f } }));
      expect(Object.keys(streamed).slice(0, 5), f).toEqual(['schemaVersion', 'transactions', 'lookups', 'input', 'summary']);
    }
  });

  it('is byte for byte what renderJson gives for the whole report', async () => {
    for (const f of captures) {
      const report = await analyzeFile(`${FIXTURES}${f}`);
      expect(await writeReportToString(source(f), 'json'), f).toBe(renderJson({ ...report, input: { ...report.input, source: f } }));
    }
  });

  it('writes one compact transaction or lookup per line inside an indented skeleton, which jq and grep read line by line', async () => {
    const json = await writeReportToString(source('externalname-vs-search.pcap'), 'json');
    const lines = json.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{', '  "schemaVersion": 1,', '  "transactions": [']);
    const report = JSON.parse(json) as Report;
    expect(lines[3]).toBe(`    ${JSON.stringify(report.transactions[0])},`);
    expect(lines).toContain(`    ${JSON.stringify(report.lookups[1])}`);
    expect(lines).toContain('  "summary": {');
    expect(json.endsWith('\n}\n')).toBe(true);
  });

  it('hands on pieces of at most 64 KiB, whatever the number of transactions', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    // 60,000 copies: as one string this report would be tens of megabytes.
    const big = { ...report, transactions: Array.from({ length: 60_000 }, () => report.transactions[0]) };
    let largest = 0;
    let total = 0;
    writeJson(big, (c) => {
      largest = Math.max(largest, c.length);
      total += c.length;
    });
    const oneTransaction = JSON.stringify(asWritten(report.transactions[0])).length;
    expect(total).toBeGreaterThan(60_000 * oneTransaction);
    expect(largest).toBeLessThanOrEqual(1 << 16);
  });
});

describe('the JSON Lines report, streamed as the analysis runs', () => {
  it('holds the same records as the library report, each kind in the order it completed, the summary last', async () => {
    for (const f of captures) {
      const streamed = (await writeReportToString(source(f), 'jsonl')).trimEnd().split('\n').map((l) => JSON.parse(l));
      const report = await analyzeFile(`${FIXTURES}${f}`);
      const lines: unknown[] = renderJsonLines({ ...report, input: { ...report.input, source: f } }).trimEnd().split('\n').map((l) => JSON.parse(l));
      const ofKind = (records: unknown[], kind: string) => records.filter((r) => (r as { record: string }).record === kind);
      for (const kind of ['transaction', 'lookup', 'finding', 'resolver', 'anomaly', 'summary']) expect(ofKind(streamed, kind), `${f} ${kind}`).toEqual(ofKind(lines, kind));
      expect(streamed.length, f).toBe(lines.length);
      expect(streamed[streamed.length - 1].record).toBe('summary');
    }
  });
});
