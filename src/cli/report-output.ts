import { closeSync, openSync, writeSync } from 'node:fs';
import type { ReportDestination } from '../write-report.js';
import { UsageError } from './usage-error.js';

/**
 * A report's small pieces (one per record) are gathered into writes of about this many
 * characters: a system call per record would cost more than the record.
 */
const BATCH_CHARS = 1 << 16;

/**
 * Standard output or the file of -o, as a ReportDestination: writes batched; backpressure from a
 * slow reader (`| less`) passed on through `ready`; a reader that stops early (`| head`) a quiet
 * end; any other write error (a full disk) one UsageError. The file is written synchronously, so
 * the analysis goes no faster than the disk and nothing piles up in memory; it is created on the
 * first write, so an input that is not a capture leaves no empty report behind.
 */
export class ReportOutput implements ReportDestination {
  private parts: string[] = [];
  private chars = 0;
  private fd: number | null = null;

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
    // A pipe is written synchronously on Linux (the write waits for the reader); elsewhere, and
    // for a socket, Node buffers it, and the analysis waits here until the reader caught up.
    const stream = this.path === undefined && !stdoutGone ? process.stdout : null;
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
      const fd = this.fd ?? this.open(this.path);
      this.fd = null;
      this.attempt(() => closeSync(fd));
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
    if (this.path === undefined) {
      if (!stdoutGone) process.stdout.write(data);
      return;
    }
    const fd = this.fd ?? this.open(this.path);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.attempt(() => {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    });
  }

  private open(path: string): number {
    this.fd = this.attempt(() => openSync(path, 'w', 0o666));
    return this.fd;
  }

  /** A file that cannot be opened or written (no such directory, no permission, a full disk) is the user's to fix. */
  private attempt<T>(io: () => T): T {
    try {
      return io();
    } catch (e) {
      throw new UsageError(`cannot write ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  private throwIfFailed(): void {
    if (this.path === undefined && stdoutError) {
      throw new UsageError(`cannot write standard output: ${(stdoutError as NodeJS.ErrnoException).code ?? stdoutError.message}`);
    }
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
