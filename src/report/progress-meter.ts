import { plural } from './format-numbers.js';

export interface ProgressOptions {
  /** Input size when known (a file), null for a pipe. */
  totalBytes: number | null;
  /** Writes to the terminal (stderr); only called when stderr is a terminal. */
  write: (text: string) => void;
  /** Nothing is shown for inputs read faster than this: a small file never flickers. */
  delayMs?: number;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Passes chunks through unchanged while showing how much has been read, on one line that is
 * rewritten in place and erased at the end. Shown only after `delayMs`, so only large inputs
 * get it; the caller only uses it when stderr is a terminal.
 */
export async function* trackProgress(chunks: AsyncIterable<Uint8Array>, opts: ProgressOptions): AsyncIterable<Uint8Array> {
  const now = opts.now ?? Date.now;
  const start = now();
  const delay = opts.delayMs ?? 1000;
  const interval = opts.intervalMs ?? 250;
  let read = 0;
  let lastShown = -Infinity;
  let shown = false;
  try {
    for await (const chunk of chunks) {
      read += chunk.length;
      const t = now();
      if (t - start >= delay && t - lastShown >= interval) {
        opts.write(`\r\x1b[Kdnstrace: ${formatProgress(read, opts.totalBytes)}`);
        lastShown = t;
        shown = true;
      }
      yield chunk;
    }
  } finally {
    if (shown) opts.write('\r\x1b[K');
  }
}

/** "read 12.5 MB of 50.0 MB (25%)" or "read 12.5 MB" for a pipe. */
export function formatProgress(read: number, total: number | null): string {
  const mb = (n: number) => (n < 1_000_000 ? plural(Math.round(n / 1000), 'kB', 'kB') : `${(n / 1_000_000).toFixed(1)} MB`);
  if (total === null || total <= 0) return `read ${mb(read)}`;
  return `read ${mb(read)} of ${mb(total)} (${Math.min(100, Math.floor((read / total) * 100))}%)`;
}
