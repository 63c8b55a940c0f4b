import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/** The README's report excerpts are cut from a golden file; they must still be true of it. */
describe('the README report excerpt', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Reports'));

  it('quotes the golden markdown report of externalname-vs-search.pcap word for word', () => {
    const golden = readFileSync(`${ROOT}test/golden/externalname-vs-search.pcap.report.md`, 'utf8');
    const start = section.indexOf('~~~~markdown\n') + '~~~~markdown\n'.length;
    const parts = section.slice(start, section.indexOf('~~~~\n', start)).split('\n…\n').map((p) => p.replace(/^\n+|\n+$/g, ''));
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(golden).toContain(p);
  });

  it('quotes the golden terminal summary of the same capture word for word', () => {
    const golden = readFileSync(`${ROOT}test/golden/externalname-vs-search.pcap.report.txt`, 'utf8');
    const start = section.indexOf('```text\n') + '```text\n'.length;
    const excerpt = section.slice(start, section.indexOf('…\n```', start));
    expect(excerpt.split('\n').length).toBeGreaterThan(10);
    expect(golden.startsWith(excerpt)).toBe(true);
  });
});
