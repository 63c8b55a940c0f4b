import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { InputError } from './input/input-error.js';
import { parseResolvConf } from './analyze/parse-resolv-conf.js';
import type { ResolverOverrides } from './analyze/resolver-profile-inferrer.js';
import { type AnalyzeOptions, DEFAULT_OPTIONS, type Source, analyze } from './pipeline.js';
import { renderJson } from './report/render-json.js';
import { renderMarkdown } from './report/render-markdown.js';
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

/** A mistake the user can fix: printed as one line, exit code 2. */
class UsageError extends Error {}

interface AnalyzeFlags {
  format: 'markdown' | 'json';
  output?: string;
  timeout: number;
  top: number;
  port: number[];
  search?: string[];
  ndots?: number;
  namespace?: string;
  resolvConf?: string;
}

/** Parses argv, runs, renders, and returns the exit code. The only module that touches process. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('dnstrace')
    .description('Explain DNS behaviour from packet captures and tcpdump text.')
    .version(await packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', EXIT_HELP);

  program
    .command('analyze')
    .description('Analyse a capture (pcap, pcap.gz) or tcpdump text and write a report')
    .argument('[file]', 'capture or tcpdump text file; "-" or nothing reads standard input')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['markdown', 'json']).default('markdown'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--timeout <ms>', 'a query unanswered after this long is lost (glibc default)', positiveInt, DEFAULT_OPTIONS.timeoutMs)
    .option('--top <n>', 'rows in long tables before "and N more"', positiveInt, 20)
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
  const report = await analyze(source, options);
  const text = flags.format === 'json' ? renderJson(report) : renderMarkdown(report, { top: flags.top });
  if (flags.output) {
    try {
      await writeFile(flags.output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    await writeStdout(text);
  }
  for (const w of report.warnings) process.stderr.write(`dnstrace: warning: ${w}\n`);
  return EXIT.ok;
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

async function openSource(file: string | undefined): Promise<Source> {
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
  return { name: file, chunks: createReadStream(file, { highWaterMark: 1 << 20 }) };
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
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
