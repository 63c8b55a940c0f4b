import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, makeTempDir } from './helpers.js';

/** Runs the built CLI as a user would (npm test builds first). */
function dnstrace(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dnstrace analyze on the command line', () => {
  it('writes the markdown report for a file to stdout and exits 0', () => {
    const r = dnstrace(['analyze', `${FIXTURES}search-expansion.tcpdump.txt`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# DNS report: /);
  });

  it('reads tcpdump text piped into stdin, with or without "-"', () => {
    const text = readFileSync(`${FIXTURES}externalname-hit.tcpdump.txt`);
    for (const args of [['analyze'], ['analyze', '-']]) {
      const r = dnstrace([...args, '--format', 'json'], text);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.input).toMatchObject({ format: 'text', source: '-' });
      expect(report.lookups[0].kind).toBe('externalname');
    }
  });

  it('writes to the file named by -o', () => {
    const out = join(makeTempDir('dnstrace-'), 'report.json');
    const r = dnstrace(['analyze', `${FIXTURES}search-expansion.tcpdump.txt`, '-f', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.wastedQueries).toBe(4);
  });

  it.each([
    ['a missing file', ['analyze', '/nonexistent/capture.pcap'], undefined, 'dnstrace: /nonexistent/capture.pcap: no such file\n'],
    ['a directory', ['analyze', FIXTURES], undefined, `dnstrace: ${FIXTURES}: is a directory, not a capture\n`],
    ['binary garbage', ['analyze', '-'], Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 9]), 'dnstrace: the input is neither a pcap/pcapng capture nor tcpdump text\n'],
    ['empty input', ['analyze', '-'], '', 'dnstrace: the input is empty\n'],
    ['an unknown format', ['analyze', '--format', 'yaml', `${FIXTURES}search-expansion.tcpdump.txt`], undefined, null],
  ])('gives one line on stderr and exit code 2 for %s', (_what, args, input, message) => {
    const r = dnstrace(args, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (message) expect(r.stderr).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('documents the exit codes in --help', () => {
    const r = dnstrace(['analyze', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toMatch(/2 {2}usage error or unreadable input/);
  });

  it('treats a file of tcpdump text with no DNS lines as an input error', () => {
    const dir = makeTempDir('dnstrace-');
    writeFileSync(join(dir, 'x.txt'), 'listening on eth0, link-type EN10MB\n');
    const r = dnstrace(['analyze', join(dir, 'x.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dnstrace: no DNS lines found in the tcpdump text\n');
  });
});
