import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, makeTempDir } from '../helpers.js';

const SEARCH = `${FIXTURES}search-expansion.tcpdump.txt`;
const EXTERNAL = `${FIXTURES}externalname-hit.tcpdump.txt`;

/** Runs the built CLI with stdout and stderr as pipes (not terminals). */
function dnstrace(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI with stdout and stderr on a pseudo-terminal (util-linux script(1)), 100 columns wide. */
function dnstraceOnTerminal(args: string[], env: Record<string, string | undefined> = {}) {
  const command = ['stty cols 100 2>/dev/null;', process.execPath, `${ROOT}bin/dnstrace.js`, ...args].map((a) => (a.endsWith(';') ? a : `'${a}'`)).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, ...env } });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

describe('report formats on the command line', () => {
  it('writes markdown by default when stdout is a pipe', () => {
    const r = dnstrace(['analyze', SEARCH]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`# DNS report: ${SEARCH.replace(/_/g, '\\_')}`);
  });

  it('writes the coloured terminal summary by default when stdout is a terminal', () => {
    const r = dnstraceOnTerminal(['analyze', SEARCH]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\x1b\[1mdnstrace: /);
    expect(r.out).toContain('Verdict: blog.mosuke.tech was looked up once');
  });

  it.each([
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
    ['--no-color', ['--no-color'], {}],
  ])('writes no escape sequence on a terminal with %s', (_what, extra, env) => {
    const r = dnstraceOnTerminal(['analyze', SEARCH, ...extra], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Verdict: blog.mosuke.tech');
    expect(r.out).not.toContain('\x1b');
  });

  it('writes the terminal summary without escapes when asked for text through a pipe', () => {
    const r = dnstrace(['analyze', SEARCH, '-f', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dnstrace: /);
    expect(r.stdout).not.toContain('\x1b');
  });

  it('writes JSON Lines to stdout and to -o, 5 transactions, 1 lookup, 1 finding, 1 resolver and a summary', () => {
    const out = join(makeTempDir('dnstrace-'), 'r.jsonl');
    const a = dnstrace(['analyze', SEARCH, '-f', 'jsonl']);
    const b = dnstrace(['analyze', SEARCH, '-f', 'jsonl', '-o', out]);
    expect([a.code, b.code, b.stdout]).toEqual([0, 0, '']);
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
    const records = a.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).record);
    expect(records).toEqual(['transaction', 'transaction', 'transaction', 'transaction', 'transaction', 'lookup', 'finding', 'resolver', 'summary']);
  });

  it.each(['json', 'markdown', 'text'])('writes the same %s report to stdout and to -o', (format) => {
    const out = join(makeTempDir('dnstrace-'), 'r');
    const a = dnstrace(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format]);
    const b = dnstrace(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format, '-o', out]);
    expect([a.code, b.code, b.stdout, b.stderr]).toEqual([0, 0, '', a.stderr]);
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
  });

  it('creates no -o file for an input that is not a capture', () => {
    const out = join(makeTempDir('dnstrace-'), 'r.json');
    const r = dnstrace(['analyze', `${FIXTURES}../package.json`, '-f', 'json', '-o', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('standard output that goes away or fails', () => {
  /** Runs the CLI into `| head -c 5` through bash and returns the CLI's own exit status and stderr. */
  function intoHead(args: string[]) {
    const piped = `'${process.execPath}' '${ROOT}bin/dnstrace.js' ${args.map((a) => `'${a}'`).join(' ')} | head -c 5 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', piped], { encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined } });
    return { code: Number(r.stdout.trim()), stderr: r.stderr };
  }

  it.each(['json', 'jsonl', 'markdown', 'text'])('exits 0 quietly when the reader stops early (%s into head)', (format) => {
    // tc-tcp gives a 80 kB JSON report: more than a pipe holds, so the write meets EPIPE.
    expect(intoHead(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format])).toEqual({ code: 0, stderr: '' });
  });

  it('keeps the --fail-on code when the reader stops early', () => {
    expect(intoHead(['analyze', `${FIXTURES}dig-search.pcap`, '-f', 'json', '--fail-on', 'any']).code).toBe(1);
  });

  it.each(['json', 'jsonl'])('reports a full disk behind stdout as one line and exit 2 (%s)', (format) => {
    const r = spawnSync('bash', ['-c', `'${process.execPath}' '${ROOT}bin/dnstrace.js' analyze '${FIXTURES}tc-tcp.pcap' -f ${format} > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('dnstrace: cannot write standard output: ENOSPC\n');
  });

  it.each(['json', 'jsonl', 'markdown'])('reports a full disk behind -o as one line and exit 2 (%s)', (format) => {
    const r = dnstrace(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format, '-o', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dnstrace: cannot write /dev/full: ENOSPC\n');
  });
});

describe('--fail-on', () => {
  it('exits 1 and names what it found when a finding of the kind is present', () => {
    const r = dnstrace(['analyze', SEARCH, '-f', 'json', '--fail-on', 'search-path-waste']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toHaveLength(1);
    expect(r.stderr).toBe('dnstrace: --fail-on: found 1 search-path-waste\n');
  });

  it('exits 0 when none of the named kinds is present', () => {
    const r = dnstrace(['analyze', SEARCH, '--fail-on', 'servfail,unanswered-queries', '--fail-on', 'externalname-caveat']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('fails on every kind with "any"', () => {
    expect(dnstrace(['analyze', EXTERNAL, '--fail-on', 'any']).code).toBe(1);
  });

  it('treats an unknown kind as a usage error, exit 2, one line', () => {
    const r = dnstrace(['analyze', SEARCH, '--fail-on', 'slow']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown finding kind slow');
  });
});
