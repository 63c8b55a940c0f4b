#!/usr/bin/env node
// Process start of the CLI: `dnstrace --version`, and the time from the process's start to the
// first bytes read from the input of `dnstrace analyze` (a preload module notes when the first
// read of a file returns) and to its end. Medians of N runs, wall clock; `node -e 0` for scale.
// `analyze` runs in the thread bin/dnstrace.js chooses (the main thread for a small capture),
// then pinned to the worker (DNSTRACE_THREAD=worker); --version runs in the worker (it names no
// file). Each round runs every row once, so that the machine's load falls on all of them alike.
// Run `npm run build` first.
// Usage: node scripts/profile/start-bench.mjs [CAPTURE=fixtures/dead-nameserver.pcap] [runs=15]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [capture = `${root}fixtures/dead-nameserver.pcap`, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);
const bin = `${root}bin/dnstrace.js`;

// Reports, on stderr, the process time (performance.now() counts from the process's start) at
// which the first fs.read with data returns.
const firstRead = `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
const read = fs.read;
let done = false;
fs.read = function (...args) {
  const cb = args[args.length - 1];
  if (!done && typeof cb === 'function') {
    args[args.length - 1] = function (err, n, ...rest) {
      if (!done && n > 0) { done = true; process.stderr.write('first-read ' + performance.now().toFixed(1) + '\\n'); }
      return cb.call(this, err, n, ...rest);
    };
  }
  return read.apply(this, args);
};
`)}`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One run: wall milliseconds, and when the first byte was read (null if never). */
function time(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /first-read ([\d.]+)/.exec(r.stderr);
  return { wall, firstRead: m ? Number(m[1]) : null };
}

const name = capture.split('/').pop();
const rows = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'dnstrace --version', args: [bin, '--version'] },
  { label: `dnstrace analyze ${name}`, args: ['--import', firstRead, bin, 'analyze', capture] },
  { label: `DNSTRACE_THREAD=worker analyze ${name}`, args: ['--import', firstRead, bin, 'analyze', capture], env: { DNSTRACE_THREAD: 'worker' } },
];
const results = rows.map(() => ({ walls: [], firstReads: [] }));
for (let i = 0; i < runs; i++) {
  rows.forEach((row, k) => {
    const t = time(row.args, row.env);
    results[k].walls.push(t.wall);
    if (t.firstRead !== null) results[k].firstReads.push(t.firstRead);
  });
}
rows.forEach((row, k) => {
  const { walls, firstReads } = results[k];
  const first = firstReads.length > 0 ? `, first byte read at ${median(firstReads).toFixed(0)} ms` : '';
  process.stdout.write(`${row.label.padEnd(58)} median of ${runs}: ${median(walls).toFixed(0)} ms wall${first}\n`);
});
