import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { InputError } from './input/input-error.js';
import { parseResolvConf } from './analyze/parse-resolv-conf.js';
import type { ResolverOverrides } from './analyze/resolver-profile-inferrer.js';
import { type AnalyzeOptions, DEFAULT_OPTIONS, type Source, analyze } from './pipeline.js';
import { writeJson } from './report/render-json.js';
import { renderMarkdown } from './report/render-markdown.js';
import { FINDING_KINDS } from './analyze/findings/finding-kinds.js';
import type { Report } from './model.js';
import { writeJsonLines } from './report/json-lines-writer.js';
import { trackProgress } from './report/progress-meter.js';
import { renderText } from './report/render-text.js';
import { compareReports } from './diff/compare-reports.js';
import { loadReport } from './diff/load-report.js';
import { renderDiffJson } from './report/diff/render-diff-json.js';
import { renderDiffMarkdown } from './report/diff/render-diff-markdown.js';
import { renderDiffText } from './report/diff/render-diff-text.js';

const EXIT_HELP = `
Exit codes:
  ${EXIT.ok}  success (a truncated capture is a warning, not an error)
  ${EXIT.findings}  a finding named by --fail-on was present
  ${EXIT.usage}  usage error or unreadable input (missing file, not a capture)
  ${EXIT.internal}  internal error (a bug in dnstrace; please report it)`;

/**
 * Anomalies that say the input file itself is damaged (cut off, or corrupt from some byte on), as
 * opposed to odd packets inside a sound file or the analysis' own limits: what --strict fails on.
 */
const DAMAGED_INPUT_ANOMALIES = new Set([
  'pcap-truncated-record',
  'pcap-bad-record-length',
  'pcapng-truncated-block',
  'pcapng-bad-block-length',
  'pcapng-bad-section-header',
  'gzip-corrupt',
]);

/** A mistake the user can fix: printed as one line, exit code 2. */
class UsageError extends Error {}

type ReportFormat = 'markdown' | 'json' | 'jsonl' | 'text';

interface AnalyzeFlags {
  /** Unset: text on a terminal, markdown otherwise (see chooseFormat). */
  format?: ReportFormat;
  output?: string;
  timeout: number;
  top: number;
  /** Issue 8: a damaged capture (cut off, corrupt) is an input error, not a warning. */
  strict?: boolean;
  failOn: string[];
  /** false with --no-color. */
  color: boolean;
  port: number[];
  search?: string[];
  ndots?: number;
  namespace?: string;
  resolvConf?: string;
}

/** Parses argv, runs, renders, and returns the exit code. The only module that touches process. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  watchStdout();
  const program = new Command()
    .name('dnstrace')
    .description('Explain DNS behaviour from packet captures and tcpdump text.')
    .version(await packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', EXIT_HELP);

  program
    .command('analyze')
    .description('Analyse a capture (pcap, pcapng, either gzip-compressed) or tcpdump text and write a report')
    .argument('[file]', 'capture or tcpdump text file; "-" or nothing reads standard input')
    .addOption(new Option('-f, --format <format>', 'report format (default: text on a terminal, markdown otherwise)').choices(['markdown', 'json', 'jsonl', 'text']))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--timeout <ms>', 'a query unanswered after this long is lost (glibc default)', positiveInt, DEFAULT_OPTIONS.timeoutMs)
    .option('--top <n>', 'rows in long tables before "and N more"', positiveInt, 20)
    .option('--strict', `exit ${EXIT.usage} when the capture is cut off or corrupt (the report is still written)`)
    .option('--fail-on <kinds>', `exit ${EXIT.findings} when a finding of one of these kinds is present (comma-separated, repeatable; "any" for every kind): ${Object.keys(FINDING_KINDS).join(', ')}`, collectFindingKinds, [])
    .option('--no-color', 'no colours in the terminal summary (also: NO_COLOR set, or output not a terminal)')
    .option('--port <n>', 'also decode DNS on this UDP/TCP port (repeatable; 53 is always on)', collectPort, [])
    // The client's resolver configuration: overrides what the analysis infers from the capture.
    .option('--search <domains>', 'search list, comma- or space-separated, in order', splitList)
    .option('--ndots <n>', 'ndots of the clients (Kubernetes pods: 5)', wholeNumber)
    .option('--namespace <ns>', 'Kubernetes namespace of the clients')
    .option('--resolv-conf <file>', "read nameservers, search list and options from the clients' resolv.conf")
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string | undefined, flags: AnalyzeFlags) => {
      code = await runAnalyze(file, flags);
    });

  program
    .command('diff')
    .description('Compare two captures (or tcpdump text, or JSON reports from analyze --format json): before and after a fix')
    .argument('<before>', 'capture, tcpdump text, or dnstrace JSON report from before the change; "-" reads standard input')
    .argument('<after>', 'the same from after the change')
    .addOption(new Option('-f, --format <format>', 'diff format').choices(['markdown', 'json', 'text']).default('markdown'))
    .option('-o, --output <file>', 'write the diff to a file instead of standard output')
    .option('--timeout <ms>', 'a query unanswered after this long is lost (glibc default; a JSON report keeps its own)', positiveInt, DEFAULT_OPTIONS.timeoutMs)
    .option('--top <n>', 'rows in long tables before "and N more"', positiveInt, 20)
    .addHelpText('after', EXIT_HELP)
    .action(async (before: string, after: string, flags: DiffFlags) => {
      code = await runDiff(before, after, flags);
    });

  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof InputError || e instanceof UsageError) {
      process.stderr.write(`dnstrace: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`dnstrace: internal error (please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}

async function runAnalyze(file: string | undefined, flags: AnalyzeFlags): Promise<number> {
  const source = await openSource(file);
  const options: Partial<AnalyzeOptions> = {
    timeoutMs: flags.timeout,
    ports: [...new Set([...DEFAULT_OPTIONS.ports, ...flags.port])],
    resolver: await resolverOverrides(flags),
  };
  if (process.stderr.isTTY) {
    const chunks = trackProgress(source.chunks, { totalBytes: source.size ?? null, write: (t) => process.stderr.write(t) });
    source.chunks = chunks;
  }
  const report = await analyze(source, options);
  const format = chooseFormat(flags);
  if (format === 'jsonl') await writeStreamed((write) => writeJsonLines(report, write), flags.output);
  // JSON too goes out in pieces: a large capture's report is longer than one string can be.
  else if (format === 'json') await writeStreamed((write) => writeJson(report, write), flags.output);
  else {
    const text = renderReport(report, format, flags);
    if (flags.output) {
      try {
        await writeFile(flags.output, text);
      } catch (e) {
        throw new UsageError(`cannot write ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else {
      await writeStdout(text);
    }
  }
  for (const w of report.warnings) process.stderr.write(`dnstrace: warning: ${w}\n`);
  // A capture cut off or corrupt mid-file: by default everything readable was analysed and that
  // is a success (with a warning); --strict makes it an input error.
  if (flags.strict && report.anomalies.some((a) => DAMAGED_INPUT_ANOMALIES.has(a.code))) return EXIT.usage;
  return failOnCode(report, flags.failOn);
}

interface DiffFlags {
  format: 'markdown' | 'json' | 'text';
  output?: string;
  timeout: number;
  top: number;
}

async function runDiff(beforeFile: string, afterFile: string, flags: DiffFlags): Promise<number> {
  if (beforeFile === '-' && afterFile === '-') throw new UsageError('only one side of a diff can be read from standard input');
  const options: Partial<AnalyzeOptions> = { timeoutMs: flags.timeout };
  const before = await loadReport(await openSource(beforeFile), options);
  const after = await loadReport(await openSource(afterFile), options);
  const diff = compareReports(before, after);
  const text =
    flags.format === 'json' ? renderDiffJson(diff) : flags.format === 'text' ? renderDiffText(diff, { top: flags.top }) : renderDiffMarkdown(diff, { top: flags.top });
  await writeOutput(text, flags.output);
  for (const w of diff.warnings) process.stderr.write(`dnstrace: warning: ${w}\n`);
  return EXIT.ok;
}

async function writeOutput(text: string, output: string | undefined): Promise<void> {
  if (!output) return writeStdout(text);
  try {
    await writeFile(output, text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** --resolv-conf first, then --search, --ndots and --namespace over it; each value says where it came from. */
async function resolverOverrides(flags: AnalyzeFlags): Promise<ResolverOverrides> {
  let o: ResolverOverrides = { origin: {} };
  if (flags.resolvConf !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.resolvConf, 'utf8');
    } catch (e) {
      throw new UsageError(`${flags.resolvConf}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'cannot read')}`);
    }
    const parsed = parseResolvConf(text, `from --resolv-conf ${flags.resolvConf}`);
    for (const p of parsed.problems) process.stderr.write(`dnstrace: warning: ${flags.resolvConf}: ${p}\n`);
    o = parsed.overrides;
  }
  const origin = o.origin as Record<string, string>;
  if (flags.search) (o.searchList = flags.search), (origin.searchList = 'given on the command line (--search)');
  if (flags.ndots !== undefined) (o.ndots = flags.ndots), (origin.ndots = 'given on the command line (--ndots)');
  if (flags.namespace !== undefined) (o.namespace = flags.namespace), (origin.namespace = 'given on the command line (--namespace)');
  return o;
}

function splitList(value: string): string[] {
  const list = value.split(/[\s,]+/).map((s) => s.replace(/\.$/, '').toLowerCase()).filter((s) => s !== '');
  if (list.length === 0) throw new InvalidArgumentError('give at least one domain');
  return list;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

async function openSource(file: string | undefined): Promise<Source & { size?: number }> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new UsageError('no input: give a capture file, or pipe tcpdump output into dnstrace analyze');
    return { name: '-', chunks: process.stdin };
  }
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'cannot open');
    throw new UsageError(`${file}: ${why}`);
  }
  if (info.isDirectory()) throw new UsageError(`${file}: is a directory, not a capture`);
  return { name: file, chunks: createReadStream(file, { highWaterMark: 1 << 20 }), size: info.size };
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stdoutGone) return resolve();
    process.stdout.write(text, (err) => (err && !isEpipe(err) ? reject(new UsageError(`cannot write standard output: ${(err as NodeJS.ErrnoException).code ?? err.message}`)) : resolve()));
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** --port N, repeatable: each use adds one port. */
function collectPort(value: string, previous: number[]): number[] {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535');
  return [...previous, n];
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

// ---- Report formats, colour and --fail-on (issue 6) ------------------------------------------

/**
 * Without --format: the terminal summary when a person reads stdout, markdown when it goes to a
 * file or a pipe (pasted into a ticket, saved for the review). -o always means a file.
 */
function chooseFormat(flags: AnalyzeFlags): ReportFormat {
  if (flags.format) return flags.format;
  return !flags.output && process.stdout.isTTY ? 'text' : 'markdown';
}

/** Colour only for the terminal summary on a terminal, never with --no-color or NO_COLOR (no-color.org: any non-empty value). */
function useColor(flags: AnalyzeFlags): boolean {
  return flags.color !== false && !flags.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
}

function renderReport(report: Report, format: Exclude<ReportFormat, 'jsonl' | 'json'>, flags: AnalyzeFlags): string {
  if (format === 'text') return renderText(report, { top: flags.top, color: useColor(flags), width: flags.output ? 80 : Math.min(80, process.stdout.columns || 80) });
  return renderMarkdown(report, { top: flags.top });
}

/**
 * JSON and JSON Lines go out as they are produced, in blocks of about 64 kB. The writer is
 * synchronous so that a streaming analysis can feed it record by record; Node buffers what the
 * pipe has not taken yet, and the end waits until everything is flushed.
 */
async function writeStreamed(produce: (write: (chunk: string) => void) => void, output: string | undefined): Promise<void> {
  const stream: NodeJS.WritableStream = output ? createWriteStream(output) : process.stdout;
  let error: Error | null = null;
  if (output) stream.on('error', (e: Error) => (error ??= e));
  let block = '';
  produce((chunk) => {
    block += chunk;
    if (block.length >= 1 << 16) {
      if (!stdoutGone || output) stream.write(block);
      block = '';
    }
  });
  await new Promise<void>((resolve) => {
    if (output) {
      stream.end(block, () => resolve());
      stream.once('error', () => resolve());
    } else {
      stream.write(block, (e) => {
        if (e && !isEpipe(e)) error ??= e;
        resolve();
      });
    }
  });
  error ??= output ? null : stdoutError;
  if (error) throw new UsageError(`cannot write ${output ?? 'standard output'}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

/** --fail-on: exit 1 (never 2, the usage code) when a finding of a named kind is present, and say which on stderr. */
function failOnCode(report: Report, kinds: readonly string[]): number {
  if (kinds.length === 0) return EXIT.ok;
  const hits = report.findings.filter((f) => kinds.includes('any') || kinds.includes(f.kind));
  if (hits.length === 0) return EXIT.ok;
  const counts = new Map<string, number>();
  for (const f of hits) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const list = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  process.stderr.write(`dnstrace: --fail-on: found ${list}\n`);
  return EXIT.findings;
}

function collectFindingKinds(value: string, previous: string[]): string[] {
  const known = new Set(['any', ...Object.keys(FINDING_KINDS)]);
  const kinds = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !known.has(k));
  if (unknown.length > 0 || kinds.length === 0) throw new InvalidArgumentError(`unknown finding kind ${unknown.join(', ') || '""'}; known: ${[...known].join(', ')}`);
  return [...previous, ...kinds];
}

// ---- Standard output that goes away (`dnstrace analyze x.pcap | head`) -----------------------

/** Set when the reader of stdout closed it (EPIPE): the rest of the report is dropped quietly. */
let stdoutGone = false;
/** Any other error met writing stdout (a full disk behind `>`): reported as a usage error. */
let stdoutError: Error | null = null;

function isEpipe(err: Error): boolean {
  return (err as NodeJS.ErrnoException).code === 'EPIPE';
}

/**
 * A reader that stops early (head, less quitting) is normal use, not a crash: without a handler
 * Node throws EPIPE as an unhandled 'error' event and exits 1, the --fail-on code. Other write
 * errors are reported by the write that meets them.
 */
function watchStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (err: Error) => {
    if (isEpipe(err)) stdoutGone = true;
    else stdoutError ??= err;
  });
}
