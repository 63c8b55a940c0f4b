import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonLinesWriter, renderJsonLines } from '../../src/report/json-lines-writer.js';
import { FIXTURES, analyzeText } from '../helpers.js';
import { poisonReport } from './hostile-report.js';

const seeds = `${readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8')}${readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8')}`;

describe('JSON Lines', () => {
  it('writes one record per line: 6 transactions, 2 lookups, 2 findings, 1 resolver, then the summary', async () => {
    const text = renderJsonLines(await analyzeText(seeds));
    expect(text.endsWith('\n')).toBe(true);
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.record)).toEqual(['transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'lookup', 'lookup', 'finding', 'finding', 'resolver', 'summary']);
    expect(Object.keys(records[0])[0]).toBe('record');
    expect(records[6]).toMatchObject({ record: 'lookup', name: 'my-blog', kind: 'externalname', queries: 1, elapsedMs: 37.828 });
    expect(records[11]).toMatchObject({ record: 'summary', schemaVersion: 1, summary: { lookups: 2, wastedQueries: 4 } });
  });

  it('keeps a hostile name with newlines on one line and gives it back byte for byte', async () => {
    const report = poisonReport(await analyzeText(seeds));
    const text = renderJsonLines(report);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines[6]).name).toBe(report.lookups[0].name);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('gathers records into large pieces and hands on the rest at the end', () => {
    const pieces: Uint8Array[] = [];
    const w = new JsonLinesWriter((bytes) => pieces.push(bytes));
    w.anomaly({ code: 'dns-malformed', frame: 7, detail: 'x' });
    expect(pieces).toEqual([]);
    w.end({ schemaVersion: 1, input: { format: 'pcap', source: 'x', linkTypes: [] }, summary: {} as never, warnings: [] });
    expect(Buffer.concat(pieces).toString('utf8').split('\n')[0]).toBe('{"record":"anomaly","code":"dns-malformed","frame":7,"detail":"x"}');
  });
});
