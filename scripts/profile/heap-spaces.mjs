#!/usr/bin/env node
// Where a run's memory goes: the whole analysis of CAPTURE (findings and tables included, nothing
// rendered), with V8's heap spaces sampled every 10 MiB read (the largest size each reached),
// the live heap after a full collection once AT bytes are read, and the peak RSS.
// Run `npm run build` first. Usage: node --expose-gc scripts/profile/heap-spaces.mjs CAPTURE [AT=70000000]
import { createReadStream } from 'node:fs';
import v8 from 'node:v8';

const [file, atText] = process.argv.slice(2);
if (!file || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc scripts/profile/heap-spaces.mjs CAPTURE [AT bytes]');
  process.exit(2);
}
const at = Number(atText ?? 70_000_000);
const { analyze } = await import(new URL('../../dist/pipeline.js', import.meta.url).href);
const largest = new Map();
let read = 0;
let chunks = 0;
let liveMb = null;

async function* sampled() {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    read += chunk.length;
    if (++chunks % 10 === 0) for (const s of v8.getHeapSpaceStatistics()) largest.set(s.space_name, Math.max(largest.get(s.space_name) ?? 0, s.space_size));
    if (liveMb === null && read >= at) {
      globalThis.gc();
      liveMb = v8.getHeapStatistics().used_heap_size / 1e6;
    }
    yield chunk;
  }
}

await analyze({ name: file, chunks: sampled() }, {}, { transaction() {}, lookup() {} });
console.log(`live heap after a full collection at ${at} bytes: ${liveMb === null ? 'capture smaller than that' : `${liveMb.toFixed(1)} MB`}`);
for (const [space, size] of largest) if (size > 0) console.log(`largest ${space}: ${(size / 1e6).toFixed(1)} MB`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (the forced collection lowers it a little)`);
