import type { CliHost } from '../cli-host.js';
import { FdStdoutSink, writeAllSync } from '../report-output.js';
import type { MakeGuardedDirectory } from '../temp-spool.js';
import { readDescriptor } from './read-descriptor.js';
import type { StreamFacts } from './worker-messages.js';

/**
 * The CLI's host as bin/dnstrace.js runs it, in either thread: it reads file descriptor 0
 * (read-descriptor.ts) and writes 1 and 2 itself, synchronously as Node writes files, terminals
 * and (on Linux) pipes. A slow reader holds the analysis back in write(2), and a fast writer is
 * read no faster than the analysis takes it. A worker's process.stdout would post every write to the main thread, which
 * queues them without limit; the main thread's writes a socket asynchronously, through Node's
 * own buffer. One host in both threads keeps what users see the same.
 */
export function fdHost(streams: StreamFacts, makeGuardedDirectory: MakeGuardedDirectory): CliHost {
  return {
    ...streams,
    readStdin: () => readDescriptor(0),
    stdout: new FdStdoutSink(1),
    writeOut: (text) => writeIgnoringErrors(1, text),
    writeErr: (text) => writeIgnoringErrors(2, text),
    makeGuardedDirectory,
  };
}

/** --help into a closed pipe, a warning to a closed stderr: nothing to do and no one to tell. */
function writeIgnoringErrors(fd: number, text: string): void {
  try {
    writeAllSync(fd, text);
  } catch {
    // Deliberately ignored (see above).
  }
}
