import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers.js';
import { SILENT_NS_AFTER, SILENT_NS_BEFORE, TRAILING_DOT } from './inputs.js';

/** Runs the built CLI as a user would (npm test builds first). */
function dnstrace(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'dnstrace-diff-'));
const WALK = `${FIXTURES}search-expansion.tcpdump.txt`;
const DOT = join(dir, 'trailing-dot.txt');
writeFileSync(DOT, TRAILING_DOT);

describe('dnstrace diff on the command line', () => {
  it('writes the markdown diff of two tcpdump texts and exits 0', () => {
    const r = dnstrace(['diff', WALK, DOT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# DNS diff: /);
    expect(r.stdout).toContain('| `blog.mosuke.tech` | 1 | 5 → 1 (-4) |');
  });

  it('reads a JSON report that analyze wrote as either side, sniffed from its content', () => {
    const json = join(dir, 'before.report');
    expect(dnstrace(['analyze', WALK, '-f', 'json', '-o', json]).code).toBe(0);
    const r = dnstrace(['diff', json, DOT, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.kind).toBe('dnstrace-diff');
    expect(d.before).toEqual({ source: WALK, readFrom: 'json-report', format: 'text' });
    expect(d.names[0]).toMatchObject({ name: 'blog.mosuke.tech', queriesPerLookupChange: -4, verdict: 'improved' });
  });

  it('reads one side from standard input', () => {
    const r = dnstrace(['diff', '-', DOT, '-f', 'text'], readFileSync(WALK, 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DNS diff: - -> /);
    expect(r.stdout).toContain('  blog.mosuke.tech  1        5 -> 1 (-4)');
  });

  it('writes to the file named by -o', () => {
    const out = join(dir, 'diff.md');
    const before = join(dir, 'silent-before.txt');
    const after = join(dir, 'silent-after.txt');
    writeFileSync(before, SILENT_NS_BEFORE);
    writeFileSync(after, SILENT_NS_AFTER);
    const r = dnstrace(['diff', before, after, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('unanswered queries 2 → 0.');
  });

  it('names the side in a warning about a capture cut off mid-record, and still exits 0', () => {
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(`${FIXTURES}diff-ndots5.pcap`).subarray(0, 700));
    const r = dnstrace(['diff', cut, `${FIXTURES}diff-ndots1.pcap`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('dnstrace: warning: before: capture is cut off: the last record (frame 5, byte offset 630) is incomplete; everything before it was analysed\n');
    expect(r.stdout).toContain('> **Warning:** before: capture is cut off');
  });

  it.each([
    ['a missing side', ['diff', WALK, '/nonexistent/after.pcap'], undefined, 'dnstrace: /nonexistent/after.pcap: no such file\n'],
    ['one side only', ['diff', WALK], undefined, null],
    ['both sides on standard input', ['diff', '-', '-'], 'x', 'dnstrace: only one side of a diff can be read from standard input\n'],
    ['a side with no DNS in it', ['diff', WALK, '-'], 'listening on eth0\n', 'dnstrace: standard input: no DNS lines found in the tcpdump text\n'],
    ['a JSON file that is not a report', ['diff', '-', WALK], '{"lookups": []}', 'dnstrace: standard input: JSON, but not a report written by dnstrace analyze --format json\n'],
    ['an unknown format', ['diff', WALK, DOT, '-f', 'html'], undefined, null],
  ])('gives one line on stderr and exit code 2 for %s', (_what, args, input, message) => {
    const r = dnstrace(args, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (message) expect(r.stderr).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('documents the exit codes in diff --help', () => {
    const r = dnstrace(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toContain('-f, --format <format>');
  });
});
