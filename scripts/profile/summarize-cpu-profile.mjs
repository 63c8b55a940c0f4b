#!/usr/bin/env node
// Prints the functions with the most self time in a V8 CPU profile (node --cpu-prof), so that a
// profile can be read without a browser. Usage: node scripts/profile/summarize-cpu-profile.mjs F.cpuprofile [rows=25]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: summarize-cpu-profile.mjs F.cpuprofile [rows]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
for (const id of profile.samples) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
  total++;
}
for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 25))) {
  process.stdout.write(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}\n`);
}
