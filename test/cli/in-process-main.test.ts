import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliHost } from '../../src/cli/cli-host.js';
import { makeGuardedDirectory } from '../../src/cli/temp-spool.js';
import { EXIT } from '../../src/exit-codes.js';
import { FIXTURES, ROOT, makeTempDir } from '../helpers.js';

/** A host whose standard output and error are strings, and whose standard input is `input`. */
function memoryHost(input: Uint8Array = new Uint8Array(0), made: string[] = []) {
  const out: Buffer[] = [];
  const err: string[] = [];
  const host: CliHost = {
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stdoutColumns: undefined,
    stderrIsTTY: false,
    stderrColumns: undefined,
    readStdin: async function* () {
      yield input;
    },
    stdout: { put: (d) => void out.push(Buffer.from(d)), ready: () => undefined, end: async () => {}, synchronous: true },
    writeOut: (t) => void out.push(Buffer.from(t)),
    writeErr: (t) => void err.push(t),
    makeGuardedDirectory: async (base) => {
      const dir = makeGuardedDirectory(base);
      made.push(dir.path);
      return dir;
    },
  };
  return { host, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => err.join('') };
}

/** The built CLI, run as a user would. */
function bin(args: string[]) {
  return spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

const argv = (...args: string[]) => ['node', 'dnstrace', ...args];

describe('main(argv) imported, without a worker', () => {
  it.each(['json', 'jsonl', 'markdown', 'text'])('writes the same %s report to its host as bin/dnstrace.js writes to stdout', async (format) => {
    const m = memoryHost();
    const code = await main(argv('analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format), m.host);
    const r = bin(['analyze', `${FIXTURES}tc-tcp.pcap`, '-f', format]);
    expect([code, m.stderr()]).toEqual([r.status, r.stderr]);
    expect(m.stdout()).toBe(r.stdout);
  });

  it('reads its host\'s standard input and removes the JSON spool it asked for', async () => {
    const made: string[] = [];
    const m = memoryHost(readFileSync(`${FIXTURES}tc-tcp.pcap`), made);
    expect(await main(argv('analyze', '-f', 'json'), m.host)).toBe(EXIT.ok);
    expect(JSON.parse(m.stdout()).input.source).toBe('-');
    expect(made).toHaveLength(1);
    expect(readdirSync(join(made[0], '..')).includes(made[0].split('/').at(-1) as string)).toBe(false);
  });

  it('returns the usage code with one line on its host\'s stderr', async () => {
    const m = memoryHost();
    expect(await main(argv('analyze', `${FIXTURES}no-such.pcap`), m.host)).toBe(EXIT.usage);
    expect(m.stderr()).toBe(`dnstrace: ${FIXTURES}no-such.pcap: no such file\n`);
  });

  it('writes to -o with the process\' own host by default', async () => {
    const out = join(makeTempDir('dnstrace-main-'), 'r.md');
    expect(await main(argv('analyze', `${FIXTURES}tc-tcp.pcap`, '-o', out))).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8')).toBe(bin(['analyze', `${FIXTURES}tc-tcp.pcap`]).stdout);
  });
});
