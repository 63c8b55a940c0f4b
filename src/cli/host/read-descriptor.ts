import { fstatSync } from 'node:fs';
import { readFd } from './read-fd.js';
import { readPipe } from './read-pipe.js';

/**
 * A file descriptor's bytes as they are taken: a pipe or socket through the event loop (see
 * readPipe), a file or terminal through reads in the thread pool (readFd), which is how Node
 * itself reads them.
 */
export function readDescriptor(fd: number): AsyncIterable<Uint8Array> {
  let stat;
  try {
    stat = fstatSync(fd);
  } catch {
    // A closed descriptor: readFd's first read fails with the error the user should see.
    return readFd(fd);
  }
  return stat.isFIFO() || stat.isSocket() ? readPipe(fd) : readFd(fd);
}
