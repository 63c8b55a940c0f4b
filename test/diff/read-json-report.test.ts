import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/diff/compare-reports.js';
import { loadReport } from '../../src/diff/load-report.js';
import { readJsonReport } from '../../src/diff/read-json-report.js';
import { InputError } from '../../src/input/input-error.js';
import { renderJson } from '../../src/report/render-json.js';
import { CORPUS, FIXTURES, analyzeFile, analyzeText, skipWithoutCorpus } from '../helpers.js';
import { SEARCH_WALK, TRAILING_DOT } from './inputs.js';

function source(text: string, name = 'side.json') {
  return { name, chunks: (async function* () { yield new TextEncoder().encode(text); })() };
}

describe('readJsonReport', () => {
  it('gives back exactly the Report that analyze --format json wrote', async () => {
    const report = await analyzeText(SEARCH_WALK);
    expect(readJsonReport(renderJson(report), 'r.json')).toEqual(report);
  });

  it('keeps fields that a later dnstrace added', async () => {
    const json = JSON.parse(renderJson(await analyzeText(TRAILING_DOT)));
    json.summary.somethingNew = 7;
    expect((readJsonReport(JSON.stringify(json), 'r.json').summary as unknown as Record<string, unknown>).somethingNew).toBe(7);
  });

  it.each([
    ['text that is not JSON', '{"schemaVersion": 1,', /^r\.json: not valid JSON \(/],
    ['a JSON array', '[1, 2]', /^r\.json: JSON, but not a report written by dnstrace analyze --format json$/],
    ['JSON without schemaVersion', '{"name": "x"}', /^r\.json: JSON, but not a report written by dnstrace analyze --format json$/],
    ['a diff instead of a report', '{"schemaVersion": 1, "kind": "dnstrace-diff"}', /^r\.json: a dnstrace diff, not a report: give the captures, or reports from dnstrace analyze --format json$/],
    ['a future schema', '{"schemaVersion": 2}', /^r\.json: dnstrace report schemaVersion 2 is not supported \(this dnstrace reads 1\)$/],
    ['a report with no lookups', '{"schemaVersion": 1, "input": {"format": "text", "source": "x", "linkTypes": []}}', /^r\.json: not a valid dnstrace report: report\.summary must be an object, not undefined$/],
  ])('refuses %s with one line naming the file', (_what, text, message) => {
    expect(() => readJsonReport(text, 'r.json')).toThrow(InputError);
    expect(() => readJsonReport(text, 'r.json')).toThrow(message);
  });

  it('names the first wrong field by its path', async () => {
    const json = JSON.parse(renderJson(await analyzeText(SEARCH_WALK)));
    json.lookups[0].attempts[3].wasted = 'yes';
    expect(() => readJsonReport(JSON.stringify(json), 'r.json')).toThrow('r.json: not a valid dnstrace report: report.lookups[0].attempts[3].wasted must be true or false, not string');
    json.lookups[0].attempts[3].wasted = true;
    json.lookups[0].outcome = 'fine';
    expect(() => readJsonReport(JSON.stringify(json), 'r.json')).toThrow('report.lookups[0].outcome must be one of answered, nxdomain, nodata, servfail, timeout, unreachable, refused, error, not string');
    json.lookups[0].outcome = 'answered';
    json.summary.lookups = -1;
    expect(() => readJsonReport(JSON.stringify(json), 'r.json')).toThrow('report.summary.lookups must be a whole number, not number');
  });
});

describe('loadReport: each side of a diff is sniffed', () => {
  it('reads a JSON report (after white space and a byte-order mark) and analyses tcpdump text', async () => {
    const report = await analyzeText(SEARCH_WALK);
    const json = await loadReport(source(`\uFEFF\n  ${renderJson(report)}`));
    expect(json.readFrom).toBe('json-report');
    expect(json.report).toEqual(report);
    const text = await loadReport(source(SEARCH_WALK, 'walk.txt'));
    expect(text.readFrom).toBe('capture');
    expect(text.report.summary.lookups).toBe(1);
  });

  it('analyses a pcapng capture even though its magic number is JSON white space', async () => {
    const side = await loadReport({ name: 'dumpcap.pcapng', chunks: createReadStream(`${FIXTURES}dumpcap.pcapng`) });
    expect(side.readFrom).toBe('capture');
    expect(side.report.input.format).toBe('pcapng');
    expect(side.report.summary.lookups).toBe(2);
  });

  it('prefixes an input error with the name of the side it came from', async () => {
    await expect(loadReport(source('listening on eth0\n', 'after.txt'))).rejects.toThrow('after.txt: no DNS lines found in the tcpdump text');
    await expect(loadReport(source('', '-'))).rejects.toThrow('standard input: the input is empty');
  });

  it('diffs a JSON report written earlier exactly as it diffs the capture itself', async () => {
    const before = await analyzeText(SEARCH_WALK);
    const fromJson = await loadReport(source(renderJson(before)));
    const after = { report: await analyzeText(TRAILING_DOT), readFrom: 'capture' as const };
    const a = compareReports(fromJson, after);
    const b = compareReports({ report: before, readFrom: 'capture' }, after);
    expect({ ...a, before: { ...a.before, readFrom: 'capture' } }).toEqual(b);
  });
});

describe('a corpus capture against its own JSON report', () => {
  if (!skipWithoutCorpus('corpus diff')) {
    it('edns-opts.pcap: 21 lookups of example.com, 2 messages per lookup, nothing changed', async () => {
      const report = await analyzeFile(`${CORPUS}tcpdump/edns-opts.pcap`);
      const d = compareReports({ report, readFrom: 'capture' }, { report: readJsonReport(renderJson(report), 'r.json'), readFrom: 'json-report' });
      expect(d.totals.before).toMatchObject({ dnsMessages: 42, lookups: 21, messagesPerLookup: 2, unanswered: 0, nxdomain: 0 });
      expect(d.names.map((n) => [n.name, n.before.lookups, n.before.queriesPerLookup, n.verdict])).toEqual([['example.com', 21, 1, 'unchanged']]);
      expect(d.beforeOnly).toEqual([]);
      expect(d.afterOnly).toEqual([]);
    });
  }
});
