import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDescriptor } from '../../../src/cli/host/read-descriptor.js';
import { readFd } from '../../../src/cli/host/read-fd.js';
import { pipeFrom } from './pipe-from.js';

const dir = mkdtempSync(join(tmpdir(), 'dnstrace-read-fd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// readFd reads any descriptor in the thread pool; readDescriptor, what the worker reads standard
// input with, reads a pipe through the event loop instead (and closes it when done).
describe.each([
  { reader: 'readFd', read: readFd, closesPipe: false },
  { reader: 'readDescriptor', read: readDescriptor, closesPipe: true },
])('$reader', ({ read, closesPipe }) => {
  it('gives a file\'s bytes exactly, in chunks of at most 1 MiB', async () => {
    const bytes = randomBytes(3_500_000);
    const file = join(dir, 'file.bin');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    const chunks: Uint8Array[] = [];
    for await (const c of read(fd)) chunks.push(c);
    closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1 << 20);
  });

  it('keeps reading a pipe while the consumer works, so a slow consumer takes many pipe reads as one chunk of at most 1 MiB, and every chunk stays as it was given', async () => {
    const bytes = randomBytes(3_000_000);
    const { fd, done } = pipeFrom(dir, bytes, 16_384, 0);
    const chunks: Uint8Array[] = [];
    const copies: Buffer[] = [];
    for await (const c of read(fd)) {
      chunks.push(c);
      copies.push(Buffer.from(c));
      // A consumer slower than the writer: the reads go on meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await done;
    if (!closesPipe) closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    // Chunks are views the reader never writes again: what the consumer kept is unchanged.
    chunks.forEach((c, i) => expect(Buffer.from(c).equals(copies[i]!)).toBe(true));
    // A pipe gives at most 64 KiB a read; the consumer got much more at a time.
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(256 * 1024);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1 << 20);
  });

  it('hands over what has arrived without waiting for a full buffer when the writer is slow', async () => {
    const bytes = randomBytes(40_000);
    const { fd, done } = pipeFrom(dir, bytes, 1_000, 5);
    const chunks: Uint8Array[] = [];
    for await (const c of read(fd)) chunks.push(c);
    await done;
    if (!closesPipe) closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
  });
});
