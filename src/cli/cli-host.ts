import { ProcessStdoutSink, type ByteSink, watchStdout } from './report-output.js';
import { type MakeGuardedDirectory, makeGuardedDirectory } from './temp-spool.js';

/**
 * What the CLI needs of the process it runs in: standard input, output and error, what they are
 * connected to, and temporary directories removed by a signal. The CLI runs in the main thread
 * when `main(argv)` is imported (tests, library use), and in a worker thread when started from
 * bin/dnstrace.js; there process.stdin and process.stdout are not the real ones, and signals
 * arrive at the main thread only.
 */
export interface CliHost {
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  /** The terminal's width, when standard output is a terminal. */
  readonly stdoutColumns: number | undefined;
  readonly stderrIsTTY: boolean;
  readonly stderrColumns: number | undefined;
  /** Standard input's bytes, read as they are taken. */
  readStdin(): AsyncIterable<Uint8Array>;
  /** Standard output for a report: the host's one sink, however many reports use it. */
  readonly stdout: ByteSink;
  /** --help and --version. */
  writeOut(text: string): void;
  /** Warnings, errors and the progress meter. */
  writeErr(text: string): void;
  makeGuardedDirectory: MakeGuardedDirectory;
}

/** The host of a CLI run in the main thread: process.stdin, process.stdout and process.stderr themselves. */
export function processHost(): CliHost {
  watchStdout();
  return {
    // Getters: process.stdin is made (and opened) only when a run reads it.
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    get stdoutIsTTY() {
      return process.stdout.isTTY === true;
    },
    get stdoutColumns() {
      return process.stdout.isTTY ? process.stdout.columns : undefined;
    },
    get stderrIsTTY() {
      return process.stderr.isTTY === true;
    },
    get stderrColumns() {
      return process.stderr.isTTY ? process.stderr.columns : undefined;
    },
    readStdin: () => process.stdin,
    stdout: new ProcessStdoutSink(),
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    makeGuardedDirectory: async (base) => makeGuardedDirectory(base),
  };
}
