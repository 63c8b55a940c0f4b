import type { MessagePort } from 'node:worker_threads';
import type { CliHost } from '../cli-host.js';
import type { GuardedDirectory } from '../temp-spool.js';
import { fdHost } from './fd-host.js';
import type { DirectoryMade, MakeDirectoryRequest, RemoveDirectoryRequest, StreamFacts } from './worker-messages.js';

/**
 * The CLI's host in a worker thread: standard streams through their descriptors (fd-host.ts),
 * what the main thread knows of them (terminal or not, width) from the worker's data, and
 * temporary directories made and removed by the main thread, where signals arrive.
 */
export function workerHost(streams: StreamFacts, port: MessagePort): CliHost {
  return fdHost(streams, (base) => requestDirectory(port, base));
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
