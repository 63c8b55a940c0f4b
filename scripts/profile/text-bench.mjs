#!/usr/bin/env node
// Throughput of the tcpdump text reader on its own: no analysis, messages discarded (or
// touched). Run `npm run build` first.
// Usage: node scripts/profile/text-bench.mjs TEXT [runs=3] [read|lines|touch|mem]
//   lines   only the line splitter (readLines): chunks to lines
//   read    readTcpdumpText, the file read in 1 MiB chunks as the CLI does, messages dropped
//   touch   the same, touching the fields the analysis reads
//   mem     readTcpdumpText over the file held in memory as 1 MiB chunks, best of 10 passes in
//           CPU time: the steadiest figure on a busy machine
import { createReadStream, readFileSync } from 'node:fs';
import { readLines } from '../../dist/input/line-reader.js';
import { readTcpdumpText } from '../../dist/input/text/read-tcpdump-text.js';

const [file, runsArg, mode = 'read'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: text-bench.mjs TEXT [runs] [read|lines|touch|mem]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const diag = { anomaly: () => {}, warn: () => {} };

let sink = 0;
function touch(m) {
  sink += m.id + m.frame + m.timeUs + m.src.length + m.dst.length + m.rcode.length + m.counts.an;
  if (m.isResponse) sink += m.flags.tc ? 1 : 0;
  if (m.question !== null) sink += m.question.name.length + m.question.type.length;
  for (const a of m.answers) sink += a.type.length + a.data.length;
}

/** Reads `chunks` as the mode says; returns the number of lines. */
async function readAll(chunks) {
  if (mode === 'lines') {
    let lines = 0;
    for await (const batch of readLines(chunks)) lines += batch.length;
    return lines;
  }
  const info = await readTcpdumpText(chunks, mode === 'touch' ? touch : () => {}, diag);
  return info.lines;
}

function report(label, lines, cpuNs, wallNs) {
  const wall = wallNs === null ? '' : `wall ${(wallNs / 1e9).toFixed(3)} s (${Math.round(lines / (wallNs / 1e9)).toLocaleString('en')} lines/s), `;
  process.stdout.write(`${label}: ${lines} lines; ${wall}cpu ${(cpuNs / 1e9).toFixed(3)} s (${Math.round(lines / (cpuNs / 1e9)).toLocaleString('en')} lines/s, ${(cpuNs / lines).toFixed(0)} ns/line)\n`);
}

if (mode === 'mem') {
  const bytes = readFileSync(file);
  const chunks = [];
  for (let at = 0; at < bytes.length; at += 1 << 20) chunks.push(bytes.subarray(at, Math.min(bytes.length, at + (1 << 20))));
  let best = Infinity;
  let lines = 0;
  for (let pass = 0; pass < 10; pass++) {
    const c0 = process.cpuUsage();
    lines = await readTcpdumpText((async function* () { yield* chunks; })(), () => {}, diag).then((i) => i.lines);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) * 1000);
  }
  report('mem, best of 10', lines, best, null);
} else {
  let bestCpu = Infinity;
  let bestWall = Infinity;
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    lines = await readAll(createReadStream(file, { highWaterMark: 1 << 20 }));
    const c = process.cpuUsage(c0);
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - t0));
    bestCpu = Math.min(bestCpu, (c.user + c.system) * 1000);
  }
  report(`${mode}, best of ${runs}${sink === 0.5 ? '' : ''}`, lines, bestCpu, bestWall);
}
