import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFd } from '../../../src/cli/host/read-fd.js';

const dir = mkdtempSync(join(tmpdir(), 'dnstrace-read-fd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fifos = 0;

/**
 * A named pipe that a child writes `bytes` into in pieces of `piece` bytes, pausing `pauseMs`
 * between them, and the reading end of it: as `tcpdump -w - | dnstrace analyze -` gives stdin.
 */
function pipeFrom(bytes: Buffer, piece: number, pauseMs: number): { fd: number; done: Promise<void> } {
  const file = join(dir, `in-${++fifos}`);
  const fifo = join(dir, `fifo-${fifos}`);
  writeFileSync(file, bytes);
  execFileSync('mkfifo', [fifo]);
  const script = `const fs=require('fs');const b=fs.readFileSync(${JSON.stringify(file)});const fd=fs.openSync(${JSON.stringify(fifo)},'w');let o=0;` +
    `(function next(){if(o>=b.length){fs.closeSync(fd);return;}fs.writeSync(fd,b.subarray(o,o+${piece}));o+=${piece};setTimeout(next,${pauseMs});})();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Opening the reading end waits for the child to open the writing end.
  return { fd: openSync(fifo, 'r'), done };
}

describe('readFd', () => {
  it('gives a file\'s bytes exactly, in chunks of at most 1 MiB', async () => {
    const bytes = randomBytes(3_500_000);
    const file = join(dir, 'file.bin');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    const chunks: Uint8Array[] = [];
    for await (const c of readFd(fd)) chunks.push(c);
    closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1 << 20);
  });

  it('keeps reading a pipe while the consumer works, so a slow consumer takes many pipe reads as one chunk, and every chunk stays as it was given', async () => {
    const bytes = randomBytes(2_000_000);
    const { fd, done } = pipeFrom(bytes, 16_384, 0);
    const chunks: Uint8Array[] = [];
    const copies: Buffer[] = [];
    for await (const c of readFd(fd)) {
      chunks.push(c);
      copies.push(Buffer.from(c));
      // A consumer slower than the writer: the reads go on meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await done;
    closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    // Chunks are views the reader never writes again: what the consumer kept is unchanged.
    chunks.forEach((c, i) => expect(Buffer.from(c).equals(copies[i]!)).toBe(true));
    // A pipe gives at most 64 KiB a read; the consumer got much more at a time.
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(256 * 1024);
  });

  it('hands over what has arrived without waiting for a full buffer when the writer is slow', async () => {
    const bytes = randomBytes(40_000);
    const { fd, done } = pipeFrom(bytes, 1_000, 5);
    const chunks: Uint8Array[] = [];
    for await (const c of readFd(fd)) chunks.push(c);
    await done;
    closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
  });
});
