import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LookupSpool } from '../write-report.js';
import { UsageError } from './usage-error.js';

/** Spooled text is read back in pieces of this many bytes. */
const PIECE_BYTES = 1 << 16;

/** Signals whose default action ends the process: the spool is removed first. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The JSON report's lookups, kept in a temporary file (in its own directory under the system's
 * temporary directory) until the transactions are all written: a large capture's lookups are
 * hundreds of megabytes of text. Writes are synchronous, so the file never holds the analysis
 * back nor piles up in memory. `remove` deletes it, and so does a signal that ends the process;
 * the caller removes it when the run ends, whether the run succeeded or not.
 */
export class TempSpool implements LookupSpool {
  private size = 0;
  private fd: number | null = null;
  private readonly dir: string;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.remove();
    // The default action, as if we had not been listening: the shell sees the signal.
    process.kill(process.pid, signal);
  };

  /**
   * The signal handlers go in before the directory is made, and both happen in one synchronous
   * run: a signal can find the directory only once its handler is there to remove it.
   */
  private constructor(base: string) {
    for (const s of ENDING_SIGNALS) process.once(s, this.onSignal);
    let dir: string | null = null;
    try {
      dir = mkdtempSync(join(base, 'dnstrace-'));
      this.fd = openSync(join(dir, 'lookups.json'), 'w+', 0o600);
    } catch (e) {
      for (const s of ENDING_SIGNALS) process.off(s, this.onSignal);
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    this.dir = dir;
  }

  /** A temporary directory that cannot be made ($TMPDIR missing, read-only, full) is the user's to fix: a UsageError. */
  static async create(): Promise<TempSpool> {
    const base = tmpdir();
    try {
      return new TempSpool(base);
    } catch (e) {
      throw new UsageError(`cannot make a temporary directory in ${base} for the JSON report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /** Writes the bytes at once: the JSON writer hands them on in large pieces. */
  write(bytes: Uint8Array): void {
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd as number, bytes, at, bytes.length - at, this.size + at);
    } catch (e) {
      // A full $TMPDIR is the user's to fix, like a full disk behind -o.
      throw new UsageError(`cannot write the JSON report's temporary file in ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    this.size += bytes.length;
  }

  *read(): Iterable<Uint8Array> {
    for (let at = 0; at < this.size; ) {
      // A new buffer each time: the output may hold on to it until its reader takes it.
      const piece = Buffer.allocUnsafe(Math.min(PIECE_BYTES, this.size - at));
      const n = readSync(this.fd as number, piece, 0, piece.length, at);
      if (n === 0) throw new Error(`the lookups spooled to ${this.dir} ended ${this.size - at} bytes early`);
      at += n;
      yield n === piece.length ? piece : piece.subarray(0, n);
    }
  }

  /** Deletes the file and its directory; safe to call more than once. */
  remove(): void {
    for (const s of ENDING_SIGNALS) process.off(s, this.onSignal);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
