import { read } from 'node:fs';

/** The size of each buffer reads fill: a pipe gives at most its own buffer (64 KiB on Linux) a read, a file all of it. */
const READ_BYTES = 1 << 20;

/**
 * A file descriptor's bytes as they are taken. Reading goes on while the consumer works on the
 * chunk before it: from a pipe, a read waiting for the consumer would leave the writer (`cat F |`,
 * tcpdump) stopped on a full 64 KiB pipe for every chunk. Still at most 1 MiB ahead: a fast
 * writer into a pipe is held back by the pipe, never by memory. Reads fill a 1 MiB buffer from
 * front to back and each chunk is a view of the part read since the last one, never written
 * again: the consumer may keep it. A
 * descriptor someone made non-blocking (shared with a Node parent) answers EAGAIN when empty:
 * the reader waits a little and tries again.
 */
export async function* readFd(fd: number): AsyncIterable<Uint8Array> {
  const state: ReadState = { buffer: Buffer.allocUnsafe(READ_BYTES), start: 0, end: 0, done: false, failure: null, reading: false, wake: null };
  for (;;) {
    if (!state.reading && !state.done && state.end < state.buffer.length) {
      state.reading = true;
      void readAhead(fd, state).then(() => {
        state.reading = false;
        wake(state);
      });
    }
    if (state.end > state.start) {
      const chunk = state.buffer.subarray(state.start, state.end);
      state.start = state.end;
      yield chunk;
    } else if (state.done) {
      if (state.failure !== null) throw state.failure;
      return;
    } else if (state.reading) {
      await new Promise<void>((resolve) => {
        state.wake = resolve;
      });
    } else {
      // Full and handed over, with no read under way (reads write into the buffer they began with).
      state.buffer = Buffer.allocUnsafe(READ_BYTES);
      state.start = state.end = 0;
    }
  }
}

interface ReadState {
  buffer: Buffer;
  /** The first byte not yet handed to the consumer. */
  start: number;
  /** The first byte not yet read. */
  end: number;
  done: boolean;
  failure: unknown;
  /** A readAhead is under way (it ends when the buffer is full, the input ends or a read fails). */
  reading: boolean;
  /** The consumer waiting for bytes, woken after each read. */
  wake: (() => void) | null;
}

function wake(state: ReadState): void {
  const resolve = state.wake;
  state.wake = null;
  resolve?.();
}

/**
 * Reads into the free part of the buffer until it is full, the input ends or a read fails. The
 * consumer meanwhile takes what is there: from a pipe that is many 64 KiB reads at once, so a
 * chunk costs the analysis what a file's 1 MiB chunk does.
 */
async function readAhead(fd: number, state: ReadState): Promise<void> {
  const buffer = state.buffer;
  let pauseMs = 1;
  while (state.end < buffer.length) {
    try {
      const n = await readInto(fd, buffer, state.end);
      if (n === 0) {
        state.done = true;
        return;
      }
      state.end += n;
      pauseMs = 1;
      wake(state);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        state.failure = e;
        state.done = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 16);
    }
  }
}

function readInto(fd: number, buffer: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, offset, buffer.length - offset, null, (e, n) => (e ? reject(e) : resolve(n))));
}
