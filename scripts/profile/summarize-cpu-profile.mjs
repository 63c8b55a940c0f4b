#!/usr/bin/env node
// Prints the functions with the most self time in a V8 CPU profile (node --cpu-prof), so that a
// profile can be read without a browser.
// Usage: node scripts/profile/summarize-cpu-profile.mjs F.cpuprofile [rows=25] [--lines NAME]
// With --lines, the self time of every function named NAME (and of what V8 inlined into it) is
// broken down by line of the compiled file: an inlined callee's samples land on the caller's
// line that called it, which is how to tell where a big entry's time goes.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const linesAt = args.indexOf('--lines');
const linesOf = linesAt >= 0 ? args.splice(linesAt, 2)[1] : null;
const [file, rowsArg] = args;
if (!file) {
  process.stderr.write('usage: summarize-cpu-profile.mjs F.cpuprofile [rows] [--lines NAME]\n');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const where = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
const total = profile.samples.length;
const percent = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;

if (linesOf === null) {
  const self = new Map();
  for (const id of profile.samples) {
    const key = where(byId.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${percent(n)}  ${key}\n`);
} else {
  // positionTicks count a node's samples by the line executing, per distinct function and file.
  const byLine = new Map();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== linesOf) continue;
    for (const { line, ticks } of node.positionTicks ?? []) {
      const key = `${node.callFrame.url.split('/').slice(-2).join('/')}:${line}`;
      byLine.set(key, (byLine.get(key) ?? 0) + ticks);
    }
  }
  for (const [key, n] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${percent(n)}  ${linesOf} ${key}\n`);
}
