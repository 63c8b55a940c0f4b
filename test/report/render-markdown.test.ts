import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report, ResolverProfile } from '../../src/model.js';
import { renderResolvers } from '../../src/report/markdown-resolvers.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { FIXTURES, analyzeBytes, analyzeText } from '../helpers.js';
import { buildHostileCapture } from './hostile-capture.js';
import { poisonReport } from './hostile-report.js';

const seeds = `${readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`, 'utf8')}${readFileSync(`${FIXTURES}search-expansion.tcpdump.txt`, 'utf8')}`;
const parser = new MarkdownIt({ html: true });

/** Cells in one source row of a GFM table: pipes not escaped by a backslash split cells. */
function countCells(line: string): number {
  let pipes = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') pipes++;
  }
  return pipes - 1;
}

interface TableCheck {
  header: number;
  rowsInSource: number;
  rowsParsed: number;
  badRows: number;
}

/** Each table's header width, its rows in the source, the rows markdown-it parsed, and rows whose cell count differs from the header. */
function checkTables(markdown: string): TableCheck[] {
  const lines = markdown.split('\n');
  const tokens = parser.parse(markdown, {});
  const tables: TableCheck[] = [];
  for (let t = 0; t < tokens.length; t++) {
    if (tokens[t].type !== 'table_open') continue;
    const [start, end] = tokens[t].map as [number, number];
    const header = countCells(lines[start]);
    const body = lines.slice(start + 2, end);
    let rowsParsed = 0;
    for (let u = t; tokens[u].type !== 'table_close'; u++) if (tokens[u].type === 'tr_open') rowsParsed++;
    tables.push({ header, rowsInSource: body.length, rowsParsed: rowsParsed - 1, badRows: body.filter((l) => countCells(l) !== header).length });
  }
  return tables;
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^ *(`{3,})[^\n]*\n[\s\S]*?\n *\1$/gm, '');
}

function mermaidBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1].split('\n'));
}

describe('the markdown report on hostile input', () => {
  let poisoned: string;
  let fromCapture: string;
  beforeAll(async () => {
    poisoned = renderMarkdown(poisonReport(await analyzeText(seeds)));
    fromCapture = renderMarkdown(await analyzeBytes(buildHostileCapture(), {}, 'hostile.pcap'));
  });

  it('renders every string of a poisoned report and of a hostile capture escaped', () => {
    for (const out of [poisoned, fromCapture]) {
      expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
      expect(out).not.toMatch(/[\ud800-\udfff]/);
      // Code blocks show text literally (CommonMark §4.5); everywhere else HTML must be entities.
      expect(withoutCodeBlocks(out)).not.toContain('<script');
    }
  });

  it('keeps every table row at the header width and one source line per row', () => {
    for (const out of [poisoned, fromCapture]) {
      const tables = checkTables(out);
      expect(tables.length).toBeGreaterThanOrEqual(6);
      for (const t of tables) {
        expect(t.badRows).toBe(0);
        expect(t.rowsParsed).toBe(t.rowsInSource);
      }
    }
    // The poisoned seeds: capture, comparison, two timelines, lookups, wasted names, server latency.
    expect(checkTables(poisoned).map((t) => [t.header, t.rowsInSource])).toEqual([
      [2, 8],
      [3, 6],
      [9, 1],
      [9, 5],
      [10, 2],
      [5, 1],
      [8, 1],
    ]);
  });

  it('produces no raw HTML for a markdown parser, and the hostile text survives as text', () => {
    for (const out of [poisoned, fromCapture]) {
      const tokens = parser.parse(out, {});
      const html = tokens.flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type === 'html_inline' || t.type === 'html_block');
      expect(html).toEqual([]);
      const rendered = parser.render(out);
      expect(rendered).not.toMatch(/<(script|img|a )/);
      expect(rendered).toContain('&lt;script&gt;');
    }
  });

  it('writes Mermaid diagrams whose messages hold no character Mermaid would interpret', () => {
    for (const out of [poisoned, fromCapture]) {
      const blocks = mermaidBlocks(out);
      expect(blocks).toHaveLength(1);
      for (const line of blocks[0].slice(3)) {
        expect(line).toMatch(/^ {4}(Note over A,S|A->>S|S-->>A): /);
        const text = line.replace(/^ {4}(Note over A,S|A->>S|S-->>A): /, '').replace(/#\d+;/g, '');
        expect(text).toMatch(/^[A-Za-z0-9 .\-_/(),:?+]*$/);
      }
    }
  });

  it('never lets a hostile name into a ready-to-paste manifest', () => {
    expect(poisoned).not.toContain('kind: Service');
    expect(fromCapture).not.toContain('kind: Service');
  });
});

describe('the markdown report on the seeds', () => {
  it('puts the verdict with its cost first and the ExternalName manifest for the walked name', async () => {
    const out = renderMarkdown(await analyzeText(seeds));
    expect(out.split('\n')[2]).toBe(
      '**Verdict:** blog.mosuke.tech was looked up once and each lookup walked 4 search suffixes (.test.svc.cluster.local, .svc.cluster.local, .cluster.local, .us-east-2.compute.internal) before blog.mosuke.tech answered: 5 queries of which 4 wasted, 5.34 ms spent on suffixes that could not answer. What if: with a trailing dot 1 query (0.13 ms) instead of 5; ndots 2: 1 query; ndots 1: 1 query; CoreDNS autopath or an ExternalName Service: 1 query, one round trip each. Cost: 4 queries, 5.34 ms. (1 more finding below.)',
    );
    expect(out).toContain(['  metadata:', '    name: blog-mosuke-tech', '    namespace: test', '  spec:', '    type: ExternalName', '    externalName: blog.mosuke.tech'].join('\n'));
    expect(out).toContain('| `dns-default.openshift-dns.svc.cluster.local:53` | 6 | 6 | 0 | 0.24 ms | 37.8 ms | 37.8 ms | 37.8 ms |');
  });

  it('gives the same bytes for the same input', async () => {
    const a = renderMarkdown(await analyzeText(seeds));
    const b = renderMarkdown(await analyzeText(seeds));
    expect(a).toBe(b);
  });
});

describe('the markdown report on a large capture', () => {
  /** 3,000 identical walks from 30 clients plus 50 distinct names: tables must stay short. */
  function manyLookups(): string {
    const lines: string[] = [];
    let t = 0;
    const stamp = () => {
      t += 100;
      const us = 30_000_000_000 + t;
      const d = new Date(Math.floor(us / 1000));
      return `${d.toISOString().slice(11, 19)}.${String(us % 1_000_000).padStart(6, '0')}`;
    };
    let id = 1;
    const walk = (client: string, name: string) => {
      for (const suffix of ['test.svc.cluster.local.', 'svc.cluster.local.', 'cluster.local.', '']) {
        const q = `${name}.${suffix}`;
        const port = 30000 + (id % 30000);
        lines.push(`${stamp()} IP ${client}.${port} > 10.96.0.10.53: ${id}+ A? ${q} (50)`);
        lines.push(suffix ? `${stamp()} IP 10.96.0.10.53 > ${client}.${port}: ${id} NXDomain* 0/1/0 (100)` : `${stamp()} IP 10.96.0.10.53 > ${client}.${port}: ${id}* 1/0/0 A 192.0.2.1 (80)`);
        id = (id % 65535) + 1;
      }
      t += 50_000;
    };
    for (let i = 0; i < 3000; i++) walk(`10.1.0.${(i % 30) + 1}`, 'api.example.com');
    for (let i = 0; i < 50; i++) walk('10.1.0.99', `n${i}.example.org`);
    return `${lines.join('\n')}\n`;
  }

  it('groups identical walks and identical resolver profiles, and says how many rows it left out', async () => {
    const report: Report = await analyzeText(manyLookups());
    expect(report.lookups).toHaveLength(3050);
    const out = renderMarkdown(report, { top: 10 });
    const tables = checkTables(out);
    expect(Math.max(...tables.map((t) => t.rowsInSource))).toBeLessThanOrEqual(10);
    expect(out).toContain('| `api.example.com` | search-expansion | answered | 3000 | 30 | 12000 | 9000 |');
    expect(out).toContain('3050 lookups in 51 distinct walks');
    expect(out).toContain('…and 41 more distinct walks');
    expect(out).toContain('…and 41 more names');
    // 51 names walked, plus the walk total and the server latency: 53 findings, 10 told in full.
    expect(out).toContain('…and 43 more findings of lower impact');
    // The 31 clients with one and the same inferred profile share one block, 10.1.0.99 too,
    // although its profile was inferred from more search steps: the counts become a range.
    expect(out).toContain('**`10.1.0.1`, `10.1.0.10`, `10.1.0.11`, `10.1.0.12`, `10.1.0.13` and 26 more (31 clients)**');
    expect(out.match(/^nameserver /gm)).toHaveLength(1);
    expect(out).toContain('- aaaaMode: inferred from 200–400 search steps');
    expect(out).toContain('Where the counts of these clients differ, a range gives the lowest and the highest.');
  });
});

describe('a report read back from JSON written before aggregates existed', () => {
  it('renders without the aggregate tables, showing clients and servers as unknown', async () => {
    const { aggregates: _none, ...older } = await analyzeText(seeds);
    const out = renderMarkdown(older);
    expect(out).toContain('| Clients / servers | – |');
    expect(out).not.toContain('## Server latency');
    expect(out).toContain('## Search path versus a direct answer');
  });
});

describe('resolver profiles', () => {
  const profile = (client: string, sources: Record<string, string>, over: Partial<ResolverProfile> = {}): ResolverProfile => ({
    client,
    searchList: ['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    ndots: 5,
    namespace: 'test',
    clusterDomain: 'cluster.local',
    nameservers: ['10.96.0.10'],
    aaaaMode: 'parallel',
    timeoutMs: null,
    attempts: null,
    sources,
    ...over,
  });

  it('writes the options glibc would need to behave as seen, and groups clients that differ only in counts', () => {
    const out = renderResolvers(
      [
        profile('10.0.0.1', { aaaaMode: 'inferred from 12 search steps', timeoutMs: 'inferred from 2 resends 5000 ms after the previous send' }, { aaaaMode: 'serial-reopen', timeoutMs: 5000, attempts: 2 }),
        profile('10.0.0.2', { aaaaMode: 'inferred from 30 search steps', timeoutMs: 'inferred from 9 resends 5000 ms after the previous send' }, { aaaaMode: 'serial-reopen', timeoutMs: 5000, attempts: 2 }),
      ],
      10,
    ).join('\n');
    expect(out).toContain('**`10.0.0.1`, `10.0.0.2`**');
    expect(out).toContain('options ndots:5 timeout:5 attempts:2 single-request-reopen');
    expect(out).toContain('- aaaaMode: inferred from 12–30 search steps');
    expect(out).toContain('- timeoutMs: inferred from 2–9 resends 5000 ms after the previous send');
  });

  it('keeps apart clients whose evidence names differ, digits in names included', () => {
    const why = (name: string) => ({ ndots: `inferred: ${name} (1 dot) was tried as written before the search suffixes, so ndots is at most 1` });
    const out = renderResolvers([profile('10.0.0.1', why('n12.example'), { ndots: 1 }), profile('10.0.0.2', why('n13.example'), { ndots: 1 })], 10).join('\n');
    expect(out.match(/^options ndots:1$/gm)).toHaveLength(2);
    expect(out).toContain('n12.example (1 dot)');
    expect(out).toContain('n13.example (1 dot)');
    expect(out).not.toContain('range');
  });
});
