#!/usr/bin/env node
// Where a run allocates: runs one stage of stage-bench.mjs in this process under V8's sampling
// heap profiler, counting objects the collector freed as well (allocation is what drives the
// scavenger, whether or not the object lives), and prints the bytes allocated per message by the
// functions that allocate most (self: the allocation sites in that function). Run `npm run build` first.
// Usage: node scripts/profile/allocation-profile.mjs CAPTURE [decode|lookups|analyze|report] [rows=30]
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const [file, stage = 'lookups', rowsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: allocation-profile.mjs CAPTURE [decode|lookups|analyze|report] [rows]\n');
  process.exit(2);
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.env.STAGE_BENCH_CHILD = stage;
process.argv = [process.argv[0], fileURLToPath(new URL('./stage-bench.mjs', import.meta.url)), file];
// stage-bench prints its run's figures (as JSON) when STAGE_BENCH_CHILD is set.
const write = process.stdout.write.bind(process.stdout);
let result = '';
process.stdout.write = (s) => ((result += s), true);
await import('./stage-bench.mjs');
process.stdout.write = write;
const { profile } = await session.post('HeapProfiler.stopSampling');
const { messages } = JSON.parse(result);

const self = new Map();
let total = 0;
(function walk(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const bytes = node.selfSize;
  if (bytes > 0) {
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + bytes);
    total += bytes;
  }
  for (const child of node.children) walk(child);
})(profile.head);
process.stdout.write(`${stage}: ${messages} messages, about ${(total / messages).toFixed(0)} bytes allocated per message (sampled)\n`);
for (const [key, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 30))) {
  process.stdout.write(`${(bytes / messages).toFixed(1).padStart(8)} B/msg  ${key}\n`);
}
