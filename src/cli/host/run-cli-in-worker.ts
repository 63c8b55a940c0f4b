import { Worker } from 'node:worker_threads';
import { type GuardedDirectory, makeGuardedDirectory } from '../temp-spool.js';
import { EXIT } from '../../exit-codes.js';
import { DEFAULT_MAX_HEAP_MB, HEAP_LIMIT_ENV, heapLimits } from './heap-limits.js';
import { streamFacts } from './stream-facts.js';
import type { CliWorkerData, DirectoryMade, WorkerMessage } from './worker-messages.js';

/**
 * Runs the CLI (`main(argv)` of cli.js) in a worker thread whose heap is limited, and returns its
 * exit code. Why a worker: V8 sizes a heap's room to grow from its limit, and Node's default
 * limit lets an ordinary run's peak RSS reach twice what a 1 GB limit gives (see heap-limits.ts);
 * the limit can only be set when a heap is made, and a worker starts in a fraction of the time
 * of a second Node process. This thread keeps what only it can do: it receives signals (and so
 * makes and removes the JSON report's temporary directory), and it reports a worker that ran out
 * of memory in one line. It loads nothing else, so that its own heap stays small.
 */
export function runCliInWorker(argv: readonly string[]): Promise<number> {
  const limits = heapLimits(process.env);
  if (typeof limits === 'string') {
    process.stderr.write(`dnstrace: ${limits}\n`);
    return Promise.resolve(EXIT.usage);
  }
  const workerData: CliWorkerData = { argv: [...argv], streams: streamFacts() };
  // The bundle of cli-worker.js that `npm run build` writes (scripts/build/bundle-cli.mjs): one
  // file starts faster than the hundred modules it joins.
  const worker = new Worker(new URL('../../cli-worker.bundle.js', import.meta.url), { workerData, resourceLimits: limits });
  const directories = new Map<string, GuardedDirectory>();
  let code: number | null = null;
  return new Promise((resolve) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'make-directory') worker.postMessage(makeDirectory(m.id, m.base, directories));
      else if (m.kind === 'remove-directory') removeDirectory(m.path, directories);
      else {
        // The CLI is done and its output written (synchronously). What may be left in the worker
        // is a read of standard input that waits for bytes no one will use (the input was found
        // to be no capture): not a reason to stay, and a worker ends only when that read does,
        // so bin/dnstrace.js exits the process with this code rather than waiting for 'exit'.
        code = m.code;
        for (const path of [...directories.keys()]) removeDirectory(path, directories);
        resolve(code);
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      code = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? EXIT.outOfMemory : EXIT.internal;
      process.stderr.write(code === EXIT.outOfMemory ? outOfMemoryLine(limits.maxOldGenerationSizeMb) : `dnstrace: internal error (please report it):\n${e.stack ?? String(e)}\n`);
    });
    worker.on('exit', () => {
      // A worker that ran out of memory, or failed, never ran its own clean-up.
      for (const path of [...directories.keys()]) removeDirectory(path, directories);
      resolve(code ?? EXIT.internal);
    });
  });
}

function makeDirectory(id: number, base: string, directories: Map<string, GuardedDirectory>): DirectoryMade {
  try {
    const dir = makeGuardedDirectory(base);
    directories.set(dir.path, dir);
    return { kind: 'directory', id, path: dir.path };
  } catch (e) {
    return { kind: 'directory', id, error: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message } };
  }
}

function removeDirectory(path: string, directories: Map<string, GuardedDirectory>): void {
  directories.get(path)?.remove();
  directories.delete(path);
}

function outOfMemoryLine(limitMb: number | undefined): string {
  const limit = limitMb ?? DEFAULT_MAX_HEAP_MB;
  return `dnstrace: out of memory: the analysis needed more than its heap limit of ${limit} MB; run it again with ${HEAP_LIMIT_ENV}=${limit * 4} (or 0 for no limit of dnstrace's own)\n`;
}
