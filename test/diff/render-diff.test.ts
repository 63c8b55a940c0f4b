import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/diff/compare-reports.js';
import { readJsonReport } from '../../src/diff/read-json-report.js';
import type { Report } from '../../src/model.js';
import { renderDiffJson } from '../../src/report/diff/render-diff-json.js';
import { renderDiffMarkdown } from '../../src/report/diff/render-diff-markdown.js';
import { renderDiffText } from '../../src/report/diff/render-diff-text.js';
import { renderJson } from '../../src/report/render-json.js';
import { analyzeText } from '../helpers.js';
import { SEARCH_WALK, SILENT_NS_AFTER, SILENT_NS_BEFORE, TRAILING_DOT } from './inputs.js';

async function diffTexts(before: string, after: string) {
  return compareReports({ report: await analyzeText(before), readFrom: 'capture' }, { report: await analyzeText(after), readFrom: 'capture' });
}

describe('renderDiffMarkdown', () => {
  it('shows the trailing-dot fix as one row: 5 → 1 queries, 5.47 ms → 0.13 ms, improved', async () => {
    const md = renderDiffMarkdown(await diffTexts(SEARCH_WALK, TRAILING_DOT));
    expect(md).toMatch(/^# DNS diff: `-` → `-`\n/);
    expect(md).toContain('**Verdict:** Of 1 name looked up on both sides, 1 improved, 0 regressed, 0 unchanged. DNS messages per lookup 10 → 2, NXDOMAIN share 80.0% → 0.0%, unanswered queries 0.');
    expect(md).toContain('| `blog.mosuke.tech` | 1 | 5 → 1 (-4) | 4 → 0 (-4) | 5.47 ms → 0.13 ms (-5.34 ms) | 5.47 ms → 0.13 ms (-5.34 ms) | answered | improved: fewer queries, fewer wasted, less waiting |');
    expect(md).toContain('| NXDOMAIN share of responses | 80.0% (4 of 5) | 0.0% (0 of 1) | -80 points |');
    expect(md).toContain('### Gone after (1)\n\n- **Search-path expansion wasted queries: blog.mosuke.tech**');
    expect(md).toContain('| ndots | 5 (assumed: the Kubernetes default for pods) | (unknown) | **changed** |');
  });

  it('shows the silent server on the before side only', async () => {
    const md = renderDiffMarkdown(await diffTexts(SILENT_NS_BEFORE, SILENT_NS_AFTER));
    expect(md).toContain('| `10.0.0.99:53` | 0 → – | 2 → – | – | – | – | – |');
    expect(md).toContain('| `db.example.com` | 1 | 2 → 1 (-1) | 0 | 5.01 s → 0.30 ms (-5.01 s) |');
  });

  it('cuts long tables at --top and says how many more', async () => {
    const md = renderDiffMarkdown(await diffTexts(SILENT_NS_BEFORE, SILENT_NS_AFTER), { top: 1 });
    expect(md).toContain('…and 1 more names (see `--format json`).');
    expect(md).not.toContain('`api.example.com`');
  });
});

describe('the diff renderers escape capture-derived strings for their medium', () => {
  const HOSTILE = 'evil|<script>`x`</script>\u001b[31m.example';

  /** A JSON report is as untrusted as a capture: hostile names pass validation as strings. */
  async function hostileDiff() {
    const json = JSON.parse(renderJson(await analyzeText(SEARCH_WALK))) as Report;
    json.input.source = HOSTILE;
    json.lookups[0].name = HOSTILE;
    json.lookups[0].answeredName = HOSTILE;
    json.findings[0].title = HOSTILE;
    json.findings[0].summary = HOSTILE;
    json.resolvers[0].searchList = [HOSTILE];
    json.transactions[0].server = HOSTILE;
    const before = readJsonReport(JSON.stringify(json), 'before.json');
    const after = await analyzeText(TRAILING_DOT);
    return compareReports({ report: before, readFrom: 'json-report' }, { report: after, readFrom: 'capture' });
  }

  it('markdown: no raw HTML, pipe, backtick or escape character reaches the page', async () => {
    const md = renderDiffMarkdown(await hostileDiff());
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('\u001b');
    // The control character becomes the text "\x1b", whose backslash markdown needs escaped.
    const escaped = 'evil\\|&lt;script&gt;\\`x\\`&lt;/script&gt;\\\\x1b\\[31m.example';
    expect(md).toContain(`| ${escaped} | 1 | 5 | 4 | 5.47 ms | answered |`);
    // The row keeps its 6 cells: no "|" from the capture opened a new one.
    const row = md.split('\n').find((l) => l.startsWith(`| ${escaped} | 1 | 5 |`)) as string;
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8);
  });

  it('text: control characters are shown as \\xNN, never sent to the terminal', async () => {
    const text = renderDiffText(await hostileDiff());
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('evil|<script>`x`</script>\\x1b[31m.example');
  });

  it('text and markdown: a bidirectional override from a JSON report is shown as \\u{202e}, not obeyed', async () => {
    const json = JSON.parse(renderJson(await analyzeText(TRAILING_DOT))) as Report;
    json.lookups[0].name = 'moc.\u202eevil';
    json.lookups[0].answeredName = null;
    const d = compareReports({ report: readJsonReport(JSON.stringify(json), 'b.json'), readFrom: 'json-report' }, { report: await analyzeText(TRAILING_DOT), readFrom: 'capture' });
    const text = renderDiffText(d);
    expect(text).not.toContain('\u202e');
    expect(text).toContain('moc.\\u{202e}evil');
    const md = renderDiffMarkdown(d);
    expect(md).not.toContain('\u202e');
    expect(md).toContain('moc.\\\\u{202e}evil');
  });

  it('json: the string survives intact and the output holds no raw control character', async () => {
    const out = renderDiffJson(await hostileDiff());
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(JSON.parse(out).beforeOnly[0].name).toBe(HOSTILE);
  });
});

describe('renderDiffText', () => {
  it('aligns the totals and the per-name table for a terminal', async () => {
    const text = renderDiffText(await diffTexts(SEARCH_WALK, TRAILING_DOT));
    expect(text).toContain('  DNS messages per lookup  10           2\n');
    expect(text).toContain('  blog.mosuke.tech  1        5 -> 1 (-4)     4 -> 0 (-4)    5.47 ms -> 0.13 ms (-5.34 ms)');
    expect(text).toContain('Findings gone after (1)\n  - Search-path expansion wasted queries: blog.mosuke.tech (was 4 queries, 5.34 ms)');
  });
});

describe('a side with malformed input', () => {
  it('shows the malformed count in the totals only when a side has some: 0 → 1', async () => {
    const garbled = `${TRAILING_DOT}08:35:52.000000 IP debug.51284 > dns-default.openshift-dns.svc.cluster.local.domain: 5698+ [|domain]\n`;
    const d = await diffTexts(SEARCH_WALK, garbled);
    expect([d.totals.before.malformed, d.totals.after.malformed]).toEqual([0, 1]);
    expect(renderDiffMarkdown(d)).toContain('| Malformed frames or lines | 0 | 1 | +1 |');
    expect(renderDiffText(d)).toContain('  Malformed frames or lines  0            1\n');
    const clean = renderDiffMarkdown(await diffTexts(SEARCH_WALK, TRAILING_DOT));
    expect(clean).not.toContain('Malformed');
  });
});

describe('many clients', () => {
  it('pairs the same client with itself and the lone new pod with the lone old one, and cuts the tables at --top', async () => {
    const d = await diffTexts(`${SEARCH_WALK}${SILENT_NS_BEFORE}`, `${TRAILING_DOT}${SILENT_NS_AFTER}`);
    expect(d.resolvers.map((p) => [p.before?.client, p.after?.client])).toEqual([
      ['debug', 'debug'],
      ['10.1.0.5', '10.1.0.6'],
    ]);
    const md = renderDiffMarkdown(d, { top: 1 });
    expect(md).toContain('…and 1 more clients (see `--format json`).');
    expect(md).not.toContain('`10.1.0.6`');
    expect(renderDiffText(d, { top: 1 })).toContain('  ...and 1 more clients (see --format json)');
  });
});
