import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ReportDestination } from '../write-report.js';
import { UsageError } from './usage-error.js';

/**
 * A report's small pieces (one per record) are gathered into writes of about this many
 * characters: a system call per record would cost more than the record.
 */
const BATCH_CHARS = 1 << 16;

/**
 * Standard output or the file of -o, as a ReportDestination: writes batched, backpressure from a
 * slow reader (`| less`) passed on through `ready`, a reader that stops early (`| head`) a quiet
 * end, and any other write error (a full disk) one UsageError. The file is created on the first
 * write, so an input that is not a capture leaves no empty report behind.
 */
export class ReportOutput implements ReportDestination {
  private parts: string[] = [];
  private chars = 0;
  private file: Writable | null = null;
  private fileError: Error | null = null;

  /** `path`: the file of -o; undefined for standard output. */
  constructor(private readonly path: string | undefined) {}

  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.flush();
      this.put(chunk);
      return;
    }
    this.parts.push(chunk);
    this.chars += chunk.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  ready(): Promise<void> | undefined {
    this.throwIfFailed();
    const stream = this.path === undefined ? (stdoutGone ? null : process.stdout) : this.file;
    if (stream === null || !stream.writableNeedDrain) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  }

  /** Writes what is left and waits until it is written. */
  async end(): Promise<void> {
    this.flush();
    if (this.path !== undefined) {
      const file = this.file ?? this.open(this.path);
      await new Promise<void>((resolve) => {
        file.once('error', () => resolve());
        file.end(() => resolve());
      });
    } else if (!stdoutGone) {
      await new Promise<void>((resolve) =>
        process.stdout.write('', (e) => {
          if (e && !isEpipe(e)) stdoutError ??= e;
          resolve();
        }),
      );
    }
    this.throwIfFailed();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.chars = 0;
    this.put(text);
  }

  private put(data: string | Uint8Array): void {
    if (this.path !== undefined) (this.file ?? this.open(this.path)).write(data);
    else if (!stdoutGone) process.stdout.write(data);
  }

  private open(path: string): Writable {
    const file = createWriteStream(path);
    file.on('error', (e) => (this.fileError ??= e));
    this.file = file;
    return file;
  }

  private throwIfFailed(): void {
    const e = this.path === undefined ? stdoutError : this.fileError;
    if (e) throw new UsageError(`cannot write ${this.path ?? 'standard output'}: ${(e as NodeJS.ErrnoException).code ?? e.message}`);
  }
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
 * errors are reported by the next ReportOutput call that meets them.
 */
export function watchStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (err: Error) => {
    if (isEpipe(err)) stdoutGone = true;
    else stdoutError ??= err;
  });
}
