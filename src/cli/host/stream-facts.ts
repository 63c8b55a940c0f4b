import { isatty } from 'node:tty';
import type { StreamFacts } from './worker-messages.js';

/** Standard streams as the main thread sees them (in a worker they are not terminals). */
export function streamFacts(): StreamFacts {
  const stdoutIsTTY = isatty(1);
  const stderrIsTTY = isatty(2);
  return {
    stdinIsTTY: isatty(0),
    stdoutIsTTY,
    // process.stdout is made only for a terminal: for a pipe, Node would make descriptor 1 non-blocking.
    stdoutColumns: stdoutIsTTY ? process.stdout.columns : undefined,
    stderrIsTTY,
    stderrColumns: stderrIsTTY ? process.stderr.columns : undefined,
  };
}
