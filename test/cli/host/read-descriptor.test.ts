import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDescriptor } from '../../../src/cli/host/read-descriptor.js';

const dir = mkdtempSync(join(tmpdir(), 'dnstrace-read-descriptor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fifos = 0;

/** A named pipe a child writes `bytes` into, `piece` bytes every `pauseMs`, and its reading end. */
function pipeFrom(bytes: Buffer, piece: number, pauseMs: number): { fd: number; done: Promise<void> } {
  const file = join(dir, `in-${++fifos}`);
  const fifo = join(dir, `fifo-${fifos}`);
  writeFileSync(file, bytes);
  execFileSync('mkfifo', [fifo]);
  const script = `const fs=require('fs');const b=fs.readFileSync(${JSON.stringify(file)});const fd=fs.openSync(${JSON.stringify(fifo)},'w');let o=0;` +
    `(function next(){if(o>=b.length){fs.closeSync(fd);return;}fs.writeSync(fd,b.subarray(o,o+${piece}));o+=${piece};setTimeout(next,${pauseMs});})();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { fd: openSync(fifo, 'r'), done };
}

describe('readDescriptor', () => {
  it('reads a pipe whole, and a slow consumer gets many pipe reads joined in one chunk of at most 1 MiB', async () => {
    const bytes = randomBytes(3_000_000);
    const { fd, done } = pipeFrom(bytes, 16_384, 0);
    const chunks: Uint8Array[] = [];
    const copies: Buffer[] = [];
    for await (const c of readDescriptor(fd)) {
      chunks.push(c);
      copies.push(Buffer.from(c));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await done;
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    chunks.forEach((c, i) => expect(Buffer.from(c).equals(copies[i]!)).toBe(true));
    // A pipe gives at most 64 KiB a read; the reads went on while the consumer waited.
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(256 * 1024);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1 << 20);
  });

  it('hands over what a slow writer has sent without waiting for more', async () => {
    const bytes = randomBytes(40_000);
    const { fd, done } = pipeFrom(bytes, 1_000, 5);
    const chunks: Uint8Array[] = [];
    for await (const c of readDescriptor(fd)) chunks.push(c);
    await done;
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
  });

  it('reads a file as readFd does, in chunks of at most 1 MiB', async () => {
    const bytes = randomBytes(2_500_000);
    const file = join(dir, 'file.bin');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    const chunks: Uint8Array[] = [];
    for await (const c of readDescriptor(fd)) chunks.push(c);
    closeSync(fd);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1 << 20);
  });
});
