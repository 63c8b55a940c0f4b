#!/usr/bin/env node
// Prints the functions with the most self time in V8 CPU profiles (node --cpu-prof), so that a
// profile can be read without a browser.
// Usage: node scripts/profile/summarize-cpu-profile.mjs F.cpuprofile... [rows=25] [--lines NAME]
// Several profiles are added up: `node --cpu-prof bin/dnstrace.js` writes one for the main thread
// (which only starts the worker and waits) and one for the worker that runs the CLI, so
// `DIR/*.cpuprofile` reads the run as a whole. Percentages are of the time the threads were busy:
// samples of (idle), a thread waiting, are left out.
// With --lines, the self time of every function named NAME (and of what V8 inlined into it) is
// broken down by line of the compiled file: an inlined callee's samples land on the caller's
// line that called it, which is how to tell where a big entry's time goes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The CLI's worker runs one esbuild bundle; esbuild heads each module it joins with a comment
// naming the module (`// dist/analyze/transaction-pairer.js`), which names the file of a line.
const bundles = new Map();
function moduleStarts(url) {
  if (!bundles.has(url)) {
    const starts = [];
    readFileSync(fileURLToPath(url), 'utf8').split('\n').forEach((line, i) => {
      const m = /^\/\/ (dist\/\S+\.js)$/.exec(line);
      if (m) starts.push([i, m[1]]);
    });
    bundles.set(url, starts);
  }
  return bundles.get(url);
}
function place(url, lineNumber) {
  if (!url.endsWith('.bundle.js') || !url.startsWith('file:')) return `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  const start = moduleStarts(url).findLast(([line]) => line <= lineNumber);
  return start ? `${start[1].split('/').slice(-2).join('/')} (bundle:${lineNumber + 1})` : `bundle:${lineNumber + 1}`;
}

const args = process.argv.slice(2);
const linesAt = args.indexOf('--lines');
const linesOf = linesAt >= 0 ? args.splice(linesAt, 2)[1] : null;
const files = args.filter((a) => !/^\d+$/.test(a));
const rowsArg = args.find((a) => /^\d+$/.test(a));
if (files.length === 0) {
  process.stderr.write('usage: summarize-cpu-profile.mjs F.cpuprofile... [rows] [--lines NAME]\n');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profiles = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const where = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${place(url, lineNumber)}`;
let total = 0;
for (const profile of profiles) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const id of profile.samples) if (byId.get(id).callFrame.functionName !== '(idle)') total++;
}
const percent = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;

if (linesOf === null) {
  const self = new Map();
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const id of profile.samples) {
      const frame = byId.get(id).callFrame;
      if (frame.functionName === '(idle)') continue;
      const key = where(frame);
      self.set(key, (self.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${percent(n)}  ${key}\n`);
} else {
  // positionTicks count a node's samples by the line executing, per distinct function and file.
  const byLine = new Map();
  for (const node of profiles.flatMap((p) => p.nodes)) {
    if (node.callFrame.functionName !== linesOf) continue;
    for (const { line, ticks } of node.positionTicks ?? []) {
      const key = `${node.callFrame.url.split('/').slice(-2).join('/')}:${line}`;
      byLine.set(key, (byLine.get(key) ?? 0) + ticks);
    }
  }
  for (const [key, n] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${percent(n)}  ${linesOf} ${key}\n`);
}
