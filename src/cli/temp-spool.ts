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
 * A temporary directory that is removed when a signal ends the process, as well as by `remove`.
 * The CLI run in a worker thread asks the main thread for one: signals arrive there only.
 */
export interface GuardedDirectory {
  readonly path: string;
  /** Deletes the directory and what is in it, and stops listening for signals; safe to call more than once. */
  remove(): void;
}

/** Makes a GuardedDirectory under `base` in this thread; throws what mkdtemp throws. */
export type MakeGuardedDirectory = (base: string) => Promise<GuardedDirectory>;

/**
 * The signal handlers go in before the directory is made, and both happen in one synchronous
 * run: a signal can find the directory only once its handler is there to remove it. A signal's
 * handler removes the directory and then lets the signal take its default action, as if we had
 * not been listening: the shell sees the signal.
 */
export function makeGuardedDirectory(base: string): GuardedDirectory {
  let path: string | null = null;
  const remove = (): void => {
    for (const s of ENDING_SIGNALS) process.off(s, onSignal);
    if (path !== null) rmSync(path, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    remove();
    process.kill(process.pid, signal);
  };
  for (const s of ENDING_SIGNALS) process.once(s, onSignal);
  try {
    path = mkdtempSync(join(base, 'dnstrace-'));
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
}

/**
 * The JSON report's lookups, kept in a temporary file (in its own GuardedDirectory under the
 * system's temporary directory) until the transactions are all written: a large capture's lookups
 * are hundreds of megabytes of text. Writes are synchronous, so the file never holds the analysis
 * back nor piles up in memory. `remove` deletes it, and so does a signal that ends the process;
 * the caller removes it when the run ends, whether the run succeeded or not.
 */
export class TempSpool implements LookupSpool {
  readonly synchronous = true;
  private size = 0;

  private constructor(
    private readonly dir: GuardedDirectory,
    private fd: number | null,
    private readonly reusePieces: boolean,
  ) {}

  /** A temporary directory that cannot be made ($TMPDIR missing, read-only, full) is the user's to fix: a UsageError. */
  /**
   * `reusePieces`: the output writes each piece read back before it asks for the next (a file or
   * descriptor written synchronously), so one buffer serves them all. Otherwise each piece is a
   * new buffer, which the output may hold until its reader takes it: read back with hardly any
   * other allocation, hundreds of megabytes of them would wait outside the heap for a collection
   * that nothing else calls for.
   */
  static async create(makeDirectory: MakeGuardedDirectory = async (base) => makeGuardedDirectory(base), reusePieces = false): Promise<TempSpool> {
    const base = tmpdir();
    let dir: GuardedDirectory | null = null;
    try {
      dir = await makeDirectory(base);
      return new TempSpool(dir, openSync(join(dir.path, 'lookups.json'), 'w+', 0o600), reusePieces);
    } catch (e) {
      dir?.remove();
      throw new UsageError(`cannot make a temporary directory in ${base} for the JSON report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /** Writes the bytes at once: the JSON writer hands them on in large pieces. */
  write(bytes: Uint8Array): void {
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd as number, bytes, at, bytes.length - at, this.size + at);
    } catch (e) {
      // A full $TMPDIR is the user's to fix, like a full disk behind -o.
      throw new UsageError(`cannot write the JSON report's temporary file in ${this.dir.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    this.size += bytes.length;
  }

  *read(): Iterable<Uint8Array> {
    let reused: Buffer | null = null;
    for (let at = 0; at < this.size; ) {
      const bytes = Math.min(PIECE_BYTES, this.size - at);
      const piece: Buffer = this.reusePieces ? (reused ??= Buffer.allocUnsafe(PIECE_BYTES)).subarray(0, bytes) : Buffer.allocUnsafe(bytes);
      const n = readSync(this.fd as number, piece, 0, piece.length, at);
      if (n === 0) throw new Error(`the lookups spooled to ${this.dir.path} ended ${this.size - at} bytes early`);
      at += n;
      yield n === piece.length ? piece : piece.subarray(0, n);
    }
  }

  /** Deletes the file and its directory; safe to call more than once. */
  remove(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.dir.remove();
  }
}
