import { Socket, type SocketConstructorOpts } from 'node:net';
import type { DuplexOptions } from 'node:stream';

/** How far ahead of the consumer a pipe is read, as readFd reads a file a buffer ahead. */
const READ_AHEAD_BYTES = 1 << 20;

/**
 * A pipe's or socket's bytes (`tcpdump -w - | dnstrace analyze -`), read through the event loop
 * rather than the thread pool. A read waiting in the thread pool cannot be called back, and the
 * pool is joined when the process exits: a run that stopped early (binary input refused, a
 * fatal input error) would print its error and then stay until the writer wrote again or closed
 * the pipe. An event-loop handle just closes. The stream keeps reading while the consumer works,
 * up to READ_AHEAD_BYTES, so the writer is not stopped on a full pipe for every chunk, and each
 * chunk given is everything read since the last one (a 64 KiB pipe read at a time, joined).
 */
export function readPipe(fd: number): AsyncIterable<Uint8Array> {
  // net.Socket passes its options on to stream.Duplex, whose read-ahead limit its type does not list.
  const options: SocketConstructorOpts & DuplexOptions = { fd, readable: true, writable: false, readableHighWaterMark: READ_AHEAD_BYTES };
  return new Socket(options);
}
