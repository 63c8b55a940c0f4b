import { closeSync, openSync, writeSync } from 'node:fs';
import type { ReportDestination } from '../write-report.js';
import { UsageError } from './usage-error.js';

/**
 * A report's small pieces (one per record) are gathered into writes of about this many
 * characters: a system call per record would cost more than the record.
 */
const BATCH_CHARS = 1 << 16;

/** Where ReportOutput's batches go: the file of -o, or standard output (see cli-host.ts). */
export interface ByteSink {
  /** Writes or buffers the data; a failure the user can fix is a UsageError, now or from ready() or end(). */
  put(data: string | Uint8Array): void;
  /** When the other end is full (a slow pipe), a promise that settles once it can take more. */
  ready(): Promise<void> | undefined;
  /** Waits until everything put is written (or dropped, for a reader that went away). */
  end(): Promise<void>;
  /** put() has written (or dropped) the data when it returns: the caller may reuse its buffer. */
  readonly synchronous: boolean;
}

/** A report's destination: its pieces batched into a ByteSink's writes. */
export class ReportOutput implements ReportDestination {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly sink: ByteSink) {}

  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.flush();
      this.sink.put(chunk);
      return;
    }
    this.parts.push(chunk);
    this.chars += chunk.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  ready(): Promise<void> | undefined {
    return this.sink.ready();
  }

  /** A binary chunk is written when write() returns: see ByteSink.synchronous. */
  get synchronous(): boolean {
    return this.sink.synchronous;
  }

  /** Writes what is left and waits until it is written. */
  async end(): Promise<void> {
    this.flush();
    await this.sink.end();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.chars = 0;
    this.sink.put(text);
  }
}

/**
 * The file of -o, written synchronously, so the analysis goes no faster than the disk and
 * nothing piles up in memory; created on the first write, so an input that is not a capture
 * leaves no empty report behind. A file that cannot be opened or written (no such directory, no
 * permission, a full disk) is the user's to fix: one UsageError.
 */
export class FileSink implements ByteSink {
  readonly synchronous = true;
  private fd: number | null = null;

  constructor(private readonly path: string) {}

  put(data: string | Uint8Array): void {
    const fd = this.fd ?? this.open();
    this.attempt(() => writeAllSync(fd, data));
  }

  ready(): undefined {
    return undefined;
  }

  async end(): Promise<void> {
    const fd = this.fd ?? this.open();
    this.fd = null;
    this.attempt(() => closeSync(fd));
  }

  private open(): number {
    this.fd = this.attempt(() => openSync(this.path, 'w', 0o666));
    return this.fd;
  }

  private attempt<T>(io: () => T): T {
    try {
      return io();
    } catch (e) {
      throw new UsageError(`cannot write ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
}

/**
 * Standard output as a file descriptor written synchronously, where process.stdout is not the
 * real one (a worker thread's posts its writes to the main thread, with no backpressure): a slow
 * reader holds the writer back in write(2) itself. A reader that stops early (`| head`) is
 * normal use, and the rest is dropped quietly; any other write error (a full disk behind `>`)
 * is one UsageError.
 */
export class FdStdoutSink implements ByteSink {
  readonly synchronous = true;
  private gone = false;

  constructor(private readonly fd: number) {}

  put(data: string | Uint8Array): void {
    if (this.gone) return;
    try {
      writeAllSync(this.fd, data);
    } catch (e) {
      if (isEpipe(e as Error)) this.gone = true;
      else throw new UsageError(`cannot write standard output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  ready(): undefined {
    return undefined;
  }

  async end(): Promise<void> {}
}

/**
 * Writes all of `data` to `fd`. A descriptor someone made non-blocking (a pipe or terminal
 * shared with a Node parent, or touched by this process' main thread) answers EAGAIN when full:
 * the writer then sleeps a little and tries again, so a slow reader still holds it back and
 * nothing piles up in memory. Other errors are thrown.
 */
export function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let pauseMs = 1;
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
      pauseMs = 1;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      sleepSync(pauseMs);
      pauseMs = Math.min(pauseMs * 2, 16);
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread for `ms`: Node has no way to wait for a descriptor to be writable synchronously. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

// ---- process.stdout, for the CLI run in the main thread (`main(argv)` imported) ---------------

/**
 * Standard output through process.stdout: backpressure from a slow reader (`| less`) passed on
 * through `ready`; a reader that stops early (`| head`) a quiet end; any other write error (a
 * full disk) one UsageError.
 */
export class ProcessStdoutSink implements ByteSink {
  readonly synchronous = false;

  constructor() {
    watchStdout();
  }

  put(data: string | Uint8Array): void {
    if (!stdoutGone) process.stdout.write(data);
  }

  ready(): Promise<void> | undefined {
    throwIfStdoutFailed();
    // A pipe is written synchronously on Linux (the write waits for the reader); elsewhere, and
    // for a socket, Node buffers it, and the analysis waits here until the reader caught up.
    const stream = stdoutGone ? null : process.stdout;
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

  async end(): Promise<void> {
    if (!stdoutGone) {
      await new Promise<void>((resolve) =>
        process.stdout.write('', (e) => {
          if (e && !isEpipe(e)) stdoutError ??= e;
          resolve();
        }),
      );
    }
    throwIfStdoutFailed();
  }
}

/** Set when the reader of stdout closed it (EPIPE): the rest of the report is dropped quietly. */
let stdoutGone = false;
/** Any other error met writing stdout (a full disk behind `>`): reported as a usage error. */
let stdoutError: Error | null = null;

function isEpipe(err: Error): boolean {
  return (err as NodeJS.ErrnoException).code === 'EPIPE';
}

function throwIfStdoutFailed(): void {
  if (stdoutError) throw new UsageError(`cannot write standard output: ${(stdoutError as NodeJS.ErrnoException).code ?? stdoutError.message}`);
}

/**
 * A reader that stops early (head, less quitting) is normal use, not a crash: without a handler
 * Node throws EPIPE as an unhandled 'error' event and exits 1, the --fail-on code. Other write
 * errors are reported by the next ProcessStdoutSink call that meets them.
 */
export function watchStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (err: Error) => {
    if (isEpipe(err)) stdoutGone = true;
    else stdoutError ??= err;
  });
}
