import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonLinesWriter, writeJsonLines } from '../../src/report/json-lines-writer.js';
import { FIXTURES, analyzeText } from '../helpers.js';
import { poisonReport } from './hostile-report.js';

const seeds = `${readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8')}${readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8')}`;

describe('JSON Lines', () => {
  it('writes one record per line: 6 transactions, 2 lookups, 2 findings, 1 resolver, then the summary', async () => {
    const lines: string[] = [];
    writeJsonLines(await analyzeText(seeds), (l) => lines.push(l));
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.record)).toEqual(['transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'lookup', 'lookup', 'finding', 'finding', 'resolver', 'summary']);
    expect(Object.keys(records[0])[0]).toBe('record');
    expect(records[6]).toMatchObject({ record: 'lookup', name: 'my-blog', kind: 'externalname', queries: 1, elapsedMs: 37.828 });
    expect(records[11]).toMatchObject({ record: 'summary', schemaVersion: 1, summary: { lookups: 2, wastedQueries: 4 } });
  });

  it('keeps a hostile name with newlines on one line and gives it back byte for byte', async () => {
    const report = poisonReport(await analyzeText(seeds));
    const lines: string[] = [];
    writeJsonLines(report, (l) => lines.push(l));
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines[6]).name).toBe(report.lookups[0].name);
    expect(lines.join('')).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('writes each record the moment it is given, before the end', () => {
    const lines: string[] = [];
    const w = new JsonLinesWriter((l) => lines.push(l));
    w.anomaly({ code: 'dns-malformed', frame: 7, detail: 'x' });
    expect(lines).toEqual(['{"record":"anomaly","code":"dns-malformed","frame":7,"detail":"x"}\n']);
  });
});
