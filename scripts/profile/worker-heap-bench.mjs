#!/usr/bin/env node
// Peak RSS and CPU of the whole analysis (findings and tables included, nothing rendered) run in
// a worker thread whose heap is sized by `resourceLimits`: the supported way to keep V8's young
// generation and its old generation's room to grow small, where V8's flags are not a stable
// interface. Each configuration runs in a process of its own. Run `npm run build` first.
// Usage: node scripts/profile/worker-heap-bench.mjs CAPTURE [YOUNG_MB/OLD_MB ...]
//   e.g. node scripts/profile/worker-heap-bench.mjs bench-data/realistic-1000000.pcap -/- 16/1024 16/512
//   "-" leaves that limit to V8's default.
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const [file, ...configs] = process.argv.slice(2);

if (!isMainThread) {
  const { analyze } = await import(new URL('../../dist/pipeline.js', import.meta.url).href);
  let lookups = 0;
  await analyze({ name: workerData.file, chunks: createReadStream(workerData.file, { highWaterMark: 1 << 20 }) }, {}, { transaction() {}, lookup() { lookups++; } });
  parentPort.postMessage(lookups);
} else if (process.env.WORKER_HEAP_CONFIG) {
  const [young, old] = process.env.WORKER_HEAP_CONFIG.split('/');
  const resourceLimits = {};
  if (young !== '-') resourceLimits.maxYoungGenerationSizeMb = Number(young);
  if (old !== '-') resourceLimits.maxOldGenerationSizeMb = Number(old);
  const start = process.cpuUsage();
  const worker = new Worker(new URL(import.meta.url), { workerData: { file }, resourceLimits });
  worker.on('message', (lookups) => {
    const cpu = process.cpuUsage(start);
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`young ${young} MB, old ${old} MB: ${lookups} lookups, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB`);
  });
  worker.on('error', (e) => console.log(`young ${young} MB, old ${old} MB: ${e.code ?? 'error'}: ${e.message}`));
} else {
  if (!file) {
    console.error('usage: node scripts/profile/worker-heap-bench.mjs CAPTURE [YOUNG_MB/OLD_MB ...]');
    process.exit(2);
  }
  for (const config of configs.length > 0 ? configs : ['-/-', '16/1024']) {
    spawnSync(process.execPath, [new URL(import.meta.url).pathname, file], { stdio: 'inherit', env: { ...process.env, WORKER_HEAP_CONFIG: config } });
  }
}
