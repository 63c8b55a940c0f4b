import { readFileSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../helpers.js';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type RawName, cnameData, dnsFrame, encodeDns, pcap, txtData } from './build-capture.js';
import { runCli } from './run-cli.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** Labels built to break whatever shows them: tables, HTML, terminals, line structure, UTF-8. */
const HOSTILE_LABELS: (string | Uint8Array)[] = [
  '|pipe|cell|',
  '`tick`',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u001b[31mred\u001b[0m\u001b]0;title\u0007',
  'line\nbreak\r\nhere',
  Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x80, 0xae]),
  '[link](http://evil.example)',
  '*bold*_em_#h~s~&amp;\\',
];

const SEARCH = ['test', 'svc', 'cluster', 'local'];
const A = (i: number) => Uint8Array.from([10, 1, 0, i]);

/**
 * For each hostile label: a search-path walk (three NXDOMAIN suffixes, then the bare name
 * answered with a hostile CNAME and a TXT record), so the name reaches every section of the
 * report: the verdict, findings, the comparison, the lookups and walk tables, and anomalies.
 */
function hostileCapture(): Uint8Array {
  const frames: Uint8Array[] = [];
  let id = 1;
  const exchange = (name: RawName, type: number, rcode: number, answers: Parameters<typeof encodeDns>[0]['answers'] = []) => {
    const question = { name, type };
    frames.push(dnsFrame(encodeDns({ id, question })));
    frames.push(dnsFrame(encodeDns({ id, response: true, rcode, question, answers }), true));
    id++;
  };
  HOSTILE_LABELS.forEach((label, i) => {
    const base: RawName = [label, 'example'];
    for (let s = 0; s < 3; s++) exchange([...base, ...SEARCH.slice(s)], 1, 3);
    exchange(base, 1, 0, [
      { name: base, type: 5, data: cnameData([label, 'target']) },
      { name: [label, 'target'], type: 1, data: A(i) },
    ]);
    exchange(base, 16, 0, [{ name: base, type: 16, data: txtData(label, '|`<script>\u001b') }]);
    // An ExternalName-style answer on the first suffix with a hostile target.
    exchange(['svc' + i, ...SEARCH], 1, 0, [
      { name: ['svc' + i, ...SEARCH], type: 5, data: cnameData([label, 'ext']) },
      { name: [label, 'ext'], type: 1, data: A(100 + i) },
    ]);
  });
  // A malformed message whose anomaly detail quotes bytes of the packet: a label of 64 bytes.
  frames.push(dnsFrame(Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, ...Buffer.from('<script>\u001b|'.padEnd(64, '`')), 0, 0, 1, 0, 1])));
  return pcap(frames);
}

/** Pipes that delimit cells (not escaped as "\|"). */
function cellPipes(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') n++;
  }
  return n;
}

/** Every table: all rows have as many cell delimiters as the header. Returns the tables found. */
function checkTables(markdown: string): number {
  const lines = markdown.split('\n');
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|')) continue;
    tables++;
    const width = cellPipes(lines[i]);
    for (; i < lines.length && lines[i].startsWith('|'); i++) {
      expect(cellPipes(lines[i]), `table row: ${JSON.stringify(lines[i])}`).toBe(width);
      expect(lines[i].endsWith('|'), `table row ends its last cell: ${JSON.stringify(lines[i])}`).toBe(true);
    }
  }
  return tables;
}

/**
 * The markdown outside fenced code blocks, where HTML is live. Every fence must close: a name
 * holding a fence would otherwise turn the rest of the report into code, or out of it.
 */
function outsideFences(markdown: string): string {
  const lines = markdown.split('\n');
  const fences = lines.filter((l) => /^\s*(```|~~~)/.test(l));
  expect(fences.length % 2, 'fenced code blocks all close').toBe(0);
  let inFence = false;
  return lines
    .filter((l) => {
      if (/^\s*(```|~~~)/.test(l)) {
        inFence = !inFence;
        return false;
      }
      return !inFence;
    })
    .join('\n');
}

function expectNoInjection(text: string): void {
  // No terminal control (ESC, BEL, CR, other C0 and C1), no bidi override, only \n breaks lines.
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  // No live HTML from the capture: GitHub and most renderers would run or show it. (Inside a
  // fenced code block it is shown as text, which is fine.)
  expect(outsideFences(text)).not.toMatch(/<\s*(script|img|iframe|svg|a\s)/i);
  expect(text).not.toContain('\uFFFD\uFFFD\uFFFD');
}

describe('a capture of hostile names through the whole CLI', () => {
  const dir = makeTempDir('dnstrace-hostile-');
  // The file name is hostile too: it is printed in the report's title and summary.
  const path = join(dir, 'inc|dent`<script>x.pcap');
  writeFileSync(path, hostileCapture());

  it('writes markdown in which no capture string opens HTML, moves the terminal, or breaks a table row', () => {
    const r = runCli(['analyze', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectNoInjection(r.stdout);
    expect(checkTables(r.stdout)).toBeGreaterThanOrEqual(3);
    // The names are there, escaped, not dropped: the lookup of the pipe label is in the report.
    expect(r.stdout).toContain('\\|pipe\\|cell\\|.example');
    expect(r.stdout).toContain('&lt;script&gt;');
    // Headings start only where the renderer starts them.
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('#'))) expect(line).toMatch(/^#{1,3} /);
  });

  it('writes JSON that parses and keeps every name in its escaped printable form', () => {
    const r = runCli(['analyze', path, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const names: string[] = report.transactions.map((t: { name: string }) => t.name);
    expect(names).toContain('^[[31mred^[[0m^[]0;title^G.example');
    expect(names).toContain('line^Jbreak^M^Jhere.example');
    for (const n of names) expect(n).toMatch(/^[\x20-\x7e]*$/);
  });

  it('writes terminal text with no control byte but newlines (NO_COLOR, piped), and JSON Lines that parse', () => {
    const text = runCli(['analyze', path, '--format', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const jsonl = runCli(['analyze', path, '--format', 'jsonl']);
    expect(jsonl.code).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) JSON.parse(line);
  });

  it('keeps the markdown free of injection when the report is written with -o', () => {
    const out = join(dir, 'report.md');
    const r = runCli(['analyze', path, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const written = readFileSync(out, 'utf8');
    expectNoInjection(written);
    expect(written).toBe(runCli(['analyze', path]).stdout);
  });
});

describe('tcpdump text of hostile names through the whole CLI', () => {
  const dir = makeTempDir('dnstrace-hostile-text-');
  const bad = ['|pipe|', '`tick`', '<script>alert(1)</script>', '\u001b[31mred\u001b[0m', '[l](http://e)', '\u202etxt'];
  const lines: string[] = [];
  let n = 0;
  const t = () => `12:00:${String(Math.floor(n / 10)).padStart(2, '0')}.${String((n % 10) * 1000 + 1).padStart(6, '0')}`;
  for (const b of bad) {
    n++;
    // A walk: one NXDOMAIN suffix, then the bare name answered with a hostile CNAME.
    lines.push(`${t()} IP 10.0.0.7.4${n}000 > 10.96.0.10.53: ${n}+ A? ${b}.test.svc.cluster.local. (40)`);
    lines.push(`${t()} IP 10.96.0.10.53 > 10.0.0.7.4${n}000: ${n} NXDomain* 0/1/0 (90)`);
    lines.push(`${t()} IP 10.0.0.7.4${n}001 > 10.96.0.10.53: ${n}+ A? ${b}. (40)`);
    lines.push(`${t()} IP 10.96.0.10.53 > 10.0.0.7.4${n}001: ${n} 2/0/0 CNAME ${b}.target., A 10.0.0.${n} (90)`);
    // A hostile query type and rcode word.
    lines.push(`${t()} IP 10.0.0.7.4${n}002 > 10.96.0.10.53: ${n}+ ${b}? x.test.svc.cluster.local. (40)`);
    lines.push(`${t()} IP 10.96.0.10.53 > 10.0.0.7.4${n}002: ${n} Evil${n}* 0/0/0 (90)`);
  }
  const path = join(dir, 'hostile.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);

  it('writes markdown in which no string from the text opens HTML, moves the terminal, or breaks a table row', () => {
    const r = runCli(['analyze', path]);
    expect(r.code).toBe(0);
    expectNoInjection(r.stdout);
    expect(checkTables(r.stdout)).toBeGreaterThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\u001b/);
  });
});
