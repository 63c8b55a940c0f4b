#!/usr/bin/env node
// What the garbage collector did in one run of a command: runs `node --trace-gc-nvp ARGS...`
// (its stdout discarded) and sums V8's per-collection lines: scavenges and mark-compacts, their
// pauses, bytes allocated, bytes that survived a scavenge in the young generation and bytes
// promoted to the old one. Promoted bytes are what fills the old generation between major
// collections (and so peak RSS); survived bytes are what each scavenge copies.
// Usage: node scripts/profile/gc-summary.mjs [--per N] SCRIPT [ARGS...]
//   --per N   also print the byte counts divided by N (say, the capture's message count)
//   e.g. node scripts/profile/gc-summary.mjs --per 1000015 bin/dnstrace.js analyze F
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
let per = 0;
if (args[0] === '--per') {
  per = Number(args[1]);
  args.splice(0, 2);
}
if (args.length === 0) {
  process.stderr.write('usage: gc-summary.mjs [--per N] SCRIPT [ARGS...]\n');
  process.exit(2);
}
const child = spawn(process.execPath, ['--trace-gc-nvp', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
const sum = { s: { n: 0, pause: 0 }, mc: { n: 0, pause: 0 }, other: { n: 0, pause: 0 } };
let promoted = 0;
let survived = 0;
const lines = createInterface({ input: child.stdout });
for await (const line of lines) {
  const kind = /\bgc=(\w+)/.exec(line)?.[1];
  if (kind === undefined) continue;
  const field = (name) => Number(new RegExp(`\\b${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
  const s = sum[kind] ?? sum.other;
  s.n++;
  s.pause += field('pause');
  promoted += field('promoted');
  if (kind === 's') survived += field('new_space_survived');
}
const mb = (b) => `${(b / 1e6).toFixed(1)} MB${per > 0 ? ` (${Math.round(b / per)} B/message)` : ''}`;
process.stdout.write(
  `scavenges ${sum.s.n} (${sum.s.pause.toFixed(0)} ms), mark-compacts ${sum.mc.n} (${sum.mc.pause.toFixed(0)} ms), other ${sum.other.n} (${sum.other.pause.toFixed(0)} ms)\n` +
    `promoted ${mb(promoted)}, survived in the young generation ${mb(survived)}\n`,
);
