import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Source } from '../pipeline.js';
import type { CliHost } from './cli-host.js';
import { UsageError } from './usage-error.js';

/**
 * A file, or standard input for "-" or no name (a terminal only when named "-"); `size` (a
 * file's) lets the progress meter show a percentage.
 */
export async function openSource(file: string | undefined, host: CliHost): Promise<Source & { size?: number }> {
  if (file === undefined || file === '-') {
    // With no file named, a terminal on stdin is a forgotten argument, not an input to wait for.
    // Named as "-", it is text to paste: read until Ctrl-D, as `cat -` would.
    if (host.stdinIsTTY && file === undefined) throw new UsageError('no input: give a capture file, pipe tcpdump output into dnstrace analyze, or give - and paste tcpdump text');
    if (host.stdinIsTTY && host.stderrIsTTY) host.writeErr('dnstrace: reading the terminal: paste what tcpdump printed, then press Ctrl-D on a line of its own\n');
    return { name: '-', chunks: host.readStdin() };
  }
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'cannot open');
    throw new UsageError(`${file}: ${why}`);
  }
  if (info.isDirectory()) throw new UsageError(`${file}: is a directory, not a capture`);
  return { name: file, chunks: createReadStream(file, { highWaterMark: 1 << 20 }), size: info.size };
}
