import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { FINDING_KINDS } from './analyze/findings/finding-kinds.js';
import { type AnalyzeFlags, runAnalyze } from './cli/run-analyze.js';
import { type DiffFlags, runDiff } from './cli/run-diff.js';
import { collectFindingKinds, collectPort, positiveInt, splitList, wholeNumber } from './cli/option-parsers.js';
import { type CliHost, processHost } from './cli/cli-host.js';
import { UsageError } from './cli/usage-error.js';
import { EXIT } from './exit-codes.js';
import { HEAP_LIMIT_ENV } from './cli/host/heap-limits.js';
import { InputError } from './input/input-error.js';
import { DEFAULT_OPTIONS } from './pipeline.js';

const EXIT_HELP = `
Exit codes:
  ${EXIT.ok}  success (a truncated capture is a warning, not an error)
  ${EXIT.findings}  a finding named by --fail-on was present
  ${EXIT.usage}  usage error or unreadable input (missing file, not a capture)
  ${EXIT.internal}  internal error (a bug in dnstrace; please report it)
  ${EXIT.outOfMemory}  out of memory: the analysis needed more than its heap limit (raise it with ${HEAP_LIMIT_ENV})`;

/**
 * Parses argv, runs, renders, and returns the exit code. With the files of src/cli/ that it runs,
 * the only module that touches process, standard input and output, and the file system. `host`
 * is the process' standard streams by default; bin/dnstrace.js runs this in a worker thread and
 * gives it the worker's (src/cli/host/).
 */
export async function main(argv: readonly string[], host: CliHost = processHost()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('dnstrace')
    .description('Explain DNS behaviour from packet captures and tcpdump text.')
    .version(await packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => host.writeOut(s),
      writeErr: (s) => host.writeErr(s),
      // Commander's own default: the terminal's width, or 80 when it is not a terminal.
      getOutHelpWidth: () => host.stdoutColumns ?? 80,
      getErrHelpWidth: () => host.stderrColumns ?? 80,
    })
    .addHelpText('after', EXIT_HELP);

  program
    .command('analyze')
    .description('Analyse a capture (pcap, pcapng, either gzip-compressed) or tcpdump text and write a report')
    .argument('[file]', 'capture or tcpdump text file; "-" or nothing reads standard input (a terminal only with "-": paste, then Ctrl-D)')
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
      code = await runAnalyze(file, flags, host);
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
      code = await runDiff(before, after, flags, host);
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
      host.writeErr(`dnstrace: ${e.message}\n`);
      return EXIT.usage;
    }
    host.writeErr(`dnstrace: internal error (please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
