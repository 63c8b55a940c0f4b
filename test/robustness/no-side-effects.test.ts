import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT } from '../helpers.js';
import { dnsFrame, encodeDns, pcap } from './build-capture.js';
import { runCli } from './run-cli.js';
import { signalJsonRun } from './signal-json-run.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** A capture whose answers hold addresses a careless tool would reverse-resolve. */
function captureWithAddresses(): Uint8Array {
  const question = { name: ['api', 'example', 'com'], type: 1 };
  return pcap([
    dnsFrame(encodeDns({ id: 9, question })),
    dnsFrame(encodeDns({ id: 9, response: true, question, answers: [{ name: question.name, type: 1, data: Uint8Array.from([8, 8, 8, 8]) }] }), true),
  ]);
}

describe('dnstrace writes only to stdout, stderr and -o', () => {
  it('leaves an empty working directory, HOME and TMPDIR empty, with and without -o', () => {
    const sandbox = mkdtempSync(join(tmpdir(), 'dnstrace-sandbox-'));
    const [cwd, home, tmp, inputs] = ['cwd', 'home', 'tmp', 'inputs'].map((d) => {
      const p = join(sandbox, d);
      mkdirSync(p);
      return p;
    });
    const capture = join(inputs, 'c.pcap');
    writeFileSync(capture, captureWithAddresses());
    const env = { HOME: home, TMPDIR: tmp, XDG_CACHE_HOME: join(home, '.cache'), XDG_CONFIG_HOME: join(home, '.config') };
    const runs = [
      runCli(['analyze', capture], { cwd, env }),
      runCli(['analyze', capture, '--format', 'json'], { cwd, env }),
      runCli(['analyze', '-'], { cwd, env, input: readFileSync(capture) }),
      runCli(['analyze', capture, '-o', 'report.md'], { cwd, env }),
      runCli(['analyze', join(inputs, 'missing.pcap')], { cwd, env }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 2]);
    expect(filesUnder(cwd)).toEqual(['report.md']);
    expect(filesUnder(home)).toEqual([]);
    expect(filesUnder(tmp)).toEqual([]);
    expect(filesUnder(inputs)).toEqual(['c.pcap']);
    // The address is shown as captured, never turned into a name.
    expect(JSON.parse(runs[1].stdout).transactions[0].answers[0].data).toBe('8.8.8.8');
    expect(runs[1].stdout).not.toContain('dns.google');
  });
});

describe('the JSON report\'s temporary spool', () => {
  function sandbox() {
    const dir = mkdtempSync(join(tmpdir(), 'dnstrace-spool-'));
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const capture = join(dir, 'c.pcap');
    writeFileSync(capture, captureWithAddresses());
    return { tmp, capture };
  }

  it('cannot be made when TMPDIR does not exist: one line and exit 2, before anything is written', () => {
    const { tmp, capture } = sandbox();
    const r = runCli(['analyze', capture, '--format', 'json'], { env: { TMPDIR: join(tmp, 'missing') } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`dnstrace: cannot make a temporary directory in ${join(tmp, 'missing')} for the JSON report: ENOENT\n`);
  });

  it('is removed after a failing run (a bug thrown while writing the JSON)', () => {
    const { tmp, capture } = sandbox();
    const bug = "data:text/javascript,JSON.stringify=()=>{throw new TypeError('simulated bug')}";
    const r = runCli(['analyze', capture, '--format', 'json'], { env: { TMPDIR: tmp }, nodeArgs: ['--import', bug] });
    expect(r.code).toBe(3);
    expect(filesUnder(tmp)).toEqual([]);
  });

  it('is removed when a signal ends the run, and the signal still ends it', async () => {
    const { tmp, capture } = sandbox();
    const r = await signalJsonRun(tmp, readFileSync(capture), 'SIGTERM');
    expect([r.before.length, r.endedBy, r.after]).toEqual([1, 'SIGTERM', []]);
  });
});

/**
 * The one file allowed `net`: it reads a pipe on standard input through a net.Socket made from
 * the descriptor (the event loop's handle for pipes), checked below to do nothing else.
 */
const PIPE_READER = 'cli/host/read-pipe.ts';

/** Node modules that reach the network, resolve names, or run other programs. */
const FORBIDDEN_MODULES = ['net', 'dns', 'dns/promises', 'http', 'https', 'http2', 'dgram', 'tls', 'child_process', 'cluster', 'inspector'];

describe('dnstrace makes no network request and no reverse DNS lookup', () => {
  const srcDir = join(ROOT, 'src');
  const sources = filesUnder(srcDir).filter((f) => f.endsWith('.ts'));

  it('imports none of net, dns, http, https, http2, dgram, tls, child_process, cluster, inspector anywhere in src/', () => {
    expect(sources.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const f of sources) {
      const text = readFileSync(join(srcDir, f), 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?([a-z_/0-9]+)['"]/g)) {
        if (FORBIDDEN_MODULES.includes(m[1]) && !(f === PIPE_READER && m[1] === 'net')) offenders.push(`${f}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it(`uses net in ${PIPE_READER} only to wrap standard input's descriptor, never to connect or listen`, () => {
    const text = readFileSync(join(srcDir, PIPE_READER), 'utf8');
    expect(text).toMatch(/new Socket\(options\)/);
    expect(text).toMatch(/\{ fd, readable: true, writable: false/);
    expect(text).not.toMatch(/connect|createServer|listen|createConnection|lookup/);
  });

  it('calls no fetch, WebSocket or XMLHttpRequest anywhere in src/', () => {
    const offenders = sources.filter((f) => /\b(fetch|WebSocket|XMLHttpRequest|EventSource)\s*\(/.test(readFileSync(join(srcDir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('writes files only in src/cli/ (the -o report, and the JSON report\'s temporary spool)', () => {
    const writers = sources.filter((f) => /\b(writeFile|appendFile|createWriteStream|mkdir|mkdtemp|rm|unlink|rename|copyFile|writeSync|openSync)(Sync)?\s*\(/.test(readFileSync(join(srcDir, f), 'utf8')));
    expect(writers.map((f) => relative(srcDir, join(srcDir, f)))).toEqual(['cli/report-output.ts', 'cli/temp-spool.ts']);
  });
});
