import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderJsonLines } from '../../src/report/json-lines-writer.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderText } from '../../src/report/render-text.js';
import { analyzeBytes } from '../helpers.js';

/**
 * tcpdump text pasted from a ticket is as untrusted as a capture, and nothing canonicalises it
 * the way the wire decoder does: raw ESC, BEL, pipes, HTML and bytes that are not UTF-8 reach
 * the renderers as they are. The walk uses a search list of one suffix (corp.example), so the
 * name as written right after it belongs to the same lookup.
 */
const NAME = Buffer.concat([Buffer.from('ev|l`x<script>alert(1)</script>\x1b[31m\x07'), Buffer.from([0xff, 0xfe, 0xc3])]);
const hostileText = Buffer.concat([
  Buffer.from('08:25:51.192858 IP 10.0.0.1.38890 > 10.0.0.10.53: 46897+ A? '), NAME, Buffer.from('.corp.example. (80)\n'),
  Buffer.from('08:25:51.193849 IP 10.0.0.10.53 > 10.0.0.1.38890: 46897 NXDomain*- 0/1/0 (173)\n'),
  Buffer.from('08:25:51.194182 IP 10.0.0.1.52319 > 10.0.0.10.53: 21491+ A? '), NAME, Buffer.from('. (75)\n'),
  Buffer.from('08:25:51.194422 IP 10.0.0.10.53 > 10.0.0.1.52319: 21491* 1/0/0 A 1.2.3.4 (168)\n'),
]);

describe('hostile tcpdump text through the whole pipeline', () => {
  it('becomes one search-path lookup whose name carries the raw ESC', async () => {
    const r = await analyzeBytes(hostileText, {}, 'ticket.txt');
    expect(r.lookups).toHaveLength(1);
    expect(r.lookups[0]).toMatchObject({ queries: 2, wastedQueries: 1, outcome: 'answered' });
    expect(r.lookups[0].name).toContain('\x1b[31m');
  });

  it('reaches markdown with no control character, no HTML and whole table rows', async () => {
    const out = renderMarkdown(await analyzeBytes(hostileText, {}, 'ticket.txt'));
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(out).toContain('\\\\x1b\\[31m\\\\x07');
    const tokens = new MarkdownIt({ html: true }).parse(out, {});
    expect(tokens.flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type.startsWith('html'))).toEqual([]);
    const row = out.split('\n').find((l) => l.startsWith('| 1 | +0.00 ms |')) as string;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(9);
  });

  it('reaches the terminal as printable ASCII only', async () => {
    const out = renderText(await analyzeBytes(hostileText, {}, 'ticket.txt'), { top: 20, color: true });
    expect(out.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/^[\x20-\x7e\n]*$/);
    expect(out).toContain('\\x1b[31m\\x07\\u{fffd}\\u{fffd}\\u{fffd}');
  });

  it('reaches JSON Lines as valid JSON with the name intact', async () => {
    const r = await analyzeBytes(hostileText, {}, 'ticket.txt');
    const lines = renderJsonLines(r).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).record)).toEqual(['transaction', 'transaction', 'lookup', 'finding', 'resolver', 'summary']);
    expect(JSON.parse(lines[2]).name).toBe(r.lookups[0].name);
  });
});
