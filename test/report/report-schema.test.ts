import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/render-json.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, ROOT, analyzeBytes, analyzeFile } from '../helpers.js';
import { buildHostileCapture } from './hostile-capture.js';

const schema = JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function check(json: string): string[] {
  const ok = validate(JSON.parse(json));
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const inputs = [
  ...readdirSync(FIXTURES).filter((f) => /\.(pcap|pcapng|tcpdump\.txt)$/.test(f)).map((f) => FIXTURES + f),
  ...(HAVE_CORPUS ? readdirSync(`${CORPUS}tcpdump`).filter((f) => f.endsWith('.pcap')).map((f) => `${CORPUS}tcpdump/${f}`) : []),
];

describe('the JSON report matches schema/report.schema.json', () => {
  if (!HAVE_CORPUS) console.log('shared corpus not found: schema checked on fixtures only');
  it.each(inputs.map((p) => [p.split('/').slice(-1)[0], p]))('for %s', async (_name, path) => {
    let json: string;
    try {
      json = renderJson(await analyzeFile(path));
    } catch (e) {
      // A capture with no DNS at all is an input error, not a report: nothing to validate.
      expect((e as Error).name).toBe('InputError');
      return;
    }
    expect(check(json)).toEqual([]);
  });

  it('for the hostile capture', async () => {
    expect(check(renderJson(await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap')))).toEqual([]);
  });

  it('and the schema rejects a report missing its aggregates or with a wrong schemaVersion', async () => {
    const report = JSON.parse(renderJson(await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap')));
    expect(check(JSON.stringify({ ...report, schemaVersion: 2 }))).toEqual(['/schemaVersion must be equal to constant']);
    const { aggregates: _dropped, ...rest } = report;
    expect(check(JSON.stringify(rest))).toEqual([" must have required property 'aggregates'"]);
  });
});
