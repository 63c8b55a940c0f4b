import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJson, writeJson } from '../../src/report/render-json.js';
import { FIXTURES, analyzeFile } from '../helpers.js';

describe('the JSON report written in pieces', () => {
  it('gives exactly the bytes of JSON.stringify(report, null, 2) for every lab capture', async () => {
    const captures = readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap'));
    expect(captures.length).toBeGreaterThan(20);
    for (const f of captures) {
      const report = await analyzeFile(`${FIXTURES}${f}`);
      expect(renderJson(report), f).toBe(`${JSON.stringify(report, null, 2)}\n`);
    }
  });

  it('never builds a piece larger than one transaction, whatever the number of transactions', async () => {
    const report = await analyzeFile(`${FIXTURES}externalname-vs-search.pcap`);
    // 60,000 copies: as one string this report would be tens of megabytes.
    const big = { ...report, transactions: Array.from({ length: 60_000 }, () => report.transactions[0]) };
    let largest = 0;
    let total = 0;
    writeJson(big, (c) => {
      largest = Math.max(largest, c.length);
      total += c.length;
    });
    const oneTransaction = JSON.stringify(report.transactions[0], null, 2).length;
    expect(total).toBeGreaterThan(60_000 * oneTransaction);
    expect(largest).toBeLessThan(oneTransaction * 2 + 2000);
  });
});
