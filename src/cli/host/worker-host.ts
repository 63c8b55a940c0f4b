import type { MessagePort } from 'node:worker_threads';
import type { CliHost } from '../cli-host.js';
import { FdStdoutSink, writeAllSync } from '../report-output.js';
import type { GuardedDirectory } from '../temp-spool.js';
import { readDescriptor } from './read-descriptor.js';
import type { DirectoryMade, MakeDirectoryRequest, RemoveDirectoryRequest, StreamFacts } from './worker-messages.js';

/**
 * The CLI's host in a worker thread. A worker's process.stdout and process.stderr post every
 * write to the main thread, which queues them without limit, and its process.stdin is not the
 * real one; so the worker reads file descriptor 0 and writes 1 and 2 itself, synchronously as
 * Node writes files, terminals and (on Linux) pipes: a slow reader holds the analysis back in
 * write(2), and a fast writer is read no faster than the analysis takes it. What the main thread
 * knows of the streams (terminal or not, width) comes with the worker's data.
 */
export function workerHost(streams: StreamFacts, port: MessagePort): CliHost {
  return {
    ...streams,
    readStdin: () => readDescriptor(0),
    stdout: new FdStdoutSink(1),
    writeOut: (text) => writeIgnoringErrors(1, text),
    writeErr: (text) => writeIgnoringErrors(2, text),
    makeGuardedDirectory: (base) => requestDirectory(port, base),
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

let nextRequest = 0;

/** Asks the main thread for a directory that a signal removes; removing it is the main thread's job too. */
function requestDirectory(port: MessagePort, base: string): Promise<GuardedDirectory> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    const onMessage = (m: DirectoryMade): void => {
      if (m.kind !== 'directory' || m.id !== id) return;
      // Listening keeps the worker alive: only while an answer is due.
      port.off('message', onMessage);
      if (m.path === undefined) {
        reject(Object.assign(new Error(m.error?.message ?? 'no directory'), { code: m.error?.code }));
        return;
      }
      const path = m.path;
      resolve({ path, remove: () => port.postMessage({ kind: 'remove-directory', path } satisfies RemoveDirectoryRequest) });
    };
    port.on('message', onMessage);
    port.postMessage({ kind: 'make-directory', id, base } satisfies MakeDirectoryRequest);
  });
}
