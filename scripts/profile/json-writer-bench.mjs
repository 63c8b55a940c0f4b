#!/usr/bin/env node
// What the JSON writers cost on their own: the capture's transactions and lookups are analysed
// once and kept in memory (the first `max` of each), then written by each writer in turn to a
// sink that drops the bytes, best of `runs` passes in CPU time per record. A SHA-256 of each
// writer's bytes is printed too: a change that keeps the output keeps the hash.
// Run `npm run build` first (it benches dist/).
// Usage: node scripts/profile/json-writer-bench.mjs CAPTURE [runs=5] [max=200000] [jsonl|json|both]
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

const [file, runsArg, maxArg, which = 'both'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: json-writer-bench.mjs CAPTURE [runs] [max] [jsonl|json|both]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const max = Number(maxArg ?? 200000);

const { analyze } = await import('../../dist/pipeline.js');
const { JsonLinesWriter } = await import('../../dist/report/json-lines-writer.js');
const { JsonReportWriter } = await import('../../dist/report/render-json.js');

const transactions = [];
const lookups = [];
await analyze({ name: file, chunks: createReadStream(file, { highWaterMark: 1 << 20 }) }, {}, {
  transaction: (tx) => void (transactions.length < max && transactions.push(tx)),
  lookup: (l) => void (lookups.length < max && lookups.push(l)),
});

/** Writes every kept record once with `make(sink)`'s writer; returns the bytes' count. */
function pass(kind, sink) {
  if (kind === 'jsonl') {
    const w = new JsonLinesWriter(sink);
    feed(w);
    w.end({ schemaVersion: 1, input: {}, summary: {}, aggregates: {}, warnings: [] });
  } else {
    const w = new JsonReportWriter(sink, sink);
    w.begin({ schemaVersion: 1 });
    feed(w);
    w.endTransactions();
  }
}

/** The kept records, interleaved roughly as a streamed run gives them: a lookup after every few transactions. */
function feed(w) {
  const every = Math.max(1, Math.floor(transactions.length / Math.max(1, lookups.length)));
  let l = 0;
  for (let i = 0; i < transactions.length; i++) {
    w.transaction(transactions[i]);
    if (i % every === every - 1 && l < lookups.length) w.lookup(lookups[l++]);
  }
  while (l < lookups.length) w.lookup(lookups[l++]);
}

for (const kind of which === 'both' ? ['jsonl', 'json'] : [which]) {
  const hash = createHash('sha256');
  let bytes = 0;
  pass(kind, (b) => {
    hash.update(b);
    bytes += b.length;
  });
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    pass(kind, () => {});
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  const records = transactions.length + lookups.length;
  process.stdout.write(
    `${kind.padEnd(5)} ${transactions.length} transactions, ${lookups.length} lookups, ${bytes} bytes (sha256 ${hash.digest('hex').slice(0, 16)}); ` +
      `best of ${runs}: cpu ${best.toFixed(3)} s, ${((best / records) * 1e6).toFixed(3)} µs/record, ${((best / bytes) * 1e9).toFixed(2)} ns/byte\n`,
  );
}
