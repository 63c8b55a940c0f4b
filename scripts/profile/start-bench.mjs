#!/usr/bin/env node
// Process start of the CLI: `dnstrace --version`, and the time from the process's start to the
// first bytes read from the input of `dnstrace analyze` (a preload module notes when the first
// read of a file returns). Medians of N runs, wall clock; `node -e 0` for scale. Run
// `npm run build` first.
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

function time(args) {
  const walls = [];
  const extra = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const m = /first-read ([\d.]+)/.exec(r.stderr);
    if (m) extra.push(Number(m[1]));
  }
  return { wall: median(walls), firstRead: extra.length > 0 ? median(extra) : null };
}

const rows = [
  ['node -e 0', ['-e', '0']],
  ['dnstrace --version', [bin, '--version']],
  [`dnstrace analyze ${capture.split('/').pop()}`, ['--import', firstRead, bin, 'analyze', capture]],
];
for (const [label, args] of rows) {
  const t = time(args);
  const first = t.firstRead === null ? '' : `, first byte read at ${t.firstRead.toFixed(0)} ms`;
  process.stdout.write(`${label.padEnd(40)} median of ${runs}: ${t.wall.toFixed(0)} ms wall${first}\n`);
}
