import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { ROOT, makeTempDir } from './helpers.js';
import { answeredCapture, dnsFrame, encodeDns, pcap } from './robustness/build-capture.js';
import { runCli } from './robustness/run-cli.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

const dir = makeTempDir('dnstrace-exit-');


function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const whole = answeredCapture(4);
const wholePath = file('whole.pcap', whole);
/** Cut 10 bytes into the last record: the pod died while tcpdump was writing. */
const cutPath = file('cut.pcap', whole.subarray(0, whole.length - 30));

function randomBytes(n: number, seed: number, min = 0): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = min + (((x >>> 16) & 0xff) % (256 - min));
  }
  return out;
}

describe('exit code 0: success', () => {
  it('exits 0 with the report on stdout and nothing on stderr for a whole capture', () => {
    const r = runCli(['analyze', wholePath]);
    expect([r.code, r.stderr]).toEqual([EXIT.ok, '']);
    expect(r.stdout).toContain('4 lookups');
  });

  it('exits 0 for a capture cut off mid-record, analysing the 7 whole frames and warning once on stderr', () => {
    const r = runCli(['analyze', cutPath, '--format', 'json']);
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout).summary.frames).toBe(7);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dnstrace: warning: capture is cut off/);
  });

  it('exits 0 for a pcap header followed by a megabyte of random bytes on stdin, accounting for every frame it finds', () => {
    const bytes = Uint8Array.from([...whole.subarray(0, 24), ...randomBytes(1 << 20, 3)]);
    const r = runCli(['analyze', '--format', 'json'], { input: bytes });
    expect(r.code).toBe(EXIT.ok);
    const a = JSON.parse(r.stdout).summary.frameAccounting;
    expect(a.dns + a.notDns + a.malformed + a.truncated + a.unsupportedLinkType + a.ipFragmentsPending).toBe(a.frames);
    // Random record lengths are mostly over the 1 MB limit: the reader stops and says so.
    expect(r.stderr).toMatch(/^dnstrace: warning: capture is (corrupt|cut off)/);
  });

  it('exits 0 with --strict when the capture is whole', () => {
    expect(runCli(['analyze', wholePath, '--strict']).code).toBe(EXIT.ok);
  });

  it('exits 0 with --strict when the only warning is about the packets, not the file (a packet seen twice)', () => {
    const frame = dnsFrame(encodeDns({ id: 1, question: { name: ['twice', 'example'], type: 1 } }));
    const r = runCli(['analyze', file('twice.pcap', pcap([{ data: frame, timeUs: 1e15 }, { data: frame, timeUs: 1e15 + 10 }])), '--strict']);
    expect(r.stderr).toMatch(/seen twice/);
    expect(r.code).toBe(EXIT.ok);
  });
});

describe(`exit code ${EXIT.findings}: a finding named by --fail-on`, () => {
  const walk = `${ROOT}fixtures/externalname-vs-search.pcap`;

  it(`exits ${EXIT.findings} when the capture has a finding of a kind named by --fail-on, after writing the report`, () => {
    const r = runCli(['analyze', walk, '--fail-on', 'search-path-waste', '--format', 'json']);
    expect(r.code).toBe(EXIT.findings);
    expect(JSON.parse(r.stdout).findings.map((f: { kind: string }) => f.kind)).toContain('search-path-waste');
  });

  it('exits 0 when no finding is of a kind named by --fail-on', () => {
    expect(runCli(['analyze', walk, '--fail-on', 'servfail']).code).toBe(EXIT.ok);
  });

  it(`exits ${EXIT.usage}, not ${EXIT.findings}, with --strict and --fail-on when the capture is also cut off`, () => {
    const bytes = readFileSync(walk);
    const r = runCli(['analyze', file('walk-cut.pcap', bytes.subarray(0, bytes.length - 10)), '--fail-on', 'search-path-waste', '--strict']);
    expect(r.code).toBe(EXIT.usage);
  });

  it(`exits ${EXIT.usage} for a finding kind that does not exist`, () => {
    const r = runCli(['analyze', walk, '--fail-on', 'no-such-kind']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe(`exit code ${EXIT.usage}: usage or input error, one line on stderr`, () => {
  it(`exits ${EXIT.usage} with --strict for a capture cut off mid-record, after writing the report`, () => {
    const r = runCli(['analyze', cutPath, '--strict', '--format', 'json']);
    expect(r.code).toBe(EXIT.usage);
    expect(JSON.parse(r.stdout).summary.frames).toBe(7);
    expect(r.stderr).toMatch(/^dnstrace: warning: capture is cut off/);
  });

  it.each([
    ['a gzip-compressed capture cut off', () => gzipSync(whole).subarray(0, gzipSync(whole).length - 20), /gzip stream is corrupt or cut off/],
    ['a pcapng capture cut off mid-block', () => readFileSync(`${ROOT}fixtures/dumpcap.pcapng`).subarray(0, 1000), /capture is cut off: the last block/],
  ])(`exits 0, or ${EXIT.usage} with --strict, for %s`, (name, bytes, warning) => {
    const path = file(`${name.replace(/\W+/g, '-')}.bin`, bytes());
    const lax = runCli(['analyze', path]);
    expect(lax.code).toBe(EXIT.ok);
    expect(lax.stderr).toMatch(warning);
    expect(runCli(['analyze', path, '--strict']).code).toBe(EXIT.usage);
  });

  it(`exits ${EXIT.usage} with --strict for a capture whose record claims 0xFFFFFFFF bytes`, () => {
    const bad = whole.slice();
    // incl_len of the third record (24-byte file header, then records of 16 + length bytes).
    let at = 24;
    for (let i = 0; i < 2; i++) at += 16 + new DataView(bad.buffer).getUint32(at + 8, true);
    new DataView(bad.buffer).setUint32(at + 8, 0xffffffff, true);
    const path = file('corrupt.pcap', bad);
    expect(runCli(['analyze', path]).code).toBe(EXIT.ok);
    const r = runCli(['analyze', path, '--strict']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^dnstrace: warning: capture is corrupt from byte \d+/);
  });

  const cases: [string, string[], (string | Uint8Array | undefined)?][] = [
    ['binary garbage with NUL bytes on stdin', ['analyze'], randomBytes(100_000, 1)],
    ['a megabyte of high bytes without NUL on stdin (it looks like text)', ['analyze', '-'], randomBytes(1 << 20, 2, 0x80)],
    ['empty stdin', ['analyze'], ''],
    ['a pcap of 20 bytes, shorter than its header', ['analyze', file('short.pcap', whole.subarray(0, 20))]],
    ['a missing file', ['analyze', join(dir, 'missing.pcap')]],
    ['a directory', ['analyze', dir]],
    ['an unknown option', ['analyze', '--no-such-option', wholePath]],
    ['an unknown command', ['frobnicate']],
    ['a timeout that is not a number', ['analyze', '--timeout', 'soon', wholePath]],
    ['an -o file in a directory that does not exist', ['analyze', wholePath, '-o', join(dir, 'no', 'such', 'dir', 'r.md')]],
  ];
  it.each(cases)(`exits ${EXIT.usage} for %s, with one line on stderr and no stack trace`, (_what, args, input) => {
    const r = runCli(args, { input });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^(dnstrace: |error: )/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it(`exits ${EXIT.usage} when -o names a file it may not write`, () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const r = runCli(['analyze', wholePath, '-o', join(locked, 'r.md')]);
    // root may write anywhere; then the report is written and that is a success.
    expect([EXIT.usage, EXIT.ok]).toContain(r.code);
    if (r.code === EXIT.usage) expect(r.stderr).toMatch(/^dnstrace: cannot write /);
  });
});

describe('exit codes of dnstrace diff', () => {
  it('exits 0 for a capture cut off mid-record on one side, warning once', () => {
    const r = runCli(['diff', wholePath, cutPath, '--format', 'json']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toMatch(/warning: .*cut off/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it(`exits ${EXIT.usage} with one line for binary garbage on one side`, () => {
    const r = runCli(['diff', wholePath, file('garbage.bin', randomBytes(10_000, 4))]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe(`exit code ${EXIT.internal}: internal error`, () => {
  it(`exits ${EXIT.internal} with the stack trace when dnstrace itself fails`, () => {
    // A stand-in for a bug: JSON.stringify throws inside the JSON renderer.
    const bug = "data:text/javascript,JSON.stringify=()=>{throw new TypeError('simulated bug')}";
    const r = runCli(['analyze', wholePath, '--format', 'json'], { nodeArgs: ['--import', bug] });
    expect(r.code).toBe(EXIT.internal);
    expect(r.stderr).toMatch(/^dnstrace: internal error \(please report it\):\nTypeError: simulated bug\n\s+at /);
  });
});

describe('exit codes are documented', () => {
  it('lists every code in --help', () => {
    const r = runCli(['analyze', '--help']);
    expect(r.code).toBe(EXIT.ok);
    for (const n of Object.values(EXIT)) expect(r.stdout).toMatch(new RegExp(`^\\s+${n}\\s+\\S`, 'm'));
    expect(r.stdout).toContain('--strict');
  });

  it('gives findings, usage errors, bugs and running out of memory different codes', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});

describe('a reader that stops early', () => {
  it('exits quietly when stdout is closed by `head` before the report is written', () => {
    const path = file('big.pcap', answeredCapture(3000));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${ROOT}bin/dnstrace.js" analyze "${path}" --format json | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(String(EXIT.ok));
  });
});
