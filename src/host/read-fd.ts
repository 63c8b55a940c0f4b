import { read } from 'node:fs';

/** Reads of this many bytes: a pipe gives at most its buffer (64 KiB on Linux), a file all of it. */
const READ_BYTES = 1 << 20;

/**
 * A file descriptor's bytes as they are taken, one read at a time: a fast writer into a pipe is
 * held back by the pipe, never by memory. Each chunk is the consumer's to keep. A descriptor
 * someone made non-blocking (shared with a Node parent) answers EAGAIN when empty: the reader
 * waits a little and tries again.
 */
export async function* readFd(fd: number): AsyncIterable<Uint8Array> {
  let buffer = Buffer.allocUnsafe(READ_BYTES);
  let pauseMs = 1;
  for (;;) {
    let n: number;
    try {
      n = await readInto(fd, buffer);
      pauseMs = 1;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 16);
      continue;
    }
    if (n === 0) return;
    if (n === buffer.length) {
      yield buffer;
      buffer = Buffer.allocUnsafe(READ_BYTES);
    } else {
      // A copy the size of what was read: the chunk may be kept, and the large buffer is reused.
      yield Buffer.from(buffer.subarray(0, n));
    }
  }
}

function readInto(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, null, (e, n) => (e ? reject(e) : resolve(n))));
}
