import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { THREAD_ENV } from '../../../src/cli/host/choose-thread.js';
import { EXIT } from '../../../src/exit-codes.js';
import { FIXTURES, ROOT, makeTempDir } from '../../helpers.js';
import { answeredCapture } from '../../robustness/build-capture.js';
import { runCli } from '../../robustness/run-cli.js';
import { signalJsonRun } from '../../robustness/signal-json-run.js';

// bin/dnstrace.js runs a small capture in the main thread (src/cli/host/choose-thread.ts): what a
// user sees must not depend on the thread.
vi.setConfig({ testTimeout: 120_000 });

const BIN = `${ROOT}bin/dnstrace.js`;
const dir = makeTempDir('dnstrace-main-thread-');
const fixture = `${FIXTURES}externalname-vs-search.pcap`;
const truncated = join(dir, 'truncated.pcap');
writeFileSync(truncated, readFileSync(`${FIXTURES}tc-tcp.pcap`).subarray(0, -7));
const notCapture = join(dir, 'not-a-capture.pcap');
writeFileSync(notCapture, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 1, 2, 3]));

function inBoth(args: string[]) {
  return {
    main: runCli(args, { env: { [THREAD_ENV]: 'main' } }),
    worker: runCli(args, { env: { [THREAD_ENV]: 'worker' } }),
    chosen: runCli(args),
  };
}

describe('the CLI in the main thread and in the worker', () => {
  it.each([
    ['markdown', [fixture]],
    ['json', [fixture, '-f', 'json']],
    ['jsonl', [fixture, '-f', 'jsonl']],
    ['a finding named by --fail-on', [fixture, '--fail-on', 'any']],
    ['a truncated capture (a warning)', [truncated, '-f', 'jsonl']],
    ['a diff', ['diff', `${FIXTURES}diff-ndots5.pcap`, `${FIXTURES}diff-ndots1.pcap`]],
  ])('gives the same stdout, stderr and exit code: %s', (_what, args) => {
    const runs = inBoth(args[0] === 'diff' ? args : ['analyze', ...args]);
    expect(runs.main.stdout.length).toBeGreaterThan(100);
    expect(runs.main).toEqual(runs.worker);
    expect(runs.chosen).toEqual(runs.worker);
  });

  it(`gives the same one-line error and exit ${EXIT.usage} for an input that is not a capture`, () => {
    const runs = inBoth(['analyze', notCapture]);
    expect(runs.main.code).toBe(EXIT.usage);
    expect(runs.main.stdout).toBe('');
    expect(runs.main.stderr).toMatch(/^dnstrace: [^\n]+\n$/);
    expect(runs.main).toEqual(runs.worker);
    expect(runs.chosen).toEqual(runs.worker);
  });

  it(`is a usage error, one line and exit ${EXIT.usage}, for ${THREAD_ENV} other than main or worker`, () => {
    const r = runCli(['analyze', fixture], { env: { [THREAD_ENV]: 'both' } });
    expect(r).toEqual({ code: EXIT.usage, stdout: '', stderr: `dnstrace: ${THREAD_ENV}=both: give main or worker (or leave it unset: dnstrace chooses by the input's size)\n` });
  });
});

describe('standard streams from the main thread', () => {
  it('reads the input file no further ahead than a slow reader of its output takes, then writes all of it', async () => {
    const big = join(dir, 'big.pcap');
    const capture = answeredCapture(60_000);
    writeFileSync(big, capture);
    const child = spawn(process.execPath, [BIN, 'analyze', big, '-f', 'jsonl'], { env: { ...process.env, [THREAD_ENV]: 'main' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 2500));
    // Nothing taken from its output: it stops after a pipe's worth of records, far short of the
    // capture, which it has read only so far (Linux: the read position of its descriptor).
    expect(child.exitCode).toBe(null);
    const fd = readdirSync(`/proc/${child.pid}/fd`).find((n) => readlinkSync(`/proc/${child.pid}/fd/${n}`) === big);
    const position = Number(/^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8'))?.[1]);
    expect(position).toBeLessThan(capture.length / 2);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100_000);
    expect(lines.at(-1)).toContain('"record":"summary"');
  });

  it('removes the JSON report\'s temporary directory when SIGINT ends the run, and SIGINT still ends it', async () => {
    const tmp = join(dir, 'tmp-sigint');
    mkdirSync(tmp);
    // Pinned to the main thread, where the signal arrives and the directory is made.
    const r = await signalJsonRun(tmp, readFileSync(`${FIXTURES}tc-tcp.pcap`), 'SIGINT', { [THREAD_ENV]: 'main' });
    expect([r.before.length, r.endedBy, r.after]).toEqual([1, 'SIGINT', []]);
  });

  it('leaves no temporary directory behind after a JSON run', () => {
    const tmp = join(dir, 'tmp-done');
    mkdirSync(tmp);
    const r = runCli(['analyze', fixture, '-f', 'json'], { env: { TMPDIR: tmp, [THREAD_ENV]: 'main' } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
