import { open, stat } from 'node:fs/promises';
import { sniffFormat } from '../../input/sniff.js';
import { HEAP_LIMIT_ENV } from './heap-limits.js';

/** The environment variable that pins the thread the CLI runs in: `main` or `worker`. */
export const THREAD_ENV = 'DNSTRACE_THREAD';

/**
 * The most bytes of input a run may read and still run in the main thread, with V8's own heap
 * limits. Below about 20,000 messages, a main-thread run peaks at no more RSS than the same run
 * in the worker with its limited heap (which carries a second heap and thread of its own); above
 * it, V8's default room to grow between collections costs more than the worker saves. 20,000
 * messages are 2.8 MB of pcap and 1.9 MB of tcpdump text; 1 MiB leaves room for both, and for
 * traffic heavier than the measured one (README, "Memory: a worker with a limited heap").
 */
export const MAIN_THREAD_MAX_BYTES = 1 << 20;

/** What bin/dnstrace.js needs to know of a path on the command line: null when it names nothing. */
export interface PathFacts {
  /** A regular file, whose size is known and final (not a FIFO, device, socket or directory). */
  readonly regular: boolean;
  /** The bytes a run reads from it: a gzip file's uncompressed size. */
  readonly bytes: number;
}

export type Thread = 'main' | 'worker';

/**
 * Where the CLI runs: the main thread when the run cannot need the worker's heap limit, so it
 * starts without the worker and the second heap. That is when no argument is `-` (standard
 * input: any length), at least one argument names a regular file, every argument that names an
 * existing path names a regular file (a FIFO, `/dev/fd/N` of `<(tcpdump ...)`, a device or a
 * directory may be any length, or is an error the worker reports as well), their sizes add up to
 * at most `MAIN_THREAD_MAX_BYTES`, and no heap limit was asked for. Options' values count like
 * any argument: a few small files more only make the choice more careful. `THREAD_ENV` overrides
 * all of it; any other value of it is a usage error, returned as its message.
 */
export function chooseThread(args: readonly string[], env: NodeJS.ProcessEnv, factsOf: (path: string) => PathFacts | null): Thread | string {
  const pinned = env[THREAD_ENV];
  if (pinned === 'main' || pinned === 'worker') return pinned;
  if (pinned !== undefined && pinned !== '') return `${THREAD_ENV}=${pinned}: give main or worker (or leave it unset: dnstrace chooses by the input's size)`;
  // Only the worker has a heap limit to set.
  const heapLimit = env[HEAP_LIMIT_ENV];
  if (heapLimit !== undefined && heapLimit !== '') return 'worker';
  let bytes = 0;
  let files = 0;
  for (const arg of args) {
    if (arg === '-') return 'worker';
    const facts = factsOf(arg);
    if (facts === null) continue;
    if (!facts.regular) return 'worker';
    files++;
    bytes += facts.bytes;
    if (bytes > MAIN_THREAD_MAX_BYTES) return 'worker';
  }
  return files > 0 ? 'main' : 'worker';
}

/** chooseThread with the facts of every argument, from the file system. */
export async function chooseThreadFor(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Thread | string> {
  const facts = new Map(await Promise.all(args.map(async (arg) => [arg, await pathFacts(arg)] as const)));
  return chooseThread(args, env, (path) => facts.get(path) ?? null);
}

/**
 * PathFacts from the file system, following symbolic links as opening the path would. A path
 * that cannot be looked at (no permission, a file where a directory should be) names nothing
 * here: the CLI reports it when it opens the path, in either thread.
 */
export async function pathFacts(path: string): Promise<PathFacts | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { regular: false, bytes: info.size };
    return { regular: true, bytes: Math.max(info.size, (await gunzippedSize(path, info.size)) ?? 0) };
  } catch {
    return null;
  }
}

/** The smallest gzip file: a 10-byte header and an 8-byte trailer. */
const GZIP_MIN_BYTES = 18;

/**
 * A gzip file's uncompressed size, from its trailer (RFC 1952: the size modulo 2^32, of the last
 * member only, so a file of several members counts as its last one); null for any other file.
 * A capture compresses about five times: counted by its own size, a 1 MiB gzip would be 5 MiB
 * of input.
 */
async function gunzippedSize(path: string, size: number): Promise<number | null> {
  if (size < GZIP_MIN_BYTES) return null;
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(4);
    if ((await file.read(bytes, 0, 2, 0)).bytesRead !== 2 || sniffFormat(bytes.subarray(0, 2)) !== 'gzip') return null;
    return (await file.read(bytes, 0, 4, size - 4)).bytesRead === 4 ? bytes.readUInt32LE(0) : null;
  } finally {
    await file.close();
  }
}
