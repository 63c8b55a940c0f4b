import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../src/exit-codes.js';
import { DEFAULT_MAX_HEAP_MB, HEAP_LIMIT_ENV } from '../../src/cli/host/heap-limits.js';
import { FIXTURES, ROOT, makeTempDir } from '../helpers.js';
import { answeredCapture } from '../robustness/build-capture.js';
import { runCli } from '../robustness/run-cli.js';
import { signalJsonRun } from '../robustness/signal-json-run.js';

// bin/dnstrace.js runs the CLI in a worker thread with a limited heap: what a user sees of that.
vi.setConfig({ testTimeout: 120_000 });

const BIN = `${ROOT}bin/dnstrace.js`;
const dir = makeTempDir('dnstrace-worker-');


const bigPath = join(dir, 'big.pcap');
writeFileSync(bigPath, answeredCapture(20_000));

/** The worst case of open state (scripts/profile/make-flood.mjs): `n` names asked within 4 s and never answered. */
function flood(n: number): string {
  const path = join(dir, `flood-${n}.pcap`);
  const r = spawnSync(process.execPath, [`${ROOT}scripts/profile/make-flood.mjs`, String(n), path], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return path;
}

/** Runs a shell command under a pseudo-terminal (util-linux script(1)) `columns` wide; stdout and stderr are the terminal. */
function onTerminal(command: string, columns = 100, typed = '') {
  const r = spawnSync('script', ['-qec', `stty cols ${columns} 2>/dev/null; ${command}`, '/dev/null'], { encoding: 'utf8', input: typed, env: { ...process.env, NO_COLOR: undefined } });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

describe('the heap limit', () => {
  it(`runs out of memory as one line on stderr and exit ${EXIT.outOfMemory}, naming ${HEAP_LIMIT_ENV}`, () => {
    const r = runCli(['analyze', `${FIXTURES}tc-tcp.pcap`], { env: { [HEAP_LIMIT_ENV]: '4' } });
    expect(r.code).toBe(EXIT.outOfMemory);
    expect(r.stderr).toBe(`dnstrace: out of memory: the analysis needed more than its heap limit of 4 MB; run it again with ${HEAP_LIMIT_ENV}=16 (or 0 for no limit of dnstrace's own)\n`);
  });

  it('removes the JSON report\'s temporary directory when the analysis runs out of memory half way', async () => {
    const tmp = join(dir, 'tmp-oom');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [BIN, 'analyze', flood(30_000), '--format', 'json'], { env: { ...process.env, [HEAP_LIMIT_ENV]: '16', TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let seen = false;
    for (let i = 0; i < 400 && !seen && child.exitCode === null; i++) {
      seen = readdirSync(tmp).length > 0;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await exited).toBe(EXIT.outOfMemory);
    expect(seen).toBe(true);
    expect(stderr).toMatch(/^dnstrace: out of memory: [^\n]+\n$/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it(`runs a flood of 100,000 names never answered within the default ${DEFAULT_MAX_HEAP_MB} MB`, () => {
    const r = runCli(['analyze', flood(100_000)]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toMatch(/^(dnstrace: warning: [^\n]+\n)*$/);
    expect(r.stdout).toMatch(/^# DNS report: /);
  });

  it.each(['0', ''])(`uses V8's own limits for ${HEAP_LIMIT_ENV}=%s`, (value) => {
    const r = runCli(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', 'jsonl'], { env: { [HEAP_LIMIT_ENV]: value } });
    expect([r.code, r.stderr]).toEqual([EXIT.ok, '']);
  });

  it.each(['lots', '-1', '1.5'])(`is a usage error, one line and exit 2, for ${HEAP_LIMIT_ENV}=%s`, (value) => {
    const r = runCli(['analyze', `${FIXTURES}tc-tcp.pcap`], { env: { [HEAP_LIMIT_ENV]: value } });
    expect([r.code, r.stdout]).toEqual([EXIT.usage, '']);
    expect(r.stderr).toBe(`dnstrace: ${HEAP_LIMIT_ENV}=${value}: give the heap limit in megabytes, a whole number (0: V8's default)\n`);
  });
});

describe('standard streams from the worker', () => {
  it('reads standard input into the same report as the file, byte for byte', () => {
    const fromFile = runCli(['analyze', bigPath, '-f', 'jsonl']);
    const fromPipe = runCli(['analyze', '-f', 'jsonl'], { input: readFileSync(bigPath) });
    expect([fromFile.code, fromPipe.code, fromPipe.stderr]).toEqual([0, 0, fromFile.stderr]);
    expect(fromPipe.stdout.replace('"source":"-"', `"source":${JSON.stringify(bigPath)}`)).toBe(fromFile.stdout);
  });

  it('reads standard input no further ahead than a slow reader of its output takes, then writes all of it', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze', '-', '-f', 'jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.pause();
    const input = readFileSync(bigPath);
    // Bytes the child took from its standard input (and the pipe holds): written piece by piece,
    // each once the one before was taken.
    let taken = 0;
    const feeding = (async () => {
      for (let at = 0; at < input.length; at += 1 << 14) {
        const piece = input.subarray(at, at + (1 << 14));
        await new Promise<void>((resolve, reject) => child.stdin.write(piece, (e) => (e ? reject(e) : resolve())));
        taken += piece.length;
      }
      child.stdin.end();
    })();
    await new Promise((r) => setTimeout(r, 2500));
    // Nothing taken from its output: it stops after a pipe's worth of records, far short of the capture.
    const takenWhileBlocked = taken;
    expect(child.exitCode).toBe(null);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    await feeding;
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(40_000);
    expect(lines.at(-1)).toContain('"record":"summary"');
    expect(takenWhileBlocked).toBeLessThan(input.length / 2);
  });

  it('ends as soon as it refuses binary standard input, while the writer still holds the pipe open', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Binary that is no capture; the pipe stays open, as a live writer's (tcpdump with nothing to say) would.
    child.stdin.write(Buffer.from([0, 0, 0, 0, 1, 2, 3, 4]));
    const outcome = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000))]);
    child.stdin.destroy();
    if (outcome === 'still running') child.kill();
    expect(outcome).toBe(EXIT.usage);
    expect(stderr).toBe('dnstrace: the input is neither a pcap/pcapng capture nor tcpdump text\n');
  });

  // A small file runs in the main thread unless pinned (src/cli/host/choose-thread.ts): both are checked.
  it('reads tcpdump text pasted into the terminal after `analyze -`, until Ctrl-D, and says so first', () => {
    const pasted = readFileSync(`${FIXTURES}dead-nameserver.txt`, 'utf8').split('\n').slice(0, 6).join('\n');
    // What a user types: the text, then Ctrl-D on a line of its own (the terminal's end of input).
    const r = onTerminal(`'${process.execPath}' '${BIN}' analyze - --no-color`, 100, `${pasted}\n\x04`);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dnstrace: reading the terminal: paste what tcpdump printed, then press Ctrl-D on a line of its own\n');
    expect(r.out).toContain('dnstrace: standard input (text)\n6 lines, 4 DNS messages, 3 transactions (2 unanswered)');
  });

  it('refuses a terminal on standard input when no file is named, rather than wait on it', () => {
    const r = onTerminal(`'${process.execPath}' '${BIN}' analyze`);
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toBe('dnstrace: no input: give a capture file, pipe tcpdump output into dnstrace analyze, or give - and paste tcpdump text\n');
  });

  it.each(['worker', 'main'])('writes the terminal summary as wide as the terminal, and the terminal summary only on a terminal (%s thread)', (thread) => {
    const narrow = onTerminal(`DNSTRACE_THREAD=${thread} '${process.execPath}' '${BIN}' analyze '${FIXTURES}tc-tcp.pcap' --no-color`, 60);
    expect(narrow.code).toBe(0);
    expect(narrow.out).toMatch(/^dnstrace: /);
    const widths = narrow.out.trimEnd().split('\n').map((l) => l.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(60);
    expect(Math.max(...widths)).toBeGreaterThan(50);
  });

  it('shows the progress meter on a terminal stderr while a slow input is read, and erases it', () => {
    const capture = join(dir, 'slow.pcap');
    writeFileSync(capture, answeredCapture(2000));
    const half = statSync(capture).size >> 1;
    const input = `(head -c ${half} '${capture}'; sleep 1.5; tail -c +${half + 1} '${capture}')`;
    const r = onTerminal(`${input} | '${process.execPath}' '${BIN}' analyze -f json > /dev/null`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^(\r\x1b\[Kdnstrace: read \d+ kB)+\r\x1b\[K$/);
  });

  it('removes the JSON report\'s temporary directory when SIGINT ends the run, and SIGINT still ends it', async () => {
    const tmp = join(dir, 'tmp-sigint');
    mkdirSync(tmp);
    // Standard input runs in the worker; the directory is the main thread's, where signals arrive.
    const r = await signalJsonRun(tmp, readFileSync(`${FIXTURES}tc-tcp.pcap`), 'SIGINT');
    expect([r.before.length, r.endedBy, r.after]).toEqual([1, 'SIGINT', []]);
  });

  it('writes --help to a pipe and exits 0, and --version', () => {
    const help = runCli(['--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: dnstrace /);
    const version = runCli(['--version']);
    expect([version.code, version.stdout]).toEqual([0, `${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version}\n`]);
  });
});
