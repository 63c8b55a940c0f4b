import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Source } from '../pipeline.js';
import type { CliHost } from './cli-host.js';
import { UsageError } from './usage-error.js';

/** A file, or standard input for "-" or no name; `size` (a file's) lets the progress meter show a percentage. */
export async function openSource(file: string | undefined, host: CliHost): Promise<Source & { size?: number }> {
  if (file === undefined || file === '-') {
    if (host.stdinIsTTY) throw new UsageError('no input: give a capture file, or pipe tcpdump output into dnstrace analyze');
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
