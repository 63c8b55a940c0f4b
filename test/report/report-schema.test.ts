import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { renderJsonLines } from '../../src/report/json-lines-writer.js';
import { renderJson } from '../../src/report/render-json.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, ROOT, analyzeBytes, analyzeFile } from '../helpers.js';
import { buildHostileCapture } from './hostile-capture.js';

const schema = JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(schema, 'report');
const validate = ajv.getSchema('report') as ReturnType<typeof ajv.compile>;

/** Each JSON Lines record is the report's own object for its kind, with `record` first. */
const LINE_DEFS: Record<string, string> = { transaction: 'transaction', lookup: 'lookup', finding: 'finding', resolver: 'resolver', anomaly: 'anomaly' };
const validateSummaryLine = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'input', 'summary', 'aggregates', 'warnings'],
  properties: {
    schemaVersion: { const: 1 },
    input: { $ref: 'report#/$defs/input' },
    summary: { $ref: 'report#/$defs/summary' },
    aggregates: { $ref: 'report#/$defs/aggregates' },
    warnings: { type: 'array', items: { type: 'string' } },
  },
});

function checkLines(report: Report): string[] {
  const errors: string[] = [];
  for (const line of renderJsonLines(report).trimEnd().split('\n')) {
    const { record, ...body } = JSON.parse(line) as { record: string };
    const v = record === 'summary' ? validateSummaryLine : ajv.getSchema(`report#/$defs/${LINE_DEFS[record]}`);
    if (!v) errors.push(`unknown record ${record}`);
    else if (!v(body)) errors.push(...(v.errors ?? []).map((e) => `${record}${e.instancePath} ${e.message}`));
  }
  return errors;
}

function check(json: string): string[] {
  const ok = validate(JSON.parse(json));
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const inputs = [
  ...readdirSync(FIXTURES).filter((f) => /\.(pcap|pcapng|tcpdump\.txt)$/.test(f)).map((f) => FIXTURES + f),
  ...(HAVE_CORPUS ? readdirSync(`${CORPUS}tcpdump`).filter((f) => f.endsWith('.pcap')).map((f) => `${CORPUS}tcpdump/${f}`) : []),
];

describe('the JSON report and every JSON Lines record match schema/report.schema.json', () => {
  if (!HAVE_CORPUS) console.log('shared corpus not found: schema checked on fixtures only');
  it.each(inputs.map((p) => [p.split('/').slice(-1)[0], p]))('for %s', async (_name, path) => {
    let report: Report;
    try {
      report = await analyzeFile(path);
    } catch (e) {
      // A capture with no DNS at all (or pcapng, not read yet) is an input error, not a report.
      expect((e as Error).name).toBe('InputError');
      return;
    }
    expect(check(renderJson(report))).toEqual([]);
    expect(checkLines(report)).toEqual([]);
  });

  it('for the hostile capture, as JSON and as JSON Lines, with no raw control character', async () => {
    const report = await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap');
    const json = renderJson(report);
    expect(check(json)).toEqual([]);
    expect(checkLines(report)).toEqual([]);
    expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('and the schema rejects a wrong schemaVersion or broken aggregates, and accepts a report from before aggregates', async () => {
    const report = JSON.parse(renderJson(await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap')));
    expect(check(JSON.stringify({ ...report, schemaVersion: 2 }))).toEqual(['/schemaVersion must be equal to constant']);
    const { walkGroups: _dropped, ...partial } = report.aggregates;
    expect(check(JSON.stringify({ ...report, aggregates: partial }))).toEqual(["/aggregates must have required property 'walkGroups'"]);
    const { aggregates: _none, ...older } = report;
    expect(check(JSON.stringify(older))).toEqual([]);
  });
});
