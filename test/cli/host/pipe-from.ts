import { execFileSync, spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let fifos = 0;

/**
 * A named pipe in `dir` that a child writes `bytes` into in pieces of `piece` bytes, pausing
 * `pauseMs` between them, and the reading end of it: as `tcpdump -w - | dnstrace analyze -`
 * gives standard input. `done` settles when the writer has closed the pipe and exited.
 */
export function pipeFrom(dir: string, bytes: Buffer, piece: number, pauseMs: number): { fd: number; done: Promise<void> } {
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
