import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { renderText, wrap } from '../../src/report/render-text.js';
import { FIXTURES, analyzeBytes, analyzeText } from '../helpers.js';
import { buildHostileCapture } from './hostile-capture.js';
import { poisonReport } from './hostile-report.js';

const seeds = `${readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8')}${readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8')}`;
/** The only escape sequences the terminal summary may write: its own SGR colours. */
const SGR = /\x1b\[[0-9;]*m/g;

describe('the terminal summary', () => {
  let reports: Report[];
  beforeAll(async () => {
    const real = await analyzeText(seeds);
    reports = [real, poisonReport(real), await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap')];
  });

  it('fits 80 columns, coloured or not, on real and hostile reports', () => {
    for (const r of reports) {
      for (const color of [false, true]) {
        const lines = renderText(r, { top: 20, color }).replace(SGR, '').split('\n');
        expect(lines.filter((l) => l.length > 80)).toEqual([]);
      }
    }
  });

  it('writes no escape sequence and no non-ASCII byte without colour', () => {
    for (const r of reports) expect(renderText(r, { top: 20, color: false })).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('writes only its own SGR colours with colour, never the capture\'s escapes', () => {
    for (const r of reports) {
      const out = renderText(r, { top: 20, color: true });
      expect(out).toContain('\x1b[1m');
      expect(out.replace(SGR, '')).toMatch(/^[\x20-\x7e\n]*$/);
    }
    expect(renderText(reports[1], { top: 20, color: false })).toContain('\\x1b[31mred\\x1b]0;title\\x07\\u{202e}evil\\u{d800}');
  });

  it('leads with the verdict and its cost, then the findings and the slowest lookup', () => {
    const out = renderText(reports[0], { top: 20, color: false });
    expect(out.split('\n').slice(0, 5)).toEqual([
      'dnstrace: standard input (text)',
      '15 lines, 12 DNS messages, 6 transactions (0 unanswered), 2 lookups (4 wasted',
      'queries), 1 client, 1 server, 0 anomalies, span 56.44 s',
      '',
      'Verdict: blog.mosuke.tech was looked up once and each lookup walked 4 search',
    ]);
    expect(out).toContain('Findings (2)\n 1. Search-path expansion wasted queries: blog.mosuke.tech\n    4 queries, 5.34 ms; lines 6, 7, 8, 9, 10, 11, 12, 13\n');
    expect(out).toContain('  my-blog                            answered          1      0    37.8 ms\n');
  });

  it('wraps long words by cutting them at the line width', () => {
    expect(wrap('aaaaaaaaaa bb', 4, '', '  ')).toEqual(['aaaa', '  aa', '  aa', '  aa', '  bb']);
    expect(wrap('a b c', 80, '  ', '    ')).toEqual(['  a b c']);
  });
});
